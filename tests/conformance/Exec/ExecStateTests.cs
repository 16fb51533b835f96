namespace OciRuntime.Tests.Conformance.Exec;

/// <summary>Which containers `exec` works on: created and running ones; stopped and unknown ones fail clearly.</summary>
public sealed class ExecStateTests(ITestOutputHelper output) : ConformanceTest(output)
{
    [RootFact]
    public void Exec_into_a_stopped_container_fails_saying_it_is_stopped()
    {
        Config.SetShellScript("exit 0");
        var container = StartContainer();
        container.WaitForStatus("stopped");

        Runtime.Invoke("exec", container.Id, "true").ShouldFail("stopped");
    }

    [RootFact]
    public void Exec_into_an_unknown_container_fails_with_does_not_exist()
    {
        Runtime.Invoke("exec", Sandbox.NewContainerId(), "true").ShouldFail("does not exist");
    }

    [RootFact]
    public void Exec_into_a_created_container_runs_in_its_namespaces_before_start()
    {
        Config["hostname"] = "created-not-started";
        Config.SetArgs("sleep", "1000");
        var container = CreateContainer();

        Runtime.Invoke("exec", container.Id, "hostname").ShouldSucceed().Stdout.Trim().Should().Be("created-not-started");

        container.State().Status.Should().Be("created", "exec does not start the container");
    }
}
