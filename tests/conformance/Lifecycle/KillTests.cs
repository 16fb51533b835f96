namespace OciRuntime.Tests.Conformance.Lifecycle;

/// <summary>runtime.md "Kill": the signal reaches created and running containers; stopped ones are an error.</summary>
public sealed class KillTests(ITestOutputHelper output) : ConformanceTest(output)
{
    [RootTheory]
    [InlineData("KILL")]
    [InlineData("SIGKILL")]
    [InlineData("9")]
    public void Kill_with_a_signal_name_or_number_stops_a_running_container(string signal)
    {
        Config.SetArgs("sleep", "1000");
        var container = StartContainer();

        container.Kill(signal).ShouldSucceed();

        container.WaitForStatus("stopped");
    }

    [RootFact]
    public void Kill_without_a_signal_sends_SIGTERM()
    {
        // A pid-namespace init only gets signals it handles, so the shell traps TERM to show it arrived.
        Config.SetShellScript("trap 'echo got-SIGTERM; exit 0' TERM; echo ready; while true; do sleep 0.1; done");
        var container = StartContainer();
        container.Output.WaitForStdout("ready");

        container.Kill().ShouldSucceed();

        container.WaitForStatus("stopped");
        container.Output.Stdout.Should().Contain("got-SIGTERM");
    }

    [RootFact]
    public void Kill_of_a_created_container_stops_it()
    {
        Config.SetArgs("sleep", "1000");
        var container = CreateContainer();

        container.Kill("KILL").ShouldSucceed();

        container.WaitForStatus("stopped");
    }

    [RootFact]
    public void Kill_of_a_stopped_container_fails()
    {
        Config.SetShellScript("exit 0");
        var container = StartContainer();
        container.WaitForStatus("stopped");

        container.Kill("KILL").ShouldFail();

        container.State().Status.Should().Be("stopped");
    }
}
