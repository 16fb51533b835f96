namespace OciRuntime.Tests.Conformance.Lifecycle;

/// <summary>runtime.md "Create": environment built, user program not yet run, ids unique, failures leave nothing.</summary>
public sealed class CreateTests(ITestOutputHelper output) : ConformanceTest(output)
{
    [RootFact]
    public void Create_returns_before_the_user_process_runs_and_start_runs_it()
    {
        var markers = Sandbox.CreateHostDirectory("markers");
        Config.AddBindMount(markers, "/markers", "rbind", "rw");
        Config.SetShellScript("touch /markers/started; sleep 1000");
        var marker = Path.Combine(markers, "started");

        var container = CreateContainer();
        // Give a runtime that wrongly runs the program at create time the chance to show it.
        Thread.Sleep(TimeSpan.FromMilliseconds(300));
        File.Exists(marker).Should().BeFalse("process.args MUST NOT be applied until start");

        container.Start().ShouldSucceed();
        Eventually.True(() => File.Exists(marker), "the user process to run after start");
    }

    [RootFact]
    public void Create_with_an_id_already_in_use_fails_with_already_exists_and_keeps_the_first()
    {
        Config.SetArgs("sleep", "1000");
        var first = CreateContainer();
        var firstPid = first.State().Pid;

        Runtime.Create(first.Id, Bundle.Path, Sandbox.NewOutputFiles("second")).ShouldFail("already exists");

        var state = first.State();
        state.Status.Should().Be("created");
        state.Pid.Should().Be(firstPid);
    }

    [RootFact]
    public void Create_that_cannot_apply_the_config_fails_and_leaves_no_container()
    {
        Config.AddMount("/impossible", "no-such-filesystem-type", "none");

        CreateFailsAndLeavesNothing("/impossible");
    }

    /// <summary>
    /// The bootstrap is started without waiting for its execve, so a failed execve is only learnt later: still one line
    /// with the system call's error, and nothing left (no state dir, no cgroup).
    /// </summary>
    [RootFact(RequiresPath = "/usr/bin/strace")]
    public void A_bootstrap_that_cannot_execute_fails_with_the_errno_and_leaves_nothing()
    {
        var cgroupsPath = Sandbox.NewCgroupsPath();
        Config.SetCgroupsPath(cgroupsPath);
        Bundle.WriteConfig();
        var id = Sandbox.NewContainerId();
        var trace = Path.Combine(Sandbox.CreateHostDirectory("strace"), "trace");

        var result = Runtime.RunWithSyscallFailing(id, Bundle.Path, trace, "execveat", "EACCES");

        result.ExitCode.Should().Be(1, result.Transcript());
        result.Stderr.Should().Be("ociruntime: run: execute the container init's bootstrap (the init image): EACCES (Permission denied)\n");
        Runtime.State(id).ShouldFail("does not exist");
        ContainerCgroup.ExistingInAnyHierarchy(cgroupsPath).Should().BeEmpty();
    }

    [RootFact]
    public void Config_changes_after_create_do_not_affect_the_container()
    {
        Config.SetShellScript("echo from-the-original-config");
        var container = CreateContainer();

        Config.SetShellScript("echo from-the-edited-config");
        Bundle.WriteConfig();
        container.Start().ShouldSucceed();

        container.WaitForStatus("stopped");
        container.Output.Stdout.Should().Contain("from-the-original-config").And.NotContain("edited");
    }

    [RootFact]
    public void Pid_file_holds_the_init_pid()
    {
        Config.SetArgs("sleep", "1000");
        var pidFile = Path.Combine(Sandbox.Path, "container.pid");

        var container = CreateContainer(pidFile);

        File.ReadAllText(pidFile).Trim().Should().Be(container.State().Pid.ToString());
    }
}
