namespace OciRuntime.Tests.Conformance.Engines.Podman;

/// <summary>A detached podman container's life through conmon: exec, stop, kill, wait, rm, top, pause/unpause.</summary>
public sealed class PodmanLifecycleTests(PodmanFixture fixture, ITestOutputHelper output) : IClassFixture<PodmanFixture>, IDisposable
{
    private readonly PodmanCli podman = fixture.Client(output);

    [RootFact]
    public void Detached_container_takes_exec_then_stop_and_rm_remove_it()
    {
        var name = podman.NewName();
        podman.Run(["--detach", "--name", name], "sh", "-c", "trap 'exit 0' TERM; while :; do sleep 0.1; done").ShouldSucceed();
        var id = podman.Inspect(name, "{{.Id}}");

        var exec = podman.Invoke("exec", name, "sh", "-c", "echo in-exec; exit 3");
        exec.ExitCode.Should().Be(3, exec.Transcript());
        exec.Stdout.Should().Be("in-exec\n");

        podman.Invoke("stop", "--time", "20", name).ShouldSucceed();
        podman.Inspect(name, "{{.State.Status}} {{.State.ExitCode}}").Should().Be("exited 0", "SIGTERM reached the init's trap (SIGKILL would give 137)");

        podman.Invoke("rm", name).ShouldSucceed();
        podman.Invoke("container", "exists", name).ExitCode.Should().Be(1);
        ContainerCgroup.ExistingDirectories($"{fixture.CgroupParent}/libpod-{id}").Should().BeEmpty("the runtime's delete removes the container's cgroup");
    }

    [RootFact]
    public void Init_is_a_child_of_conmon()
    {
        var name = podman.RunSleeping();

        var pid = int.Parse(podman.Inspect(name, "{{.State.Pid}}"));

        HostProcess.ParentOf(pid).Should().Be(int.Parse(podman.Inspect(name, "{{.State.ConmonPid}}")),
            "conmon is a child subreaper and reaps the init the runtime left to it");
    }

    [RootFact]
    public void Exit_code_of_a_detached_container_is_reported_by_wait()
    {
        var name = podman.NewName();
        podman.Run(["--detach", "--name", name], "sh", "-c", "sleep 0.2; exit 9").ShouldSucceed();

        podman.Invoke("wait", name).ShouldSucceed().Stdout.Trim().Should().Be("9");
    }

    [RootFact]
    public void Killed_container_exits_with_137()
    {
        var name = podman.RunSleeping();

        podman.Invoke("kill", "--signal", "KILL", name).ShouldSucceed();

        podman.Invoke("wait", name).ShouldSucceed().Stdout.Trim().Should().Be("137");
    }

    [RootFact]
    public void Exec_failures_exit_127_for_a_missing_program_and_126_for_a_file_that_is_not_executable()
    {
        // As for `podman run`, podman reads the runtime's message: runc's "no such file or directory" and
        // "permission denied".
        var name = podman.RunSleeping();

        var missing = podman.Invoke("exec", name, "/no-such-program");
        var notExecutable = podman.Invoke("exec", name, "/etc/passwd");

        missing.ExitCode.Should().Be(127, missing.Transcript());
        notExecutable.ExitCode.Should().Be(126, notExecutable.Transcript());
        notExecutable.Stderr.Should().Contain("permission denied");
    }

    [RootFact]
    public void Container_processes_have_only_their_stdio_open()
    {
        var name = podman.RunSleeping();

        var result = podman.Invoke("exec", name, "ls", "/proc/1/fd").ShouldSucceed();

        result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().Equal(["0", "1", "2"],
            "no descriptor of conmon's or the runtime's may leak into the container");
    }

    [RootFact]
    public void Top_lists_the_container_processes()
    {
        var name = podman.RunSleeping();

        podman.Invoke("top", name).ShouldSucceed().Stdout.Should().Contain("sleep 1000");
    }

    [RootFact]
    public void Pause_freezes_the_container_and_unpause_thaws_it()
    {
        var name = podman.NewName();
        podman.Run(["--detach", "--name", name], "sh", "-c", "while :; do echo tick; sleep 0.05; done").ShouldSucceed();
        Eventually.True(() => Ticks(name) > 0, "the container to print");

        podman.Invoke("pause", name).ShouldSucceed();

        podman.Inspect(name, "{{.State.Status}}").Should().Be("paused");
        Thread.Sleep(200); // conmon may still be logging what was written before the freeze
        var ticksWhenPaused = Ticks(name);
        Thread.Sleep(500);
        Ticks(name).Should().Be(ticksWhenPaused, "a frozen container prints nothing");

        podman.Invoke("unpause", name).ShouldSucceed();

        podman.Inspect(name, "{{.State.Status}}").Should().Be("running");
        Eventually.True(() => Ticks(name) > ticksWhenPaused, "the thawed container to print again");
    }

    // Not logged: it is polled.
    private int Ticks(string name) =>
        CommandRunner.Run("env", fixture.CommandLine("logs", name)).Stdout.Split('\n').Count(line => line == "tick");

    public void Dispose() => podman.Dispose();
}
