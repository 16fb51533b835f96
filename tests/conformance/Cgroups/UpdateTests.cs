namespace OciRuntime.Tests.Conformance.Cgroups;

/// <summary>runc's `update`: new limits for a running container, from its flags or a linux.resources document.</summary>
public sealed class UpdateTests(ITestOutputHelper output) : ConformanceTest(output)
{
    private string cgroupsPath = "";

    private Container StartSleeping(JsonObject? resources = null)
    {
        cgroupsPath = Sandbox.NewCgroupsPath();
        Config.SetCgroupsPath(cgroupsPath);
        if (resources is not null)
            Config.Linux()["resources"] = resources;
        Config.SetArgs("sleep", "1000");
        return StartContainer();
    }

    private string V1(string controller, string file) => ContainerCgroup.ReadV1(controller, cgroupsPath, file);

    [RootFact(RequiresPath = ContainerCgroup.V1MemoryHierarchy)]
    public void Runcs_flags_rewrite_the_files()
    {
        var container = StartSleeping();

        Runtime.Invoke("update", "--memory", "200m", "--memory-swap", "300m", "--memory-reservation", "100m", "--cpu-quota", "20000",
            "--cpu-period", "50000", "--cpu-share", "256", "--pids-limit", "50", "--cpuset-cpus", "0",
            container.Id).ShouldSucceed();

        V1("memory", "memory.limit_in_bytes").Should().Be($"{200L << 20}");
        V1("memory", "memory.memsw.limit_in_bytes").Should().Be($"{300L << 20}");
        V1("memory", "memory.soft_limit_in_bytes").Should().Be($"{100L << 20}");
        V1("cpu", "cpu.cfs_quota_us").Should().Be("20000");
        V1("cpu", "cpu.cfs_period_us").Should().Be("50000");
        V1("cpu", "cpu.shares").Should().Be("256");
        V1("pids", "pids.max").Should().Be("50");
        V1("cpuset", "cpuset.cpus").Should().Be("0");
    }

    [RootFact(RequiresPath = ContainerCgroup.V1MemoryHierarchy, RequiresKernel = KernelFeature.Bfq)]
    public void Runcs_blkio_weight_flag_rewrites_bfqs_weight_file()
    {
        var container = StartSleeping();

        Runtime.Invoke("update", "--blkio-weight", "500", container.Id).ShouldSucceed();

        V1("blkio", "blkio.bfq.weight").Should().Be("500");
    }

    [RootFact(RequiresPath = ContainerCgroup.V1MemoryHierarchy)]
    public void The_cpu_burst_flag_sets_the_cfs_burst()
    {
        // runc 1.2's flag (1.1.5 has none): the burst may not exceed the quota, which the container has.
        var container = StartSleeping(new JsonObject { ["cpu"] = new JsonObject { ["quota"] = 50000, ["period"] = 100000 } });

        Runtime.Invoke("update", "--cpu-burst", "20000", container.Id).ShouldSucceed();

        V1("cpu", "cpu.cfs_burst_us").Should().Be("20000");
        V1("cpu", "cpu.cfs_quota_us").Should().Be("50000");
    }

    [RootFact(RequiresPath = ContainerCgroup.V1MemoryHierarchy)]
    public void A_resources_document_from_stdin_changes_only_what_it_names()
    {
        var container = StartSleeping(new JsonObject { ["pids"] = new JsonObject { ["limit"] = 20 } });

        Runtime.InvokeWithInput("""{"memory": {"limit": 104857600}, "cpu": {"shares": 300}}""", "update", "--resources", "-", container.Id)
            .ShouldSucceed();

        V1("memory", "memory.limit_in_bytes").Should().Be("104857600");
        V1("cpu", "cpu.shares").Should().Be("300");
        V1("pids", "pids.max").Should().Be("20");
    }

    [RootFact(RequiresPath = ContainerCgroup.V1MemoryHierarchy)]
    public void A_resources_file_is_read_too()
    {
        var container = StartSleeping();
        var document = Path.Combine(Sandbox.Path, "resources.json");
        File.WriteAllText(document, """{"pids": {"limit": 7}}""");

        Runtime.Invoke("update", "-r", document, container.Id).ShouldSucceed();

        V1("pids", "pids.max").Should().Be("7");
    }

