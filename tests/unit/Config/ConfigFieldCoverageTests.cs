using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using OciRuntime.Config;
using OciRuntime.Tests.Conformance.Infrastructure;

namespace OciRuntime.Tests.Unit.Config;

/// <summary>
/// Issue 21, "no field is read and ignored": every property of config.json's schema (schemas/) and every field the config
/// model holds has an entry in config-field-coverage.tsv: the conformance tests that observe it, the refusal that names
/// it, or a known gap with its reason. A field added to the schema or to the reader without one fails here.
/// </summary>
public sealed partial class ConfigFieldCoverageTests
{
    private const string RefusedPrefix = "refused: ", GapPrefix = "gap: ";
    private static readonly string Root = RepositoryRoot.Path;
    private static readonly string TablePath = Path.Combine(Root, "tests", "unit", "Config", "config-field-coverage.tsv");
    private static readonly Lazy<Dictionary<string, string>> Table = new(ReadTable);

    [Fact]
    public void Every_schema_property_has_an_entry_and_every_entry_is_a_schema_property()
    {
        var properties = SchemaProperties();
        var leaves = properties.Where(p => !properties.Any(other => other.StartsWith(p + "/", StringComparison.Ordinal))).ToHashSet();

        leaves.Except(Table.Value.Keys).Order().Should().BeEmpty("each config.json property needs its test, refusal or gap in {0}", TablePath);
        Table.Value.Keys.Except(properties).Order().Should().BeEmpty("an entry names a property of schemas/config-schema.json");
    }

    [Fact]
    public void Every_test_an_entry_names_is_a_conformance_test_method()
    {
        var methods = ConformanceTestMethods();
        var missing = Table.Value
            .Where(entry => !entry.Value.StartsWith(RefusedPrefix) && !entry.Value.StartsWith(GapPrefix))
            .SelectMany(entry => entry.Value.Split(", ").Select(test => (Field: entry.Key, Test: test)))
            .Where(named => !methods.Contains(named.Test))
            .Select(named => $"{named.Field}: {named.Test}");

        missing.Should().BeEmpty("an entry names tests as Class.Method of tests/conformance/");
    }

    [Fact]
    public void Every_refusal_is_a_runtime_error_naming_the_field()
    {
        var sourceLines = Directory.GetFiles(Path.Combine(Root, "src", "OciRuntime.Core"), "*.cs", SearchOption.AllDirectories)
            .SelectMany(File.ReadLines).ToList();
        var unnamed = Table.Value
            .Where(entry => entry.Value.StartsWith(RefusedPrefix))
            .Where(entry => !sourceLines.Any(line => line.Contains(entry.Value[RefusedPrefix.Length..])
                && JsonPathLiteral().Matches(line).Any(path => IsSameOrAncestor(path.Groups[1].Value, entry.Key))))
            .Select(entry => entry.Key);

        unnamed.Should().BeEmpty("a refusal's text is on the line that reports it with the field's JSON path (or its parent's)");
    }

    [Fact]
    public void Every_field_of_the_config_model_has_an_entry()
    {
        var fields = new List<string>();
        CollectModelFields(typeof(RuntimeConfig), "", fields);

        fields.Where(field => !Table.Value.Keys.Any(key => MatchesModelPath(key, field))).Should()
            .BeEmpty("every field ConfigReader fills (the model it builds) needs its test, refusal or gap in {0}", TablePath);
    }

    [Fact]
    public void Every_name_the_config_reader_reads_ends_an_entry()
    {
        var reader = File.ReadAllText(Path.Combine(Root, "src", "OciRuntime.Core", "Config", "ConfigReader.cs"));
        var names = ReaderFieldName().Matches(reader).Select(match => match.Groups[1].Value).Distinct().ToList();
        names.Should().Contain(["nice", "closID", "hcaHandles"], "the pattern finds the reader's field names");

        names.Where(name => !Table.Value.Keys.Any(key => key.Split('/').Contains(name))).Should()
            .BeEmpty("a field ConfigReader.cs reads is in the table");
    }

    private static Dictionary<string, string> ReadTable()
    {
        var table = new Dictionary<string, string>();
        foreach (var line in File.ReadLines(TablePath).Where(line => line.Length > 0 && !line.StartsWith('#')))
        {
            var columns = line.Split('\t');
            columns.Should().HaveCount(2, $"a line is a path, a tab and its entry: \"{line}\"");
            table.Add(columns[0], columns[1]);
        }
        return table;
    }

