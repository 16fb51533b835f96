namespace OciRuntime.Tests.Conformance.Cgroups;

/// <summary>
/// config-linux.md "Control groups" on a v1/hybrid host: every linux.resources field read back from the cgroup file it
/// maps to (the v2 mapping is checked on a real v2 kernel by CgroupV2VmTests).
/// </summary>
public sealed class ResourceFileTests(ITestOutputHelper output) : ConformanceTest(output)
{
    private JsonObject Resources => Config.Linux().ObjectAt("resources");

    [RootFact(RequiresPath = ContainerCgroup.V1MemoryHierarchy)]
    public void Every_field_is_written_to_its_v1_file()
    {
        var cgroupsPath = Sandbox.NewCgroupsPath();
        Config.SetCgroupsPath(cgroupsPath);
        var (major, minor) = BlockDevice.WithoutBfq();
        Resources.ArrayAt("devices").Add(new JsonObject { ["allow"] = true, ["type"] = "b", ["major"] = major, ["minor"] = minor, ["access"] = "r" });
        Resources["memory"] = new JsonObject
        {
            ["limit"] = 100L << 20, ["reservation"] = 50L << 20, ["swappiness"] = 30, ["disableOOMKiller"] = true,
            ["useHierarchy"] = true,
        };
        Resources["cpu"] = new JsonObject
        {
            ["shares"] = 512, ["quota"] = 50000, ["period"] = 100000, ["cpus"] = "0", ["mems"] = "0",
        };
        Resources["pids"] = new JsonObject { ["limit"] = 42 };
        Resources["blockIO"] = new JsonObject
        {
            ["throttleReadBpsDevice"] = new JsonArray(new JsonObject { ["major"] = major, ["minor"] = minor, ["rate"] = 1048576 }),
            ["throttleWriteBpsDevice"] = new JsonArray(new JsonObject { ["major"] = major, ["minor"] = minor, ["rate"] = 2097152 }),
            ["throttleReadIOPSDevice"] = new JsonArray(new JsonObject { ["major"] = major, ["minor"] = minor, ["rate"] = 200 }),
            ["throttleWriteIOPSDevice"] = new JsonArray(new JsonObject { ["major"] = major, ["minor"] = minor, ["rate"] = 100 }),
        };
        Resources["unified"] = new JsonObject { ["cgroup.max.descendants"] = "7" };

        CreateContainer();

        var expected = new (string Controller, string File, string Value)[]
        {
            ("memory", "memory.limit_in_bytes", $"{100L << 20}"),
            ("memory", "memory.soft_limit_in_bytes", $"{50L << 20}"),
            ("memory", "memory.swappiness", "30"),
            ("memory", "memory.use_hierarchy", "1"),
            ("cpu", "cpu.shares", "512"),
            ("cpu", "cpu.cfs_quota_us", "50000"),
            ("cpu", "cpu.cfs_period_us", "100000"),
            ("cpuset", "cpuset.cpus", "0"),
            ("cpuset", "cpuset.mems", "0"),
            ("pids", "pids.max", "42"),
            ("blkio", "blkio.throttle.read_bps_device", $"{major}:{minor} 1048576"),
            ("blkio", "blkio.throttle.write_bps_device", $"{major}:{minor} 2097152"),
            ("blkio", "blkio.throttle.read_iops_device", $"{major}:{minor} 200"),
            ("blkio", "blkio.throttle.write_iops_device", $"{major}:{minor} 100"),
        };
        foreach (var (controller, file, value) in expected)
            ContainerCgroup.ReadV1(controller, cgroupsPath, file).Should().Be(value, $"{controller}/{file} holds what config.json asked for");
        ContainerCgroup.ReadV1("memory", cgroupsPath, "memory.oom_control").Should().Contain("oom_kill_disable 1");
        ContainerCgroup.ReadV1("devices", cgroupsPath, "devices.list").Split('\n')
            .Should().Contain([$"b {major}:{minor} r", "c 1:3 rwm", "c *:* m", "b *:* m", "c 136:* rwm"]).And.NotContain("a *:* rwm");
        // Hybrid: the unified keys live in the v2 hierarchy next to the v1 ones.
        ContainerCgroup.ReadUnified(cgroupsPath, "cgroup.max.descendants").Should().Be("7");
    }

    // The fields below have files only where the kernel was built with them: each test names the file it needs.

    [RootFact(RequiresPath = "/sys/fs/cgroup/memory/memory.memsw.limit_in_bytes")]
    public void Swap_is_written_to_memsw_limit() =>
        FieldIsWritten("memory", new JsonObject { ["limit"] = 100L << 20, ["swap"] = 200L << 20 }, "memory", "memory.memsw.limit_in_bytes", $"{200L << 20}");

