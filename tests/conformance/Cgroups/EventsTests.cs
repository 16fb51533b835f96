namespace OciRuntime.Tests.Conformance.Cgroups;

/// <summary>runc's `events`: JSON lines of cgroup statistics, and "oom" events from the memory controller.</summary>
public sealed class EventsTests(ITestOutputHelper output) : ConformanceTest(output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [RootFact]
    public void Stats_prints_one_stats_event_with_the_cgroups_numbers()
    {
        Config.Linux().ObjectAt("resources")["memory"] = new JsonObject { ["limit"] = 64L << 20 };
        Config.Linux().ObjectAt("resources")["pids"] = new JsonObject { ["limit"] = 33 };
        Config.SetArgs("sleep", "1000");
        var container = StartContainer();

        var lines = Runtime.Invoke("events", "--stats", container.Id).ShouldSucceed().Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);

        lines.Should().ContainSingle();
        var e = JsonNode.Parse(lines[0])!;
        e["type"]!.GetValue<string>().Should().Be("stats");
        e["id"]!.GetValue<string>().Should().Be(container.Id);
        var data = e["data"]!;
        data["memory"]!["usage"]!["limit"]!.GetValue<ulong>().Should().Be(64UL << 20);
        data["memory"]!["usage"]!["usage"]!.GetValue<ulong>().Should().BePositive();
        data["pids"]!["current"]!.GetValue<ulong>().Should().Be(1);
        data["pids"]!["limit"]!.GetValue<ulong>().Should().Be(33);
        data["cpu"]!["usage"]!["total"]!.GetValue<ulong>().Should().BePositive();
        data.AsObject().Select(p => p.Key).Should().Contain(["cpu", "memory", "pids", "blkio", "hugetlb"]);
    }

    [RootFact]
    public async Task Without_stats_it_prints_stats_repeatedly_until_the_container_stops()
    {
        Config.SetArgs("sleep", "2");
        var container = CreateContainer();
        var events = Runtime.InvokeAsync(Timeout, "events", "--interval", "300ms", container.Id);
        container.Start().ShouldSucceed();

        var result = (await events).ShouldSucceed();

        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        // How many depends on the machine's load; more than one shows a stream rather than a snapshot.
        lines.Length.Should().BeGreaterThan(1, "a stats line every 300 ms while the container runs for 2 s");
        lines.Should().OnlyContain(l => JsonNode.Parse(l)!["type"]!.GetValue<string>() == "stats");
    }

    [RootFact]
    public async Task An_oom_kill_is_reported_as_an_oom_event()
    {
        Config.Linux().ObjectAt("resources")["memory"] = new JsonObject { ["limit"] = 32L << 20, ["swap"] = 32L << 20 };
        Config.SetShellScript("sleep 0.5; awk 'BEGIN { s = \"x\"; while (1) s = s s }'; sleep 0.5");
        var container = CreateContainer();
        var events = Runtime.InvokeAsync(Timeout, "events", "--interval", "30s", container.Id);
        container.Start().ShouldSucceed();

        var result = (await events).ShouldSucceed();

        result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!)
            .Should().Contain(e => e["type"]!.GetValue<string>() == "oom" && e["id"]!.GetValue<string>() == container.Id);
    }

    [RootFact]
    public void Events_of_a_stopped_container_fail()
    {
        Config.SetArgs("true");
        var container = StartContainer();
        container.WaitForStatus("stopped");

        Runtime.Invoke("events", "--stats", container.Id).ShouldFail("not running");
    }
}