    [RootFact(RequiresPath = ContainerCgroup.V1MemoryHierarchy)]
    public void Growing_memory_past_the_old_swap_total_writes_in_the_order_the_kernel_needs()
    {
        var container = StartSleeping(new JsonObject { ["memory"] = new JsonObject { ["limit"] = 100L << 20, ["swap"] = 200L << 20 } });

        // 300m > the old memsw of 200m: memsw must grow first or the kernel refuses the limit.
        Runtime.Invoke("update", "--memory", "300m", "--memory-swap", "400m", container.Id).ShouldSucceed();
        V1("memory", "memory.limit_in_bytes").Should().Be($"{300L << 20}");
        V1("memory", "memory.memsw.limit_in_bytes").Should().Be($"{400L << 20}");

        // And shrinking both: the limit must come down first.
        Runtime.Invoke("update", "--memory", "50m", "--memory-swap", "60m", container.Id).ShouldSucceed();
        V1("memory", "memory.limit_in_bytes").Should().Be($"{50L << 20}");
        V1("memory", "memory.memsw.limit_in_bytes").Should().Be($"{60L << 20}");
    }

    [RootFact(RequiresPath = ContainerCgroup.V1MemoryHierarchy)]
    public void Check_before_update_refuses_a_limit_below_the_current_usage()
    {
        var container = StartSleeping(new JsonObject { ["memory"] = new JsonObject { ["limit"] = 100L << 20 } });

        Runtime.InvokeWithInput("""{"memory": {"limit": 4096, "checkBeforeUpdate": true}}""", "update", "-r", "-", container.Id)
            .ShouldFail("below the current usage");
        V1("memory", "memory.limit_in_bytes").Should().Be($"{100L << 20}");
    }

    [RootFact]
    public void A_refused_value_names_the_file_and_the_errno()
    {
        var container = StartSleeping();

        Runtime.Invoke("update", "--cpuset-cpus", "99", container.Id).ShouldFail("cpuset.cpus\": E");
    }

    [RootFact]
    public void Update_of_a_stopped_container_fails()
    {
        Config.SetArgs("true");
        var container = StartContainer();
        container.WaitForStatus("stopped");

        Runtime.Invoke("update", "--pids-limit", "10", container.Id).ShouldFail("not running");
    }

    [RootFact]
    public void Bad_values_are_refused_before_anything_is_written()
    {
        var container = StartSleeping(new JsonObject { ["pids"] = new JsonObject { ["limit"] = 100 } });
        // The pids directory on v1, the container's one directory on v2.
        string PidsMax() => File.ReadAllText(Path.Combine(ContainerCgroup.Directories(cgroupsPath)[0], "pids.max")).Trim();

        // Each update pairs a good pids limit with a bad value: the good one must not be written either.
        Runtime.Invoke("update", "--pids-limit", "42", "--memory", "lots", container.Id).ShouldFail("--memory: invalid size");
        PidsMax().Should().Be("100", "a refused update writes nothing");
        Runtime.InvokeWithInput("""{"pids": {"limit": 42}, "memory": {"swappiness": 200}}""", "update", "-r", "-", container.Id)
            .ShouldFail("/memory/swappiness");
        PidsMax().Should().Be("100", "a refused update writes nothing");
    }

    [RootFact(RequiresPath = DevicesHierarchy)]
    public void Device_rules_cannot_change_after_create_which_update_says()
    {
        var container = StartSleeping();
        var rulesAfterCreate = V1("devices", "devices.list");

        Runtime.InvokeWithInput("""{"devices": [{"allow": true, "access": "rwm"}]}""", "update", "-r", "-", container.Id)
            .ShouldSucceed().Stderr.Should().Contain("devices is ignored");

        rulesAfterCreate.Should().NotBe("a *:* rwm", "create wrote the default device rules");
        V1("devices", "devices.list").Should().Be(rulesAfterCreate, "update leaves the device rules as create wrote them");
    }

    /// <summary>Where device rules are a file to read back (v2 has an eBPF program: CgroupV2VmTests checks update there).</summary>
    private const string DevicesHierarchy = "/sys/fs/cgroup/devices";
}
