namespace OciRuntime.Tests.Conformance.Lifecycle;

/// <summary>runtime.md "Start": only a created container can be started; otherwise an error and no effect.</summary>
public sealed class StartTests(ITestOutputHelper output) : ConformanceTest(output)
{
    [RootFact]
    public void Start_of_a_running_container_fails_and_leaves_it_running()
    {
        Config.SetArgs("sleep", "1000");
        var container = StartContainer();
        var pid = container.State().Pid;

        container.Start().ShouldFail("cannot start");

        var state = container.State();
        state.Status.Should().Be("running");
        state.Pid.Should().Be(pid);
    }

    [RootFact]
    public void Start_of_a_stopped_container_fails()
    {
        Config.SetShellScript("echo ran-once");
        var container = StartContainer();
        container.WaitForStatus("stopped");

        container.Start().ShouldFail("cannot start a container that has stopped");

        container.State().Status.Should().Be("stopped");
        container.Output.Stdout.Trim().Should().Be("ran-once", "the program must not run a second time");
    }
}
