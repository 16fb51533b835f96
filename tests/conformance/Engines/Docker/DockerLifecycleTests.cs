namespace OciRuntime.Tests.Conformance.Engines.Docker;

/// <summary>A detached Docker container's life through the shim and the runtime: exec, stop, kill, top, pause/unpause, restarts.</summary>
public sealed class DockerLifecycleTests(DockerFixture fixture, ITestOutputHelper output) : IClassFixture<DockerFixture>
{
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(2);

    [RootTheory]
    [ClassData(typeof(DockerRuntimes))]
    public void Exec_relays_the_output_and_exit_code_and_runs_as_the_user_asked_for(string runtime)
    {
        using var docker = fixture.Client(runtime, output);
        var name = docker.RunSleeping();

        var exec = docker.Invoke("exec", name, "sh", "-c", "echo in-exec; exit 3");
        var asUser = docker.Invoke("exec", "--user", $"{BusyboxBundle.UserId}", name, "id", "-u");

        exec.ExitCode.Should().Be(3, exec.Transcript());
        exec.Stdout.Should().Be("in-exec\n");
        asUser.ShouldSucceed().Stdout.Should().Be($"{BusyboxBundle.UserId}\n");
    }

    [RootTheory]
    [ClassData(typeof(DockerRuntimes))]
    public void Stop_sends_SIGTERM_and_a_container_that_handles_it_exits_at_once(string runtime)
    {
        using var docker = fixture.Client(runtime, output);
        var name = docker.RunDetached([], "sh", "-c", "trap 'exit 0' TERM; echo ready; while :; do sleep 0.1; done");
        docker.WaitForLogLine(name, "ready");

        docker.Invoke("stop", "--time", "30", name).ShouldSucceed();

        docker.Inspect(name, "{{.State.Status}} {{.State.ExitCode}}").Should().Be("exited 0", "SIGTERM reached the init's trap (SIGKILL would give 137)");
    }

    [RootTheory]
    [ClassData(typeof(DockerRuntimes))]
    public void Stop_kills_a_container_that_ignores_SIGTERM(string runtime)
    {
        // sleep as pid 1 of its pid namespace has no handler for SIGTERM, so the kernel does not deliver it.
        using var docker = fixture.Client(runtime, output);
        var name = docker.RunSleeping();

        docker.Invoke("stop", "--time", $"{StopTimeout.TotalSeconds}", name).ShouldSucceed();

        docker.Inspect(name, "{{.State.Status}} {{.State.ExitCode}}").Should().Be("exited 137", "SIGKILL ended it");
    }

    [RootTheory]
    [ClassData(typeof(DockerRuntimes))]
    public void Kill_with_a_signal_delivers_that_signal(string runtime)
    {
        using var docker = fixture.Client(runtime, output);
        var name = docker.RunDetached([], "sh", "-c", "trap 'echo got-usr1; exit 5' USR1; echo ready; while :; do sleep 0.1; done");
        docker.WaitForLogLine(name, "ready");

        docker.Invoke("kill", "--signal", "USR1", name).ShouldSucceed();

        docker.Invoke("wait", name).ShouldSucceed().Stdout.Trim().Should().Be("5");
        docker.Logs(name).Should().Contain("got-usr1");
    }

    [RootTheory]
    [ClassData(typeof(DockerRuntimes))]
    public void Runtime_shows_the_running_container_under_the_root_Docker_gives_it(string runtime)
    {
        using var docker = fixture.Client(runtime, output);
        var name = docker.RunSleeping();
        var id = docker.Inspect(name, "{{.Id}}");

        var state = JsonNode.Parse(fixture.Runtime(runtime, output).State(id).ShouldSucceed().Stdout)!;

        state["status"]!.GetValue<string>().Should().Be("running");
        state["pid"]!.GetValue<int>().ToString().Should().Be(docker.Inspect(name, "{{.State.Pid}}"));
    }

    [RootTheory]
    [ClassData(typeof(DockerRuntimes))]
    public void Top_lists_the_container_processes(string runtime)
    {
        // The shim asks the runtime (`ps --format json`) for the container's pids.
        using var docker = fixture.Client(runtime, output);
        var name = docker.RunSleeping();
        var pid = docker.Inspect(name, "{{.State.Pid}}");

        var top = docker.Invoke("top", name, "-o", "pid,args").ShouldSucceed();

        top.Stdout.Should().MatchRegex($@"(?m)^\s*{pid}\s+sleep 1000\s*$");
    }

    [RootTheory]
    [ClassData(typeof(DockerRuntimes))]
    public void Pause_freezes_the_container_and_unpause_thaws_it(string runtime)
    {
        using var docker = fixture.Client(runtime, output);
        var name = docker.RunDetached([], "sh", "-c", "while :; do echo tick; sleep 0.05; done");
        Eventually.True(() => Ticks(docker, name) > 0, "the container to print");

        docker.Invoke("pause", name).ShouldSucceed();

        docker.Inspect(name, "{{.State.Status}}").Should().Be("paused");
        var ticksWhenPaused = SettledTicks(docker, name);
        Thread.Sleep(700);
        Ticks(docker, name).Should().Be(ticksWhenPaused, "a frozen container prints nothing");

        docker.Invoke("unpause", name).ShouldSucceed();

        docker.Inspect(name, "{{.State.Status}}").Should().Be("running");
        Eventually.True(() => Ticks(docker, name) > ticksWhenPaused, "the thawed container to print again");
    }

    [RootTheory]
    [ClassData(typeof(DockerRuntimes))]
    public void Restart_policy_on_failure_runs_the_container_again_up_to_its_limit(string runtime)
    {
        // Each restart deletes the exited container with the runtime and creates and starts it again.
        using var docker = fixture.Client(runtime, output);
        var name = docker.RunDetached(["--restart", "on-failure:2"], "sh", "-c", "echo run; exit 3");

        Eventually.True(() => docker.InspectPolled(name, "{{.RestartCount}} {{.State.Status}}") == "2 exited",
            "the container to be restarted twice and then stay exited", TimeSpan.FromSeconds(60));

        docker.Inspect(name, "{{.State.ExitCode}}").Should().Be("3");
        docker.Logs(name).Split('\n').Count(line => line == "run").Should().Be(3, "it ran once and was restarted twice");
    }

    /// <summary>The tick count once it stops changing: the shim and dockerd may still be copying what was written before the freeze.</summary>
    private static int SettledTicks(DockerCli docker, string name)
    {
        var ticks = Ticks(docker, name);
        Eventually.True(() =>
        {
            Thread.Sleep(300);
            var before = ticks;
            ticks = Ticks(docker, name);
            return ticks == before;
        }, "the paused container's output to settle");
        return ticks;
    }

    private static int Ticks(DockerCli docker, string name) => docker.Logs(name).Split('\n').Count(line => line == "tick");
}