    [RootFact(RequiresPath = "/sys/fs/cgroup/memory/memory.kmem.tcp.limit_in_bytes")]
    public void Kernel_tcp_memory_is_written_to_kmem_tcp_limit() =>
        FieldIsWritten("memory", new JsonObject { ["kernelTCP"] = 48L << 20 }, "memory", "memory.kmem.tcp.limit_in_bytes", $"{48L << 20}");

    [RootFact(RequiresPath = "/sys/fs/cgroup/cpu/cpu.cfs_burst_us")]
    public void Cpu_burst_is_written_to_cfs_burst() =>
        FieldIsWritten("cpu", new JsonObject { ["quota"] = 50000, ["period"] = 100000, ["burst"] = 10000 }, "cpu", "cpu.cfs_burst_us", "10000");

    [RootFact(RequiresPath = "/sys/fs/cgroup/cpu/cpu.rt_runtime_us")]
    public void Realtime_runtime_and_period_are_written_to_the_rt_files()
    {
        var cgroupsPath = FieldIsWritten("cpu", new JsonObject { ["realtimeRuntime"] = 1000, ["realtimePeriod"] = 1000000 }, "cpu", "cpu.rt_runtime_us", "1000");
        ContainerCgroup.ReadV1("cpu", cgroupsPath, "cpu.rt_period_us").Should().Be("1000000");
    }

    [RootFact(RequiresPath = "/sys/fs/cgroup/cpu/cpu.idle")]
    public void Cpu_idle_is_written_to_its_file() =>
        FieldIsWritten("cpu", new JsonObject { ["idle"] = 1 }, "cpu", "cpu.idle", "1");

    [RootFact(RequiresPath = "/sys/kernel/mm/hugepages/hugepages-2048kB", RequiresKernel = KernelFeature.UnifiedHugetlb)]
    public void Hugepage_limits_go_to_the_unified_hierarchy_of_a_hybrid_host()
    {
        var cgroupsPath = Sandbox.NewCgroupsPath();
        Config.SetCgroupsPath(cgroupsPath);
        Resources["hugepageLimits"] = new JsonArray(new JsonObject { ["pageSize"] = "2MB", ["limit"] = 4L << 20 });

        CreateContainer();

        ContainerCgroup.ReadUnified(cgroupsPath, "hugetlb.2MB.max").Should().Be($"{4L << 20}");
    }

    /// <summary>Creates a container with one resources section and reads one file back; returns the cgroups path.</summary>
    private string FieldIsWritten(string section, JsonObject value, string controller, string file, string expected)
    {
        var cgroupsPath = Sandbox.NewCgroupsPath();
        Config.SetCgroupsPath(cgroupsPath);
        Resources[section] = value;

        CreateContainer();

        ContainerCgroup.ReadV1(controller, cgroupsPath, file).Should().Be(expected, $"{controller}/{file} holds what config.json asked for");
        return cgroupsPath;
    }

    [RootFact(RequiresPath = ContainerCgroup.V1MemoryHierarchy)]
    public void Pids_and_memory_limits_are_in_the_cgroups_the_init_is_in_for_an_absolute_path() =>
        LimitsAreInTheCgroupsOfTheInit(Sandbox.NewCgroupsPath());

    [RootFact(RequiresPath = ContainerCgroup.V1MemoryHierarchy)]
    public void Pids_and_memory_limits_are_in_the_cgroups_the_init_is_in_for_a_relative_path()
    {
        var relative = Sandbox.NewName("rel-") + "/leaf";
        Sandbox.AddCleanup($"remove cgroup {relative} and its parents", () => ContainerCgroup.RemoveRelativeFromEveryHierarchy(relative));
        LimitsAreInTheCgroupsOfTheInit(relative);
    }

    /// <summary>
    /// Reads the limits where /proc/&lt;init&gt;/cgroup says the container is, in each hierarchy: on this host the
    /// runtime's own pids and memory cgroups differ, so a relative path resolves differently in each.
    /// </summary>
    private void LimitsAreInTheCgroupsOfTheInit(string cgroupsPath)
    {
        Config.SetCgroupsPath(cgroupsPath);
        Resources["memory"] = new JsonObject { ["limit"] = 96L << 20, ["reservation"] = 48L << 20 };
        Resources["pids"] = new JsonObject { ["limit"] = 37 };
        Config.SetArgs("sleep", "1000");

        var pid = CreateContainer().State().Pid;

        string Read(string controller, string file) =>
            File.ReadAllText($"/sys/fs/cgroup/{controller}{ContainerCgroup.InHierarchy(pid, controller)}/{file}").Trim();
        var suffix = cgroupsPath.StartsWith('/') ? cgroupsPath : "/" + cgroupsPath;
        ContainerCgroup.InHierarchy(pid, "pids").Should().EndWith(suffix);
        ContainerCgroup.InHierarchy(pid, "memory").Should().EndWith(suffix);
        Read("pids", "pids.max").Should().Be("37");
        Read("memory", "memory.limit_in_bytes").Should().Be($"{96L << 20}");
        Read("memory", "memory.soft_limit_in_bytes").Should().Be($"{48L << 20}");
    }

