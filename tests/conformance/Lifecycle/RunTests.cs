namespace OciRuntime.Tests.Conformance.Lifecycle;

/// <summary>`run` (create + start, runc's CLI): exit status and detached mode as engines and users see them.</summary>
public sealed class RunTests(ITestOutputHelper output) : ConformanceTest(output)
{
    [RootFact]
    public void Run_exits_with_the_container_process_exit_status()
    {
        Config.SetShellScript("exit 3");

        RunContainer().ExitCode.Should().Be(3);
    }

    [RootFact]
    public void Run_of_a_container_killed_by_SIGKILL_exits_with_137()
    {
        Config.SetArgs("sleep", "1000");
        Bundle.WriteConfig();
        var id = Sandbox.NewContainerId();
        var run = Runtime.RunAsync(id, Bundle.Path);
        Eventually.True(() => Runtime.QuietState(id) is { Succeeded: true } state && ContainerState.Parse(state.Stdout).Status == "running",
            "the container to be running");

        Runtime.Kill(id, "KILL").ShouldSucceed();

        run.Wait(CommandRunner.DefaultTimeout).Should().BeTrue();
        run.Result.ExitCode.Should().Be(128 + 9, "a shell reports death by signal N as 128 + N");
    }

    [RootTheory]
    [InlineData(false, "adopted by run")]
    [InlineData(true, "left to the next subreaper")]
    public void Foreground_run_adopts_the_containers_orphans_unless_told_no_subreaper(bool noSubreaper, string expected)
    {
        // In the host's PID namespace an orphan goes to the nearest subreaper: `run` is one for its container, as runc.
        Config.RemoveNamespace("pid");
        Config.AddTmpfs("/tmp");
        Config.SetShellScript("""
            (sleep 30 & echo $! > /tmp/orphan)
            orphan=$(cat /tmp/orphan)
            sleep 0.5
            parent() { grep '^PPid:' /proc/$1/status; }
            [ "$(parent $orphan)" = "$(parent $$)" ] && echo adopted by run || echo left to the next subreaper
            kill $orphan
            """);
        Bundle.WriteConfig();

        Runtime.Invoke(["run", .. noSubreaper ? new[] { "--no-subreaper" } : [], "--bundle", Bundle.Path, Sandbox.NewContainerId()])
            .ShouldSucceed().Stdout.Trim().Should().Be(expected);
    }

    [RootFact]
    public void Run_detached_returns_while_the_container_keeps_running()
    {
        Config.SetShellScript("echo detached-output; exec sleep 1000");
        Bundle.WriteConfig();
        var id = Sandbox.NewContainerId();
        var container = new Container(Runtime, id, Sandbox.NewOutputFiles(id));

        Runtime.RunDetached(id, Bundle.Path, container.Output).ShouldSucceed();

        container.State().Status.Should().Be("running");
        container.Output.WaitForStdout("detached-output");
    }
}
