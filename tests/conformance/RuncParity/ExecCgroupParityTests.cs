namespace OciRuntime.Tests.Conformance.RuncParity;

/// <summary>
/// runc's `exec --cgroup PATH` and `--cgroup CONTROLLER[,CONTROLLER]:PATH` (exec.go, process_linux.go addIntoCgroupV1):
/// the process joins an existing cgroup below the container's, in every hierarchy or in the named controllers' only; a
/// path out of the container's cgroup or one that does not exist is refused, and the container runs on. The test makes
/// the sub-cgroup on the host, as an engine would.
/// </summary>
public sealed class ExecCgroupParityTests(ITestOutputHelper output) : RuncParityTest(output)
{
    private const string Sub = "exec-sub";

    [RootTheory]
    [InlineData(Sub)]
    [InlineData($"/{Sub}/")]
    public void An_exec_with_a_cgroup_path_joins_that_sub_cgroup_in_every_hierarchy_as_under_runc(string argument)
    {
        var moved = Parity.ShouldMatchRunc((runtime, id) => HierarchiesMovedBy(runtime, id, "--cgroup", argument));

        moved.Should().NotBeEmpty();
        moved.Split(' ').Should().OnlyContain(line => line.EndsWith($":/{Sub}"), "every hierarchy of the exec'd process is the sub-cgroup");
    }

    [RootFact(RequiresPath = ContainerCgroup.V1MemoryHierarchy)]
    public void An_exec_with_a_controllers_cgroup_path_joins_that_sub_cgroup_in_those_v1_hierarchies_only_as_under_runc()
    {
        var moved = Parity.ShouldMatchRunc((runtime, id) => HierarchiesMovedBy(runtime, id, "--cgroup", $"pids,memory:{Sub}"));

        moved.Should().Be($"memory:/{Sub} pids:/{Sub}");
    }

    [RootTheory]
    [InlineData("../escaped")]
    [InlineData("missing-sub")]
    public void An_exec_with_a_cgroup_path_that_escapes_or_does_not_exist_is_refused_as_under_runc(string argument)
    {
        Config.SetArgs("sleep", "1000");

        var outcome = Parity.ShouldMatchRunc((runtime, id) =>
        {
            var cgroupsPath = StartWithOwnCgroup(runtime, id);
            var exec = RuntimeParity.OutcomeOf(runtime, id, runtime.Invoke("exec", "--cgroup", argument, id, "true"));
            runtime.Delete(id, force: true).ShouldSucceed();
            ContainerCgroup.ExistingInAnyHierarchy("/escaped").Should().BeEmpty("a refused exec makes no cgroup");
            ContainerCgroup.ExistingInAnyHierarchy($"{cgroupsPath}/missing-sub").Should().BeEmpty("a refused exec makes no cgroup");
            return exec;
        });

        outcome.Succeeded.Should().BeFalse();
        outcome.Status.Should().Be("running", "the refused exec leaves the container as it was");
    }

    [RootFact]
    public void An_exec_with_a_cgroup_path_that_escapes_is_refused_naming_the_flag()
    {
        Config.SetArgs("sleep", "1000");
        var id = Sandbox.NewContainerId();
        StartWithOwnCgroup(Runtime, id);

        Runtime.Invoke("exec", "--cgroup", "../escaped", id, "true").ShouldFail("--cgroup \"../escaped\": the path leaves the container's cgroup");
        Runtime.Invoke("exec", "--cgroup", "missing-sub", id, "true").ShouldFail("--cgroup: the sub-cgroup");
        Runtime.Delete(id, force: true).ShouldSucceed();
    }

