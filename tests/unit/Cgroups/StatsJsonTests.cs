using System.Text.Json;
using System.Text.Json.Nodes;
using OciRuntime.Cgroups;

namespace OciRuntime.Tests.Unit.Cgroups;

/// <summary>The `events` JSON has runc's field names and Go's omitempty behaviour.</summary>
public sealed class StatsJsonTests
{
    [Fact]
    public void Stats_event_uses_runcs_names_and_leaves_out_zero_numbers_but_not_objects()
    {
        var stats = new CgroupStats();
        stats.Memory.Usage = new MemoryEntry { Limit = 100, Usage = 0, Failcnt = 0 };
        stats.Pids.Current = 3;
        stats.Hugetlb["2MB"] = new HugetlbStats();

        var json = JsonNode.Parse(JsonSerializer.Serialize(new ContainerEvent { Type = "stats", Id = "c1", Data = stats }, CgroupJsonContext.Default.ContainerEvent))!;

        json["type"]!.GetValue<string>().Should().Be("stats");
        json["id"]!.GetValue<string>().Should().Be("c1");
        var data = json["data"]!.AsObject();
        data.Select(p => p.Key).Should().Equal("cpu", "cpuset", "memory", "pids", "blkio", "hugetlb", "intel_rdt", "network_interfaces");
        data["cpu"]!["usage"]!.AsObject().Select(p => p.Key).Should().Equal("kernel", "user");
        data["memory"]!["usage"]!.AsObject().Select(p => p.Key).Should().Equal("limit", "failcnt");
        data["memory"]!["kernelTCP"].Should().NotBeNull();
        data["pids"]!.ToJsonString().Should().Be("{\"current\":3}");
        data["hugetlb"]!["2MB"]!.ToJsonString().Should().Be("{\"failcnt\":0}");
        data["network_interfaces"].Should().BeNull();
    }

    [Fact]
    public void Oom_event_has_no_data() =>
        JsonSerializer.Serialize(new ContainerEvent { Type = "oom", Id = "c1" }, CgroupJsonContext.Default.ContainerEvent)
            .Should().Be("{\"type\":\"oom\",\"id\":\"c1\"}");
}
