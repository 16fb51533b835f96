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

    /// <summary>Enough containers that `list` reads them on two threads (Container.ListOnTwoThreadsFrom is 32).</summary>
    [RootFact]
    public void List_of_many_containers_shows_each_in_id_order_with_its_own_status()
    {
        Config.SetArgs("sleep", "1000");
        var expected = new SortedDictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i < 40; i++)
        {
            var container = CreateContainer();
            expected[container.Id] = "created";
            if (i % 3 != 0)
                continue;
            container.Start().ShouldSucceed();
            expected[container.Id] = "running";
            // Paused ones in both halves: the freezer's files are read from either thread.
            if (i % 9 == 0)
            {
                Runtime.Invoke("pause", container.Id).ShouldSucceed();
                expected[container.Id] = "paused";
            }
        }

        var entries = JsonNode.Parse(Runtime.List("--format", "json").ShouldSucceed().Stdout)!.AsArray();

        entries.Select(entry => $"{(string?)entry!["id"]} {(string?)entry["status"]}")
            .Should().Equal(expected.Select(pair => $"{pair.Key} {pair.Value}"));
    }

    private Container StartSleepingContainer()
    {
        Config.SetArgs("sleep", "1000");
        return StartContainer();
    }
}
