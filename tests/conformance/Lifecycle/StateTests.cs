namespace OciRuntime.Tests.Conformance.Lifecycle;

/// <summary>runtime.md "State" and "Query State": the fields and the status through the lifecycle.</summary>
public sealed class StateTests(ITestOutputHelper output) : ConformanceTest(output)
{
    [RootFact]
    public void State_after_create_has_the_required_fields_and_status_created()
    {
        Config.SetArgs("sleep", "1000");
        var container = CreateContainer();

        var state = container.State();

        state.OciVersion.Should().NotBeNullOrWhiteSpace();
        state.Id.Should().Be(container.Id);
        state.Status.Should().Be("created");
        state.Pid.Should().BePositive();
        HostProcess.IsRunning(state.Pid).Should().BeTrue("the pid of a created container is its waiting init");
        state.Bundle.Should().Be(Bundle.Path);
    }

    [RootFact]
    public void State_bundle_is_absolute_when_create_was_given_a_relative_path()
    {
        Config.SetArgs("sleep", "1000");
        Bundle.WriteConfig();
        var id = Sandbox.NewContainerId();
        var relativeBundle = Path.GetRelativePath(Environment.CurrentDirectory, Bundle.Path);

        Runtime.Create(id, relativeBundle, Sandbox.NewOutputFiles(id)).ShouldSucceed();

        ContainerState.Parse(Runtime.State(id).ShouldSucceed().Stdout).Bundle.Should().Be(Bundle.Path);
    }

    [RootFact]
    public void State_after_start_is_running()
    {
        Config.SetArgs("sleep", "1000");
        var container = StartContainer();

        var state = container.State();

        state.Status.Should().Be("running");
        HostProcess.IsRunning(state.Pid).Should().BeTrue();
    }

    [RootFact]
    public void State_after_the_process_exits_is_stopped()
    {
        Config.SetShellScript("exit 0");
        var container = StartContainer();

        container.WaitForStatus("stopped");
    }

    [RootFact]
    public void State_carries_the_config_annotations()
    {
        Config["annotations"] = new JsonObject { ["org.example.conformance"] = "annotated" };
        Config.SetArgs("sleep", "1000");
        var container = CreateContainer();

        var annotations = container.State().Json["annotations"];

        ((string?)annotations?["org.example.conformance"]).Should().Be("annotated");
    }

    [RootFact]
    public void State_pid_is_the_init_as_the_host_sees_it()
    {
        Config.SetArgs("sleep", "1000");
        var container = StartContainer();

        var pid = container.State().Pid;

        File.ReadAllText($"/proc/{pid}/cmdline").Split('\0')[0].Should().Be("sleep");
    }
}
