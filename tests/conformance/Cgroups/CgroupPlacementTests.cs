namespace OciRuntime.Tests.Conformance.Cgroups;

/// <summary>config-linux.md "Cgroups Path": where the container's cgroup is made, what the container sees, what delete removes.</summary>
public sealed class CgroupPlacementTests(ITestOutputHelper output) : ConformanceTest(output)
{
    /// <summary>A unique nested path, removed with the parents it made from every hierarchy at the end.</summary>
    private string NestedPath(string relative)
    {
        Sandbox.AddCleanup($"remove cgroup /{relative} and its parents", () => ContainerCgroup.RemoveFromEveryHierarchy("/" + relative));
        return relative;
    }

    [RootFact]
    public void An_absolute_path_is_created_with_its_parents_and_the_init_runs_in_it()
    {
        var cgroupsPath = "/" + NestedPath(Sandbox.NewName("nest-") + "/middle/leaf");
        Config.SetCgroupsPath(cgroupsPath);

        var container = CreateContainer();

        ContainerCgroup.Of(container.State().Pid).Should().Be(cgroupsPath);
        ContainerCgroup.ExistingDirectories(cgroupsPath).Should().Equal(ContainerCgroup.Directories(cgroupsPath));
    }

    /// <summary>
    /// In a cgroup2 hierarchy the bootstrap forks the init into its cgroup (clone3 CLONE_INTO_CGROUP): no pid is written to
    /// a cgroup.procs, which takes the kernel's threadgroup lock and waits for an RCU grace period.
    /// </summary>
    [RootFact(RequiresPath = "/usr/bin/strace", RequiresKernel = KernelFeature.Cgroup2)]
    public void In_a_cgroup2_hierarchy_the_init_is_born_in_its_cgroup_and_nothing_writes_cgroup_procs()
    {
        Config.SetCgroupsPath("/" + NestedPath(Sandbox.NewName("born-")));
        Config.SetArgs("true");
        var trace = Path.Combine(Sandbox.CreateHostDirectory("strace"), "trace");
        Bundle.WriteConfig();

        Runtime.RunTraced(Sandbox.NewContainerId(), Bundle.Path, trace, "openat,clone3").ShouldSucceed();

        var calls = File.ReadLines(trace).ToList();
        calls.Should().NotContain(call => call.Contains("/cgroup.procs\"") && call.Contains("O_WRONLY"));
        calls.Should().ContainSingle(call => call.Contains("clone3(") && call.Contains("CLONE_INTO_CGROUP"));
    }

    /// <summary>
    /// Where clone3 is refused (a kernel before 5.7, or Docker's default seccomp profile, which answers ENOSYS) the init
    /// is forked where the bootstrap is and moved into its cgroup2 directory by pid, although its program came before:
    /// it runs none of it until then, so the cgroup namespace it makes is rooted at its own cgroup.
    /// </summary>
    [RootFact(RequiresPath = "/usr/bin/strace", RequiresKernel = KernelFeature.Cgroup2)]
    public void Where_clone3_is_refused_the_init_runs_its_program_only_once_moved_into_its_cgroup()
    {
        Config.SetCgroupsPath("/" + NestedPath(Sandbox.NewName("moved-")));
        Config.SetNamespace("cgroup");
        Config.SetShellScript("grep '^0::' /proc/self/cgroup");
        var trace = Path.Combine(Sandbox.CreateHostDirectory("strace"), "trace");
        Bundle.WriteConfig();

        var result = Runtime.RunWithSyscallFailing(Sandbox.NewContainerId(), Bundle.Path, trace, "clone3", "ENOSYS").ShouldSucceed();

        File.ReadLines(trace).Should().Contain(call => call.Contains("CLONE_INTO_CGROUP") && call.Contains("ENOSYS"),
            "the bootstrap tried clone3 into the cgroup and was refused");
        result.Stdout.Trim().Should().Be("0::/", "the init made its cgroup namespace in its own cgroup");
    }

