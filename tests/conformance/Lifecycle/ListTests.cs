namespace OciRuntime.Tests.Conformance.Lifecycle;

/// <summary>`list` in its three output forms shows the containers under --root.</summary>
public sealed class ListTests(ITestOutputHelper output) : ConformanceTest(output)
{
    [RootFact]
    public void List_table_shows_the_container_and_its_status()
    {
        var container = StartSleepingContainer();

        var lines = Runtime.List().ShouldSucceed().Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);

        lines[0].Should().StartWith("ID").And.Contain("STATUS");
        lines.Should().ContainSingle(line => line.StartsWith(container.Id + " "))
            .Which.Should().Contain("running").And.Contain(Bundle.Path);
    }

    [RootFact]
    public void List_quiet_prints_only_the_ids()
    {
        var container = StartSleepingContainer();

        Runtime.List("-q").ShouldSucceed().Stdout.Trim().Should().Be(container.Id);
    }

    [RootFact]
    public void List_json_describes_each_container()
    {
        var container = StartSleepingContainer();

        var entries = JsonNode.Parse(Runtime.List("--format", "json").ShouldSucceed().Stdout)!.AsArray();

        var entry = entries.Should().ContainSingle().Which!;
        ((string?)entry["id"]).Should().Be(container.Id);
        ((string?)entry["status"]).Should().Be("running");
        ((int?)entry["pid"]).Should().Be(container.State().Pid);
        ((string?)entry["bundle"]).Should().Be(Bundle.Path);
    }

    private Container StartSleepingContainer()
    {
        Config.SetArgs("sleep", "1000");
        return StartContainer();
    }
}
