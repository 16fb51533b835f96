using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using OciRuntime.Cgroups.Systemd;
using OciRuntime.Config;
using OciRuntime.Lifecycle;

namespace OciRuntime.Tests.Unit.Lifecycle;

/// <summary>state.json and the state output are written by hand: they must read back whole and look as the serializer writes them.</summary>
public sealed class StateJsonTests
{
    /// <summary>The serializer with the runtime's settings, by reflection: what the documents looked like when it wrote them.</summary>
    private static readonly JsonSerializerOptions Serializer = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = true,
        TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
        // The status as runc's word ("created"), which the strings it was before wrote.
        Converters = { new JsonStringEnumConverter<ContainerStatus>(JsonNamingPolicy.CamelCase) },
    };

    private static ContainerRecord FullRecord() => new()
    {
        OciVersion = "1.2.0",
        Id = "c1",
        Pid = 4242,
        Status = ContainerStatus.Created,
        Bundle = "/b \"quoted\" <html> é",
        Rootfs = "/b/rootfs",
        Created = new DateTime(2026, 12, 3, 16, 1, 8, DateTimeKind.Utc).AddTicks(5930160),
        Owner = "root",
        Annotations = new() { ["org.example/key"] = "value\nwith newline", ["empty"] = "" },
        InitStartTime = 167538,
        CgroupPath = "/system.slice/docker-c1.scope",
        CgroupPathsByMount = new() { ["/sys/fs/cgroup/memory"] = "/other/c1" },
        SystemdScope = new SystemdScope { Slice = "machine.slice", Unit = "docker-c1.scope" },
        // Every kind of hook, each field set somewhere and left out somewhere.
        Hooks = new HooksConfig
        {
            Prestart = [new Hook { Path = "/bin/pre", Timeout = 1 }],
            CreateRuntime = [new Hook { Path = "/bin/runtime", Args = [] }, new Hook { Path = "/bin/runtime2", Env = ["B=\"2\""] }],
            CreateContainer = [new Hook { Path = "/bin/container", Args = ["container"] }],
            StartContainer = [],
            Poststart = [new Hook { Path = "/bin/hook", Args = ["hook", "start"], Env = ["A=1"], Timeout = 5 }],
            Poststop = [new Hook { Path = "/bin/stop" }],
        },
    };

    [Fact]
    public void Every_field_of_the_record_reads_back()
    {
        var record = FullRecord();
        foreach (var property in typeof(ContainerRecord).GetProperties().Where(p => p.GetMethod?.IsPublic == true && p.CanWrite))
            property.GetValue(record).Should().NotBe(DefaultOf(property.PropertyType), $"the sample must set {property.Name} to test it");

        var read = StateJson.ReadRecord(StateJson.Write(record));

        read.Should().BeEquivalentTo(record);
    }

    [Fact]
    public void The_record_is_written_as_the_serializer_wrote_it()
    {
        var record = FullRecord();
        var serialized = JsonNode.Parse(JsonSerializer.Serialize(record, Serializer))!.AsObject();
        // A derived getter the serializer wrote too; nothing ever read it.
        serialized.Remove("hasCgroup");

        System.Text.Encoding.UTF8.GetString(StateJson.Write(record)).Should().Be(serialized.ToJsonString(Serializer));
    }

    [Fact]
    public void A_record_the_serializer_wrote_reads_back()
    {
        var record = FullRecord();
        record.Annotations = null;
        record.SystemdScope = null;
        record.Hooks = null;

        StateJson.ReadRecord(JsonSerializer.SerializeToUtf8Bytes(record, Serializer)).Should().BeEquivalentTo(record);
    }

    [Fact]
    public void The_state_output_is_the_serializer_s_form()
    {
        var state = new StateOutput
        {
            OciVersion = "1.3.0", Id = "c1", Pid = 7, Status = "running", Bundle = "/b <é>", Rootfs = "/b/rootfs",
            Created = DateTime.UnixEpoch.AddTicks(1234567), Owner = "", Annotations = new() { ["a"] = "b" },
        };
        var bare = new StateOutput { Id = "c2", Created = DateTime.UnixEpoch };

        RuntimeJson.Serialize(state).Should().Be(JsonSerializer.Serialize(state, Serializer));
        // `list --format json`: one line, as runc's.
        RuntimeJson.Serialize([state, bare]).Should().Be(JsonSerializer.Serialize(new List<StateOutput> { state, bare }, new JsonSerializerOptions(Serializer) { WriteIndented = false }));
        RuntimeJson.Serialize([]).Should().Be("[]");
    }

    [Fact]
    public void The_hook_state_is_the_serializer_s_form()
    {
        var running = new ContainerState { Id = "c1", Status = "running", Pid = 7, Bundle = "/b <é>", Annotations = new() { ["a"] = "b\n" } };
        var stopped = new ContainerState { OciVersion = "1.0.2", Id = "c2", Status = "stopped", Bundle = "/b" };

        foreach (var state in new[] { running, stopped })
            System.Text.Encoding.UTF8.GetString(StateJson.Write(state)).Should().Be(JsonSerializer.Serialize(state, Serializer));
    }

    [Fact]
    public void A_json_null_is_no_record() => StateJson.ReadRecord("null"u8.ToArray()).Should().BeNull();

    private static object? DefaultOf(Type type) => type.IsValueType ? Activator.CreateInstance(type) : null;
}
