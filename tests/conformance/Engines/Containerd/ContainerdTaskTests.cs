namespace OciRuntime.Tests.Conformance.Engines.Containerd;

/// <summary>`ctr task …` on a running container: exec (with and without a terminal), kill, pause/resume, ps, metrics.</summary>
public sealed class ContainerdTaskTests(ContainerdFixture containerd, ITestOutputHelper output) : IClassFixture<ContainerdFixture>, IDisposable
{
    private readonly Ctr ctr = containerd.Client(output);

    [RootFact]
    public void Exec_runs_a_process_in_the_container_and_returns_its_output_and_exit_code()
    {
        var id = ctr.NewId();
        ctr.RunSleeping(id);

        // Under the full suite's load the exit status arrived and the line did not (2 of 5 runs; alone 8 of 8 passed): ctr
        // deletes the exec once it has the status, and a line still in the shim's copy then does not reach it. The shell
        // lingers after its line.
        var result = ctr.Exec(id, "/bin/sh", "-c", "echo \"pid 1 is $(cat /proc/1/comm)\"; sleep 0.5; exit 5");

        result.ExitCode.Should().Be(5, result.Transcript());
        result.Stdout.Should().Contain("pid 1 is sleep", "the exec'd process is in the container's pid namespace");
    }

    [RootFact]
    public void Exec_with_a_tty_gives_the_process_a_terminal_through_the_console_socket()
    {
        var id = ctr.NewId();
        ctr.RunSleeping(id);

        var result = ctr.ExecInTerminal(id, "typed-line\n", "/bin/sh", "-c", "read line; echo \"got-$line\"; tty; exit 6");

        result.ExitCode.Should().Be(6, result.Transcript());
        result.Stdout.Should().Contain("got-typed-line").And.MatchRegex(@"(?m)^/dev/pts/\d+$");
    }

    [RootFact]
    public void Kill_delivers_each_signal_to_the_init()
    {
        // A pid-namespace init only gets signals it handles, so the shell traps them to show they arrived.
        var id = ctr.NewId();
        var stdout = ctr.RunDetachedWithOutput(id, [], "/bin/sh", "-c",
            "trap 'echo got-USR1' USR1; trap 'echo got-TERM; exit 42' TERM; echo ready; while :; do sleep 0.1; done");
        stdout.WaitForStdout("ready");

        ctr.Kill(id, "SIGUSR1").ShouldSucceed();
        stdout.WaitForStdout("got-USR1");
        ctr.Kill(id).ShouldSucceed();

        stdout.WaitForStdout("got-TERM");
        ctr.WaitForTaskStatus(id, "STOPPED");
        ctr.Invoke("tasks", "delete", id).ShouldSucceed().Stderr.Should().Contain("exit code 42", "the shim reports the init's exit status");
    }

    [RootFact]
    public void Pause_freezes_every_process_and_resume_thaws_them()
    {
        var id = ctr.NewId();
        var stdout = ctr.RunDetachedWithOutput(id, [], "/bin/sh", "-c", "while :; do echo tick; sleep 0.05; done");
        stdout.WaitForStdout("tick");

        ctr.Invoke("tasks", "pause", id).ShouldSucceed();

        ctr.FindTask(id)!.Status.Should().Be("PAUSED");
        Thread.Sleep(200); // the shim may still be copying what was written before the freeze
        var ticksWhenPaused = Ticks(stdout);
        Thread.Sleep(500);
        Ticks(stdout).Should().Be(ticksWhenPaused, "a frozen container prints nothing");

        ctr.Invoke("tasks", "resume", id).ShouldSucceed();

        ctr.FindTask(id)!.Status.Should().Be("RUNNING");
        Eventually.True(() => Ticks(stdout) > ticksWhenPaused, "the thawed container to print again");
    }

    [RootFact]
    public void Ps_lists_the_container_processes()
    {
        var id = ctr.NewId();
        var initPid = ctr.RunSleeping(id);

        var result = ctr.Invoke("tasks", "ps", id).ShouldSucceed();

        // PID INFO table: the shim's `ps --format json` pids.
        result.Stdout.Split('\n').Skip(1).Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault())
            .Should().Contain(initPid.ToString());
    }

    [RootFact]
    public void Metrics_read_the_cgroup_the_runtime_made()
    {
        const long memoryLimit = 64L * 1024 * 1024;
        var id = ctr.NewId();
        ctr.RunSleeping(id, "--memory-limit", memoryLimit.ToString());

        var metrics = JsonNode.Parse(ctr.Invoke("tasks", "metrics", "--format", "json", id).ShouldSucceed().Stdout)!;

        // cgroup v1 metrics name it memory.usage.limit, v2 metrics memory.usage_limit.
        var limit = (long?)metrics["memory"]?["usage"]?["limit"] ?? (long?)metrics["memory"]?["usage_limit"];
        limit.Should().Be(memoryLimit, "the runtime wrote linux.resources.memory.limit into the cgroup the shim reads");
        ((long?)metrics["pids"]?["current"]).Should().BeGreaterThanOrEqualTo(1);
    }

    private static int Ticks(OutputFiles stdout) => stdout.Stdout.Split('\n').Count(line => line == "tick");

    public void Dispose() => ctr.Dispose();
}
