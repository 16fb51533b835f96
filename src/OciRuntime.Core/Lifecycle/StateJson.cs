using System.Buffers;
using System.Text.Json;
using OciRuntime.Cgroups.Systemd;
using OciRuntime.Config;

namespace OciRuntime.Lifecycle;

/// <summary>
/// state.json, the `state`/`list` output and the hooks' state, read and written with Utf8JsonReader/Utf8JsonWriter.
/// The serializer's metadata path sets up every type it meets, by reflection the first time: that was about 1 ms of each
/// `state`, `start`, `kill` and `delete`, which need nothing else of System.Text.Json. The text is the serializer's form:
/// camelCase names, nulls left out, indented. Hooks, the one part of the config kept here, are parsed only when a
/// command runs them (<see cref="ContainerRecord.Hooks"/>, with <see cref="ConfigReader"/>).
/// </summary>
internal static class StateJson
{
    private static readonly JsonWriterOptions WriterOptions = new() { Indented = true, Encoder = PlainAsciiJsonEncoder.Instance };
    private static readonly JsonWriterOptions OneLineOptions = new() { Indented = false, Encoder = PlainAsciiJsonEncoder.Instance };
    private static readonly JsonReaderOptions ReaderOptions = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    public static byte[] Write(ContainerRecord record) => Bytes(writer =>
    {
        writer.WriteStartObject();
        // The record starts with the fields of the state output, as written.
        WriteStateFields(writer, record.ToStateOutput(record.Status, record.Pid));
        writer.WriteNumber("initStartTime", record.InitStartTime);
        writer.WriteString("cgroupPath", record.CgroupPath);
        WriteMap(writer, "cgroupPathsByMount", record.CgroupPathsByMount);
        if (record.SystemdScope is { } scope)
        {
            writer.WriteStartObject("systemdScope");
            writer.WriteString("slice", scope.Slice);
            writer.WriteString("unit", scope.Unit);
            writer.WriteEndObject();
        }
        if (record.Hooks is { } hooks)
            WriteHooks(writer, hooks);
        writer.WriteEndObject();
    });

    /// <summary>The spec's state (runtime.md "State") that hooks read on stdin; no pid once stopped.</summary>
    public static byte[] Write(ContainerState state) => Bytes(writer =>
    {
        writer.WriteStartObject();
        writer.WriteString("ociVersion", state.OciVersion);
        writer.WriteString("id", state.Id);
        writer.WriteString("status", state.Status);
        if (state.Pid != 0)
            writer.WriteNumber("pid", state.Pid);
        writer.WriteString("bundle", state.Bundle);
        WriteMap(writer, "annotations", state.Annotations);
        writer.WriteEndObject();
    });

    /// <summary>The record state.json holds; null for a JSON null.</summary>
    public static ContainerRecord? ReadRecord(byte[] json)
    {
        var reader = new Utf8JsonReader(json, ReaderOptions);
        reader.Read();
        if (reader.TokenType == JsonTokenType.Null)
            return null;
        var record = new ContainerRecord();
        StartObject(ref reader);
        while (NextProperty(ref reader, out string name))
        {
            switch (name)
            {
                case "ociVersion": record.OciVersion = reader.GetString()!; break;
                case "id": record.Id = reader.GetString()!; break;
                case "pid": record.Pid = reader.GetInt32(); break;
                case "status": record.Status = ContainerStatuses.Parse(reader.GetString()!); break;
                case "bundle": record.Bundle = reader.GetString()!; break;
                case "rootfs": record.Rootfs = reader.GetString()!; break;
                case "created": record.Created = reader.GetDateTime(); break;
                case "owner": record.Owner = reader.GetString()!; break;
                case "annotations": record.Annotations = ReadMap(ref reader); break;
                case "initStartTime": record.InitStartTime = reader.GetUInt64(); break;
                case "cgroupPath": record.CgroupPath = reader.GetString()!; break;
                case "cgroupPathsByMount": record.CgroupPathsByMount = ReadMap(ref reader); break;
                case "systemdScope": record.SystemdScope = ReadScope(ref reader); break;
                case "hooks": record.HooksJson = RawValue(ref reader, json); break;
                default: reader.Skip(); break;
            }
        }
        return record;
    }

    /// <summary>runc's `state` shape: the spec's fields plus rootfs, created and owner.</summary>
    public static string Write(StateOutput state) => Text(writer => WriteState(writer, state));