    [RootFact]
    public void A_relative_path_is_placed_below_the_runtimes_own_cgroup()
    {
        var relative = Sandbox.NewName("rel-") + "/leaf";
        var own = ContainerCgroup.Own();
        var expected = (own == "/" ? "" : own) + "/" + relative;
        Sandbox.AddCleanup($"remove cgroup {relative} and its parents", () => ContainerCgroup.RemoveRelativeFromEveryHierarchy(relative));
        Config.SetCgroupsPath(relative);

        var container = CreateContainer();

        ContainerCgroup.Of(container.State().Pid).Should().Be(expected);
    }

    [RootFact(RequiresPath = ContainerCgroup.V1MemoryHierarchy)]
    public void A_relative_path_is_resolved_in_each_v1_hierarchy_below_the_runtimes_cgroup_there()
    {
        // On this host the memory hierarchy puts us in another cgroup than pids does; runc resolves each on its own.
        var relative = Sandbox.NewName("rel-") + "/leaf";
        var ownMemory = ContainerCgroup.InHierarchy(Environment.ProcessId, "memory");
        var expected = (ownMemory == "/" ? "" : ownMemory) + "/" + relative;
        Sandbox.AddCleanup($"remove cgroup {relative} and its parents", () => ContainerCgroup.RemoveRelativeFromEveryHierarchy(relative));
        Config.SetCgroupsPath(relative);
        Config.RemoveNamespace("cgroup");

        var container = CreateContainer();

        ContainerCgroup.InHierarchy(container.State().Pid, "memory").Should().Be(expected);
    }

    [RootFact]
    public void Without_a_path_the_cgroup_is_named_after_the_id_below_the_runtimes_own()
    {
        Config.Linux().Remove("cgroupsPath");
        var (container, result) = TryCreate();
        result.ShouldSucceed();
        var own = ContainerCgroup.Own();
        var expected = (own == "/" ? "" : own) + "/" + container.Id;
        Sandbox.AddCleanup($"remove cgroup {expected}", () => ContainerCgroup.RemoveLeftovers(expected));

        ContainerCgroup.Of(container.State().Pid).Should().Be(expected);
    }

    [RootFact]
    public void In_a_cgroup_namespace_the_containers_cgroup_is_the_root()
    {
        Config.SetNamespace("cgroup");

        ShellOutput("cat /proc/self/cgroup").Split('\n').Should().OnlyContain(line => line.EndsWith(":/"));
    }

    [RootFact]
    public void Without_a_cgroup_namespace_the_host_path_shows()
    {
        var cgroupsPath = Sandbox.NewCgroupsPath();
        Config.SetCgroupsPath(cgroupsPath);

        ShellOutput("cat /proc/self/cgroup").Split('\n').Should().Contain(line => line.EndsWith(":" + cgroupsPath));
    }

    [RootFact]
    public void Delete_kills_processes_left_in_the_cgroup_and_removes_it_everywhere()
    {
        var cgroupsPath = Sandbox.NewCgroupsPath();
        Config.SetCgroupsPath(cgroupsPath);
        // Without a pid namespace the init's death does not take its children along.
        Config.RemoveNamespace("pid");
        Config.SetShellScript("sleep 1000 & exec sleep 1001");
        var container = StartContainer();
        Eventually.True(() => File.ReadAllText($"/sys/fs/cgroup/{(File.Exists("/sys/fs/cgroup/cgroup.controllers") ? "" : "pids")}{cgroupsPath}/cgroup.procs")
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Length == 2, "both sleeps to run");
        container.Kill("KILL").ShouldSucceed();
        container.WaitForStatus("stopped");

        container.Delete().ShouldSucceed();

        ContainerCgroup.ExistingDirectories(cgroupsPath).Should().BeEmpty();
        if (Directory.Exists("/sys/fs/cgroup/unified"))
            Directory.Exists($"/sys/fs/cgroup/unified{cgroupsPath}").Should().BeFalse("the hybrid layout's v2 directory goes too");
    }
}