    /// <summary>Every property path of config-schema.json, through the $refs into the other files; "*" for a map's key.</summary>
    private static HashSet<string> SchemaProperties()
    {
        var documents = Directory.GetFiles(Path.Combine(Root, "schemas"), "*.json")
            .ToDictionary(file => Path.GetFileName(file), file => JsonNode.Parse(File.ReadAllText(file))!);
        var paths = new HashSet<string>();

        void Walk(JsonNode? node, string path, string file, int depth)
        {
            if (node is not JsonObject schema || depth > 40)
                return;
            if (schema["$ref"]?.GetValue<string>() is { } reference)
            {
                var (target, targetFile) = Resolve(reference, file);
                Walk(target, path, targetFile, depth + 1);
            }
            foreach (var (name, property) in schema["properties"]?.AsObject() ?? [])
            {
                paths.Add($"{path}/{name}");
                Walk(property, $"{path}/{name}", file, depth + 1);
            }
            Walk(schema["items"], path, file, depth + 1);
            Walk(schema["additionalProperties"], $"{path}/*", file, depth + 1);
            foreach (var (_, pattern) in schema["patternProperties"]?.AsObject() ?? [])
                Walk(pattern, $"{path}/*", file, depth + 1);
            foreach (var combinator in new[] { "allOf", "anyOf", "oneOf" })
            {
                foreach (var branch in schema[combinator]?.AsArray() ?? [])
                    Walk(branch, path, file, depth + 1);
            }
        }

        (JsonNode? Node, string File) Resolve(string reference, string file)
        {
            var (target, pointer) = (reference.Split('#')[0], reference.Split('#')[1]);
            string targetFile = target.Length > 0 ? target : file;
            JsonNode? node = documents[targetFile];
            foreach (var segment in pointer.Split('/', StringSplitOptions.RemoveEmptyEntries))
                node = node![segment];
            return (node, targetFile);
        }

        Walk(documents["config-schema.json"], "", "config-schema.json", 0);
        paths.Should().Contain(["/process/scheduler/nice", "/linux/resources/memory/limit", "/linux/intelRdt/closID"], "the walk follows the $refs");
        return paths;
    }

    /// <summary>Class.Method of every public test method in the conformance tests' sources.</summary>
    private static HashSet<string> ConformanceTestMethods()
    {
        var methods = new HashSet<string>();
        foreach (var file in Directory.GetFiles(Path.Combine(Root, "tests", "conformance"), "*.cs", SearchOption.AllDirectories))
        {
            if (file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") || file.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"))
                continue;
            var source = File.ReadAllText(file);
            foreach (Match type in ClassDeclaration().Matches(source))
            {
                foreach (Match method in TestMethodDeclaration().Matches(source))
                    methods.Add($"{type.Groups[1].Value}.{method.Groups[1].Value}");
            }
        }
        return methods;
    }

    /// <summary>The model's JSON paths, named as the serializer names them; a dictionary of objects gives "*" for its key.</summary>
    private static void CollectModelFields(Type type, string path, List<string> fields)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            string name = property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? JsonNamingPolicy.CamelCase.ConvertName(property.Name);
            string fieldPath = $"{path}/{name}";
            var valueType = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (valueType.IsGenericType && valueType.GetGenericTypeDefinition() == typeof(List<>))
                valueType = valueType.GetGenericArguments()[0];
            if (valueType.IsGenericType && valueType.GetGenericTypeDefinition() == typeof(Dictionary<,>))
            {
                valueType = valueType.GetGenericArguments()[1];
                if (IsModelType(valueType))
                    fieldPath += "/*";
            }
            if (IsModelType(valueType))
                CollectModelFields(valueType, fieldPath, fields);
            else
                fields.Add(fieldPath);
        }
    }

    private static bool IsModelType(Type type) => type.IsClass && type.Namespace == typeof(RuntimeConfig).Namespace;

    private static bool MatchesModelPath(string key, string modelPath)
    {
        var (keySegments, modelSegments) = (key.Split('/'), modelPath.Split('/'));
        return keySegments.Length == modelSegments.Length
            && keySegments.Zip(modelSegments).All(pair => pair.First == pair.Second || pair.Second == "*" || pair.First == "*");
    }

    private static bool IsSameOrAncestor(string path, string field) => field == path || field.StartsWith(path + "/", StringComparison.Ordinal);

    [GeneratedRegex(@"\bclass ([A-Z]\w+)")]
    private static partial Regex ClassDeclaration();

    [GeneratedRegex(@"public (?:async )?(?:Task|void) ([A-Z]\w+)\(")]
    private static partial Regex TestMethodDeclaration();

    [GeneratedRegex("\"(/[a-zA-Z]+(?:/[a-zA-Z]+)*)\"")]
    private static partial Regex JsonPathLiteral();

    /// <summary>The name in `o.String("name")`, `o.Objects("name", …)` and the other JsonFields readers.</summary>
    [GeneratedRegex(@"\.(?:String|Strings|Bool|NullableBool|Number|NullableNumber|Numbers|Object|Objects|ObjectMap|StringMap)(?:<\w+>)?\(""(\w+)""")]
    private static partial Regex ReaderFieldName();
}