    /// <summary>`list --format json`: the states as one array on one line, as runc's (scripts read it line by line).</summary>
    public static string Write(IReadOnlyList<StateOutput> states) => Text(writer =>
    {
        writer.WriteStartArray();
        foreach (var state in states)
            WriteState(writer, state);
        writer.WriteEndArray();
    }, OneLineOptions);

    private static string Text(Action<Utf8JsonWriter> write, JsonWriterOptions? options = null) =>
        System.Text.Encoding.UTF8.GetString(Bytes(write, options));

    private static byte[] Bytes(Action<Utf8JsonWriter> write, JsonWriterOptions? options = null)
    {
        // Written straight into the buffer: over a stream the writer keeps a buffer of its own and copies it there.
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, options ?? WriterOptions))
            write(writer);
        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteState(Utf8JsonWriter writer, StateOutput state)
    {
        writer.WriteStartObject();
        WriteStateFields(writer, state);
        writer.WriteEndObject();
    }

    private static void WriteStateFields(Utf8JsonWriter writer, StateOutput state)
    {
        writer.WriteString("ociVersion", state.OciVersion);
        writer.WriteString("id", state.Id);
        writer.WriteNumber("pid", state.Pid);
        writer.WriteString("status", state.Status);
        writer.WriteString("bundle", state.Bundle);
        writer.WriteString("rootfs", state.Rootfs);
        writer.WriteString("created", state.Created);
        WriteMap(writer, "annotations", state.Annotations);
        writer.WriteString("owner", state.Owner);
    }

    private static void WriteHooks(Utf8JsonWriter writer, HooksConfig hooks)
    {
        writer.WriteStartObject("hooks");
        foreach (var (kind, list) in new[] { ("prestart", hooks.Prestart), ("createRuntime", hooks.CreateRuntime), ("createContainer", hooks.CreateContainer),
                     ("startContainer", hooks.StartContainer), ("poststart", hooks.Poststart), ("poststop", hooks.Poststop) })
        {
            if (list is null)
                continue;
            writer.WriteStartArray(kind);
            foreach (var hook in list)
            {
                writer.WriteStartObject();
                writer.WriteString("path", hook.Path);
                WriteStrings(writer, "args", hook.Args);
                WriteStrings(writer, "env", hook.Env);
                if (hook.Timeout is { } timeout)
                    writer.WriteNumber("timeout", timeout);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
        }
        writer.WriteEndObject();
    }

    private static void WriteStrings(Utf8JsonWriter writer, string name, List<string>? strings)
    {
        if (strings is null)
            return;
        writer.WriteStartArray(name);
        foreach (var text in strings)
            writer.WriteStringValue(text);
        writer.WriteEndArray();
    }

    private static void WriteMap(Utf8JsonWriter writer, string name, Dictionary<string, string>? map)
    {
        if (map is null)
            return;
        writer.WriteStartObject(name);
        foreach (var (key, value) in map)
            writer.WriteString(key, value);
        writer.WriteEndObject();
    }

    private static void StartObject(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
            throw new JsonException($"expected an object, not {reader.TokenType}");
    }

    /// <summary>Moves to the value of the object's next property; false at the object's end.</summary>
    private static bool NextProperty(ref Utf8JsonReader reader, out string name)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.EndObject)
        {
            name = "";
            return false;
        }
        name = reader.GetString()!;
        reader.Read();
        return true;
    }

    private static Dictionary<string, string>? ReadMap(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
            return null;
        StartObject(ref reader);
        var map = new Dictionary<string, string>();
        while (NextProperty(ref reader, out string key))
            map[key] = reader.GetString()!;
        return map;
    }

    private static SystemdScope? ReadScope(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
            return null;
        StartObject(ref reader);
        var scope = new SystemdScope();
        while (NextProperty(ref reader, out string name))
        {
            switch (name)
            {
                case "slice": scope.Slice = reader.GetString()!; break;
                case "unit": scope.Unit = reader.GetString()!; break;
                default: reader.Skip(); break;
            }
        }
        return scope;
    }

    /// <summary>The value the reader is on, as its JSON text (the reader left at its end).</summary>
    private static byte[]? RawValue(ref Utf8JsonReader reader, byte[] json)
    {
        if (reader.TokenType == JsonTokenType.Null)
            return null;
        int start = (int)reader.TokenStartIndex;
        reader.Skip();
        return json[start..(int)reader.BytesConsumed];
    }
}
