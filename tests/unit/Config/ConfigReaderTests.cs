using System.Collections;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using OciRuntime.Config;
using OciRuntime.Lifecycle;
using OciRuntime.Tests.Conformance.Infrastructure;
using OciRuntime.Validation;

namespace OciRuntime.Tests.Unit.Config;

/// <summary>
/// The hand-written reader create uses against the serializer it replaced: every config gives the same model, field
/// for field (both written back by the serializer), and a value the model cannot hold is named by its JSON Pointer.
/// </summary>
public sealed class ConfigReaderTests
{
    private static readonly string GoodCases = Path.Combine(AppContext.BaseDirectory, "Validation", "Cases", "config", "good");
    private static readonly string EveryFieldPath = Path.Combine(GoodCases, "every-model-field.json");
    private static readonly JsonDocumentOptions DocumentOptions = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    /// <summary>
    /// The serializer with the runtime's settings (RuntimeJsonContext's), by reflection: the runtime's own context only
    /// writes (its metadata is not compiled in), and this reads the models as the serializer reads them.
    /// </summary>
    private static readonly JsonSerializerOptions SerializerOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        WriteIndented = true,
        TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
    };

    private static JsonTypeInfo<T> Serializer<T>() => (JsonTypeInfo<T>)SerializerOptions.GetTypeInfo(typeof(T));

    /// <summary>The project's good cases, `spec`'s defaults and the tests' minimal config.</summary>
    private static readonly Lazy<Dictionary<string, byte[]>> Configs = new(() =>
    {
        var configs = new Dictionary<string, byte[]>
        {
            ["spec"] = RuntimeJson.SerializeConfig(DefaultSpec.Create(rootless: false, 0, 0)),
            ["spec --rootless"] = RuntimeJson.SerializeConfig(DefaultSpec.Create(rootless: true, 1000, 1000)),
            ["minimal"] = Encoding.UTF8.GetBytes(ConfigParsingTests.Minimal),
        };
        foreach (var file in Directory.GetFiles(GoodCases, "*.json"))
            configs[$"good/{Path.GetFileName(file)}"] = File.ReadAllBytes(file);
        return configs;
    });

    public static TheoryData<string> ConfigNames() => new(Configs.Value.Keys.Order());

    /// <summary>The runtime-spec's good examples, read from its reference copy (the project does not carry them).</summary>
    public static TheoryData<string> SpecExampleNames() => new(Directory.GetFiles(SpecExamples()!, "*.json").Select(Path.GetFileName).Order()!);

    // DESIGN.md: the reference copy is ../shared/reference from the main checkout, further up from a worktree.
    internal static string? SpecExamples()
    {
        for (var dir = new DirectoryInfo(RepositoryRoot.Path); dir is not null; dir = dir.Parent)
        {
            var examples = Path.Combine(dir.FullName, "shared", "reference", "runtime-spec", "schema", "test", "config", "good");
            if (Directory.Exists(examples))
                return examples;
        }
        return null;
    }

    [Theory]
    [MemberData(nameof(ConfigNames))]
    public void A_config_reads_as_the_serializer_reads_it(string name) =>
        SameAsSerializer(Configs.Value[name], Serializer<RuntimeConfig>(), ConfigReader.Config);

    [SpecExamplesTheory]
    [MemberData(nameof(SpecExampleNames))]
    public void A_runtime_spec_example_reads_as_the_serializer_reads_it(string name) =>
        SameAsSerializer(File.ReadAllBytes(Path.Combine(SpecExamples()!, name)), Serializer<RuntimeConfig>(), ConfigReader.Config);

    [Fact]
    public void A_process_document_reads_as_the_serializer_reads_it() =>
        SameAsSerializer(EveryFieldSection("process"), Serializer<Process>(), ConfigReader.Process);

    [Fact]
    public void A_resources_document_reads_as_the_serializer_reads_it() =>
        SameAsSerializer(EveryFieldSection("linux", "resources"), Serializer<LinuxResources>(), ConfigReader.Resources);

    [Fact]
    public void The_every_field_config_sets_every_field_of_the_model_to_a_value_that_is_not_its_default()
    {
        var config = JsonSerializer.Deserialize(File.ReadAllBytes(EveryFieldPath), Serializer<RuntimeConfig>())!;

        Unset(config, Serializer<RuntimeConfig>(), "").Should().BeEmpty();
    }

    [Fact]
    public void The_spec_names_are_read_where_camel_case_would_differ()
    {
        var config = Read(File.ReadAllBytes(EveryFieldPath));

        config.Process!.ExecCpuAffinity!.Final.Should().Be("2-3");
        config.Linux!.Resources!.BlockIO!.ThrottleReadIOPSDevice!.Single().Minor.Should().Be(4);
        config.Linux.Resources.Memory!.KernelTCP.Should().Be(16777216);
        config.Linux.IntelRdt!.L3CacheSchema.Should().Be("L3:0=ffff");
    }

    [Theory]
    [InlineData("\"cwd\": \"/\",", "\"cwd\": \"/\", \"consoleSize\": {\"height\": 4294967296, \"width\": 80},", "/process/consoleSize/height: 4294967296 is out of range for this field")]
    [InlineData("\"cwd\": \"/\",", "\"cwd\": \"/\", \"oomScoreAdj\": -2147483649,", "/process/oomScoreAdj: -2147483649 is out of range for this field")]
    [InlineData("\"ociVersion\"", "\"hooks\": {\"poststop\": [{\"path\": \"/bin/true\"}, {\"path\": \"/bin/true\", \"timeout\": 2147483648}]}, \"ociVersion\"",
        "/hooks/poststop/1/timeout: 2147483648 is out of range for this field")]
    public void A_number_the_schema_allows_but_the_model_cannot_hold_names_its_pointer(string find, string replacement, string error) =>
        FluentActions.Invoking(() => ConfigParsingTests.Parse(ConfigParsingTests.Minimal.Replace(find, replacement)))
            .Should().Throw<RuntimeError>().Which.Message.Should().Be($"config.json: {error}");

    [Fact]
    public void A_process_file_names_the_pointer_within_itself() =>
        FluentActions.Invoking(() => ConfigLoader.ParseProcess("""{"cwd": "/", "consoleSize": {"height": 1, "width": 4294967296}}"""u8.ToArray(), "process.json"))
            .Should().Throw<RuntimeError>().Which.Message.Should().Be("process.json: /consoleSize/width: 4294967296 is out of range for this field");

    // `update --resources` has no schema: the reader alone stands between the document and the cgroup files.
    [Theory]
    [InlineData("""{"memory": {"limit": 9223372036854775808}}""", "/memory/limit: 9223372036854775808 is out of range for this field")]
    [InlineData("""{"cpu": {"shares": -1}}""", "/cpu/shares: -1 is out of range for this field")]
    [InlineData("""{"cpu": {"shares": -0}}""", "/cpu/shares: -0 is out of range for this field")]
    [InlineData("""{"pids": {"limit": 1.5}}""", "/pids/limit: 1.5 is out of range for this field")]
    [InlineData("""{"pids": {"limit": 1e3}}""", "/pids/limit: 1e3 is out of range for this field")]
    [InlineData("""{"blockIO": {"weightDevice": [{"major": 8, "minor": 0}, {"major": 8, "minor": 1, "weight": 65536}]}}""", "/blockIO/weightDevice/1/weight: 65536 is out of range for this field")]
    [InlineData("""{"rdma": {"mlx5_0": {"hcaHandles": 4294967296}}}""", "/rdma/mlx5_0/hcaHandles: 4294967296 is out of range for this field")]
    [InlineData("""{"memory": {"limit": "1G"}}""", "/memory/limit: this value cannot be read into the field")]
    [InlineData("""{"memory": {"disableOOMKiller": 1}}""", "/memory/disableOOMKiller: this value cannot be read into the field")]
    [InlineData("""{"hugepageLimits": [{"pageSize": "2MB", "limit": null}]}""", "/hugepageLimits/0/limit: this value cannot be read into the field")]
    [InlineData("""{"unified": {"a/b~c": 5}}""", "/unified/a~1b~0c: this value cannot be read into the field")]
    [InlineData("""{"unified": {"memory.high": null}}""", "/unified/memory.high: this value cannot be read into the field")]
    [InlineData("""{"network": {"priorities": {"name": "eth0"}}}""", "/network/priorities: this value cannot be read into the field")]
    [InlineData("""{"cpu": []}""", "/cpu: this value cannot be read into the field")]
    [InlineData("""[]""", "/: this value cannot be read into the field")]
    [InlineData("""null""", "/: must be an object, got null")]
    public void A_resources_document_names_the_value_the_model_cannot_hold(string json, string error) =>
        FluentActions.Invoking(() => ConfigLoader.LoadResources(Encoding.UTF8.GetBytes(json), "--resources"))
            .Should().Throw<RuntimeError>().Which.Message.Should().Be($"--resources: {error}");

    [Fact]
    public void Nulls_are_absent_values_where_the_model_can_hold_them_and_a_signed_minus_zero_is_zero()
    {
        var resources = ConfigLoader.LoadResources("""{"memory": {"limit": null, "swap": 5, "reservation": -0}, "cpu": null, "unified": null}"""u8.ToArray(), "--resources");

        resources.Memory!.Limit.Should().BeNull();
        resources.Memory.Swap.Should().Be(5);
        resources.Memory.Reservation.Should().Be(0, "a signed field takes -0 as 0");
        resources.Cpu.Should().BeNull();
        resources.Unified.Should().BeNull();
    }

    [Fact]
    public void The_state_dir_keeps_the_bundle_bytes_and_reads_them_and_the_form_update_writes()
    {
        var root = Directory.CreateTempSubdirectory("state").FullName;
        try
        {
            var store = new StateStore(root);
            store.CreateContainerDir("c");
            // Comments and trailing commas are what a user's config may hold.
            var bundleBytes = Encoding.UTF8.GetBytes(ConfigParsingTests.Minimal.Replace("\"ociVersion\"", "// kept as given\n\"annotations\": {\"a\": \"b\"}, \"ociVersion\"").Replace("\"mount\" }", "\"mount\" }, "));
            var validated = ConfigLoader.Parse(bundleBytes);

            store.SaveConfig("c", bundleBytes);
            File.ReadAllBytes(Path.Combine(root, "c", "config.json")).Should().Equal(bundleBytes);
            Serialized(store.LoadConfig("c")).Should().Be(Serialized(validated));

            store.SaveConfig("c", RuntimeJson.SerializeConfig(validated));
            Serialized(store.LoadConfig("c")).Should().Be(Serialized(validated));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static RuntimeConfig Read(byte[] json)
    {
        using var document = JsonDocument.Parse(json, DocumentOptions);
        return ConfigReader.Config(document.RootElement, "config.json");
    }

    private static byte[] EveryFieldSection(params string[] path)
    {
        var element = JsonDocument.Parse(File.ReadAllBytes(EveryFieldPath)).RootElement;
        foreach (var name in path)
            element = element.GetProperty(name);
        return Encoding.UTF8.GetBytes(element.GetRawText());
    }

    private static void SameAsSerializer<T>(byte[] json, JsonTypeInfo<T> type, Func<JsonElement, string, T> read) where T : class
    {
        using var document = JsonDocument.Parse(json, DocumentOptions);
        var expected = JsonSerializer.Deserialize(json, type)!;

        JsonSerializer.Serialize(read(document.RootElement, "test"), type).Should().Be(JsonSerializer.Serialize(expected, type));
    }

    private static string Serialized(RuntimeConfig config) => Encoding.UTF8.GetString(RuntimeJson.SerializeConfig(config));

    /// <summary>The pointers of the model's fields that the value leaves null, empty or at their type's default, found through the serializer's metadata.</summary>
    private static IEnumerable<string> Unset(object value, JsonTypeInfo type, string pointer)
    {
        var children = type.Kind switch
        {
            JsonTypeInfoKind.Object => type.Properties.Select(property => (Name: property.Name, Value: property.Get!(value), Type: property.PropertyType)),
            JsonTypeInfoKind.Enumerable => ((IEnumerable)value).Cast<object?>().Select((item, index) => (Name: index.ToString(), Value: item, Type: type.ElementType!)),
            JsonTypeInfoKind.Dictionary => ((IDictionary)value).Keys.Cast<string>().Select(key => (Name: key, Value: ((IDictionary)value)[key], Type: type.ElementType!)),
            _ => [],
        };
        foreach (var child in children)
        {
            string at = $"{pointer}/{child.Name}";
            if (child.Value is null or "" or ICollection { Count: 0 } || child.Value.Equals(DefaultOf(child.Type)))
            {
                yield return at;
                continue;
            }
            foreach (var unset in Unset(child.Value, type.Options.GetTypeInfo(child.Type), at))
                yield return unset;
        }
    }

    // A nullable field set to 0 or false is set; a plain value type at its default is what a forgotten field reads as.
    private static object? DefaultOf(Type type) =>
        type.IsValueType && Nullable.GetUnderlyingType(type) is null ? Activator.CreateInstance(type) : null;
}

/// <summary>A theory over the runtime-spec's good examples: skipped, with the reason printed, where no reference copy is above the checkout.</summary>
public sealed class SpecExamplesTheoryAttribute : TheoryAttribute
{
    public override string? Skip
    {
        get => base.Skip ?? (ConfigReaderTests.SpecExamples() is null
            ? "no runtime-spec reference copy (shared/reference/runtime-spec/schema/test/config/good) above the checkout"
            : null);
        set => base.Skip = value;
    }
}
