namespace OciRuntime.Tests.Conformance.Lifecycle;

/// <summary>
/// What a `create` or `delete` SIGKILLed midway leaves in the state directory is a container that `state` and `list`
/// show as stopped and that `delete --force` removes with its cgroup and its init; a failed create cleans up under the
/// container's lock. (The random version of this is Stress/FaultStressTests.)
/// </summary>
public sealed class InterruptedCommandTests(ITestOutputHelper output) : ConformanceTest(output)
{
    private const int SigkillExitCode = 128 + 9;

    /// <summary>
    /// An empty directory is what a create killed before its first write leaves; one holding only config.json what a
    /// delete killed while removing the directory leaves (the cgroup went first).
    /// </summary>
    [RootTheory]
    [InlineData("")]
    [InlineData("config.json")]
    public void State_directory_without_a_state_file_is_a_stopped_container_that_delete_force_removes(string leftFile)
    {
        var id = Sandbox.NewContainerId();
        var directory = Directory.CreateDirectory(Runtime.StateDirectory(id)).FullName;
        Bundle.WriteConfig();
        if (leftFile.Length > 0)
            File.Copy(Bundle.ConfigPath, Path.Combine(directory, leftFile));

        var state = ContainerState.Parse(Runtime.State(id).ShouldSucceed().Stdout);
        state.Id.Should().Be(id);
        state.Status.Should().Be("stopped", "no create is at work on it any more");
        state.Pid.Should().Be(0);
        ListedStatus(id).Should().Be("stopped", "`list` shows it so that an engine can clean it up");

        Runtime.Delete(id, force: true).ShouldSucceed();

        Directory.Exists(directory).Should().BeFalse();
        Runtime.State(id).ShouldFail("does not exist");
        Runtime.List("-q").ShouldSucceed().Stdout.Should().NotContain(id);
    }

    [RootFact]
    public void Create_killed_while_its_hook_runs_leaves_a_stopped_container_that_delete_force_removes_with_its_cgroup()
    {
        var cgroupsPath = Sandbox.NewCgroupsPath();
        Config.SetCgroupsPath(cgroupsPath);
        // The hook's parent is the create process: it dies with the init spawned, in its cgroup, and not yet recorded.
        Config.AddHook("createRuntime", ConfigEdits.Hook("/bin/sh", ["sh", "-c", "kill -KILL $PPID"]));

        var (container, result) = TryCreate();

        result.ExitCode.Should().Be(SigkillExitCode, "the hook killed create.{0}", result.Transcript());
        container.State().Status.Should().Be("stopped", "its create is dead, it will never finish");
        ListedStatus(container.Id).Should().Be("stopped");
        ContainerCgroup.ExistingDirectories(cgroupsPath).Should().NotBeEmpty("create made the cgroup before the hook ran");

        container.Delete(force: true).ShouldSucceed();

        Directory.Exists(container.StateDirectory).Should().BeFalse();
        ContainerCgroup.ExistingDirectories(cgroupsPath).Should().BeEmpty("delete --force removes the cgroup the record names");
        Runtime.State(container.Id).ShouldFail("does not exist");
    }

    /// <summary>A create killed after its init got ready but before it wrote the init's pid: only the cgroup knows the init.</summary>
    [RootFact]
    public void Delete_force_kills_an_init_whose_pid_create_never_recorded_through_its_cgroup()
    {
        var cgroupsPath = Sandbox.NewCgroupsPath();
        Config.SetCgroupsPath(cgroupsPath);
        var container = CreateContainer();
        var initPid = container.State().Pid;
        var stateFile = Path.Combine(container.StateDirectory, "state.json");
        var record = JsonNode.Parse(File.ReadAllText(stateFile))!.AsObject();
        record["status"] = "creating";
        record["pid"] = 0;
        File.WriteAllText(stateFile, record.ToJsonString());

        container.State().Status.Should().Be("stopped", "no create is at work on it any more");
        HostProcess.IsRunning(initPid).Should().BeTrue("the init waits for a start that will never come");

        container.Delete(force: true).ShouldSucceed();

        Eventually.True(() => !HostProcess.IsRunning(initPid), $"the unrecorded init {initPid} to be killed");
        ContainerCgroup.ExistingDirectories(cgroupsPath).Should().BeEmpty();
        Directory.Exists(container.StateDirectory).Should().BeFalse();
    }

    /// <summary>
    /// Another command that takes the lock the moment create lets it go must not find the container's state still there:
    /// a failed create removes everything before it unlocks. (The window is short: a few tries make an unlocked cleanup
    /// show.)
    /// </summary>
    [RootFact]
    public void Failed_create_removes_what_it_made_before_it_releases_the_container_lock()
    {
        // Fails late: after the state, the cgroup and the init exist.
        Config.AddHook("createRuntime", ConfigEdits.Hook("/bin/false", ["false"]));
        Bundle.WriteConfig();
        Directory.CreateDirectory(Runtime.StateRoot);

        for (int attempt = 0; attempt < 8; attempt++)
        {
            var id = Sandbox.NewContainerId();
            using var watcher = ContainerLockWatcher.Start(Runtime.StateDirectory(id));

            Runtime.Create(id, Bundle.Path, Sandbox.NewOutputFiles(id)).ShouldFail("createRuntime");

            watcher.Stop().Should().BeFalse("the state is removed before the lock is released (attempt {0})", attempt);
            Directory.Exists(Runtime.StateDirectory(id)).Should().BeFalse();
        }
    }

    private string? ListedStatus(string id) =>
        (string?)JsonNode.Parse(Runtime.List("--format", "json").ShouldSucceed().Stdout)!.AsArray()
            .SingleOrDefault(entry => (string?)entry!["id"] == id)?["status"];
}