    [RootFact]
    public void Delete_force_removes_the_sub_cgroup_and_the_process_an_exec_put_there_as_runc_does()
    {
        Config.SetArgs("sleep", "1000");

        var left = Parity.ShouldMatchRunc((runtime, id) =>
        {
            var cgroupsPath = StartWithOwnCgroup(runtime, id);
            foreach (var directory in ContainerCgroup.ExistingInAnyHierarchy(cgroupsPath))
                MakeSubCgroup(directory);
            var pidFile = Path.Combine(Sandbox.Path, $"{id}.exec.pid");
            runtime.InvokeWithOutputFiles(Sandbox.NewOutputFiles($"{id}-exec"), "exec", "--detach", "--pid-file", pidFile, "--cgroup", Sub, id, "sleep", "1000").ShouldSucceed();
            int execPid = int.Parse(File.ReadAllText(pidFile));
            var delete = runtime.Delete(id, force: true);
            var subCgroupsLeft = ContainerCgroup.ExistingInAnyHierarchy($"{cgroupsPath}/{Sub}");
            Eventually.True(() => !Directory.Exists($"/proc/{execPid}"), $"the exec'd process {execPid} to die with the container");
            return $"delete succeeded: {delete.Succeeded}, sub-cgroups left: {subCgroupsLeft.Count}";
        });

        left.Should().Be("delete succeeded: True, sub-cgroups left: 0");
    }

    /// <summary>Runs the container in a cgroup of its own and returns the cgroup's path.</summary>
    private string StartWithOwnCgroup(RuntimeCli runtime, string id)
    {
        var cgroupsPath = Sandbox.NewCgroupsPath();
        Config.SetCgroupsPath(cgroupsPath);
        Bundle.WriteConfig();
        runtime.InvokeWithOutputFiles(Sandbox.NewOutputFiles(id), "run", "--detach", "--bundle", Bundle.Path, id).ShouldSucceed();
        return cgroupsPath;
    }

    /// <summary>
    /// Makes <see cref="Sub"/> below the container's cgroup in every hierarchy, then lists "controllers:/path" for each
    /// hierarchy in which an exec with <paramref name="execOptions"/> is elsewhere than a plain exec, relative to it, space-separated.
    /// </summary>
    private string HierarchiesMovedBy(RuntimeCli runtime, string id, params string[] execOptions)
    {
        Config.SetArgs("sleep", "1000");
        var cgroupsPath = StartWithOwnCgroup(runtime, id);
        var subDirectories = ContainerCgroup.ExistingInAnyHierarchy(cgroupsPath).Select(MakeSubCgroup).ToList();
        var plain = runtime.Invoke("exec", id, "cat", "/proc/self/cgroup").ShouldSucceed().Stdout;
        var moved = runtime.Invoke(["exec", .. execOptions, id, "cat", "/proc/self/cgroup"]).ShouldSucceed().Stdout;
        foreach (var directory in subDirectories)
            Directory.Delete(directory);
        runtime.Delete(id, force: true).ShouldSucceed();
        return Relative(plain, moved);
    }

    /// <summary>
    /// A v1 cpuset cgroup takes no task until it has cpus and mems: they are copied from the container's. Removed at the
    /// end of the test if still there, before the container's cgroup.
    /// </summary>
    private string MakeSubCgroup(string containerDirectory)
    {
        var directory = Directory.CreateDirectory(Path.Combine(containerDirectory, Sub)).FullName;
        Sandbox.AddCleanup($"remove sub-cgroup {directory}", () =>
        {
            if (Directory.Exists(directory))
                Directory.Delete(directory);
        });
        foreach (var file in new[] { "cpuset.cpus", "cpuset.mems" }.Where(file => File.Exists(Path.Combine(containerDirectory, file))))
            File.WriteAllText(Path.Combine(directory, file), File.ReadAllText(Path.Combine(containerDirectory, file)));
        return directory;
    }

    /// <summary>"controllers:/rest" for each /proc/self/cgroup line of <paramref name="moved"/> whose path is below the plain exec's.</summary>
    private static string Relative(string plain, string moved)
    {
        var plainPaths = Lines(plain).ToDictionary(line => line.Controllers, line => line.Path);
        return string.Join(' ', Lines(moved)
            .Where(line => line.Path != plainPaths[line.Controllers])
            .Select(line => $"{line.Controllers}:{(line.Path.StartsWith(plainPaths[line.Controllers].TrimEnd('/') + "/") ? line.Path[plainPaths[line.Controllers].TrimEnd('/').Length..] : "outside " + line.Path)}")
            .Order());
    }

    private static IEnumerable<(string Controllers, string Path)> Lines(string procCgroup) =>
        procCgroup.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.Split(':', 3)).Select(parts => (parts[1], parts[2]));
}