    [RootFact(RequiresPath = ContainerCgroup.V1MemoryHierarchy)]
    public void Unlimited_memory_also_unlimits_swap()
    {
        var cgroupsPath = Sandbox.NewCgroupsPath();
        Config.SetCgroupsPath(cgroupsPath);
        Resources["memory"] = new JsonObject { ["limit"] = -1 };
        Resources["pids"] = new JsonObject { ["limit"] = -1 };

        CreateContainer();

        ContainerCgroup.ReadV1("memory", cgroupsPath, "memory.limit_in_bytes").Should().Be("9223372036854771712");
        ContainerCgroup.ReadV1("memory", cgroupsPath, "memory.memsw.limit_in_bytes").Should().Be("9223372036854771712");
        ContainerCgroup.ReadV1("pids", cgroupsPath, "pids.max").Should().Be("max");
    }

    [RootFact(RequiresPath = ContainerCgroup.V1MemoryHierarchy)]
    public void A_value_the_kernel_refuses_fails_create_with_the_file_the_value_and_the_errno()
    {
        Resources["cpu"] = new JsonObject { ["cpus"] = "99" };

        CreateFailsAndLeavesNothing("/cpuset.cpus\": E").Stderr.Should().Contain("write \"99\" to \"/sys/fs/cgroup/cpuset/");
    }

    [RootFact(RequiresPath = ContainerCgroup.V1MemoryHierarchy)]
    public void Cpu_shares_the_kernel_clamps_are_an_error_like_runc()
    {
        Resources["cpu"] = new JsonObject { ["shares"] = 1 };

        CreateFailsAndLeavesNothing("the minimum allowed cpu-shares is 2");
    }

    [RootFact(RequiresPath = ContainerCgroup.V1MemoryHierarchy, RequiresKernel = KernelFeature.Bfq)]
    public void Blkio_weight_is_written_to_bfqs_weight_file()
    {
        var cgroupsPath = Sandbox.NewCgroupsPath();
        Config.SetCgroupsPath(cgroupsPath);
        Resources["blockIO"] = new JsonObject { ["weight"] = 300 };

        CreateContainer();

        ContainerCgroup.ReadV1("blkio", cgroupsPath, "blkio.bfq.weight").Should().Be("300");
    }

    [RootFact(RequiresPath = ContainerCgroup.V1MemoryHierarchy, RequiresKernel = KernelFeature.Bfq)]
    public void A_per_device_weight_needs_the_devices_scheduler_to_be_bfq()
    {
        var (major, minor) = BlockDevice.WithoutBfq();
        Resources["blockIO"] = new JsonObject
        {
            ["weightDevice"] = new JsonArray(new JsonObject { ["major"] = major, ["minor"] = minor, ["weight"] = 400 }),
        };

        CreateFailsAndLeavesNothing($"write \"{major}:{minor} 400\" to").Stderr.Should().Contain("blkio.bfq.weight_device\": EOPNOTSUPP");
    }

    [RootFact(RequiresPath = ContainerCgroup.V1MemoryHierarchy)]
    public void A_controller_the_host_lacks_fails_create_naming_the_field()
    {
        Resources["rdma"] = new JsonObject { ["mlx5_1"] = new JsonObject { ["hcaHandles"] = 3 } };

        CreateFailsAndLeavesNothing("linux.resources.rdma: the cgroup v1 \"rdma\" controller is not mounted");
    }

    [RootFact]
    public void A_unified_key_that_is_not_a_file_name_is_refused_before_anything_is_made()
    {
        Resources["unified"] = new JsonObject { ["../../memory.max"] = "1" };

        CreateFailsAndLeavesNothing("/linux/resources/unified");
    }

    [RootFact(RequiresPath = ContainerCgroup.V1MemoryHierarchy)]
    public void Hierarchical_accounting_cannot_be_turned_off_on_this_kernel_which_is_a_warning()
    {
        Resources["memory"] = new JsonObject { ["useHierarchy"] = false };

        var (_, result) = TryCreate();

        result.ShouldSucceed().Stderr.Should().Contain("useHierarchy=false is ignored");
    }
}
