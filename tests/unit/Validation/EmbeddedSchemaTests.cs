using System.Text.Json;
using OciRuntime.Validation;
using OciRuntime.Validation.Schema;

namespace OciRuntime.Tests.Unit.Validation;

/// <summary>Properties of the project's own schemas that the engines calling the runtime depend on.</summary>
public class EmbeddedSchemaTests
{
    [Theory]
    [InlineData("1.0.0")]
    [InlineData("1.0.2-dev")]
    [InlineData("1.1.0-rc.2")]
    [InlineData("1.2.1")]
    [InlineData("1.3.0")]
    public void Config_accepts_every_1_x_oci_version(string version)
    {
        Validate($$"""{ "ociVersion": "{{version}}", "root": { "path": "rootfs" } }""", "config-schema.json").Should().BeEmpty();
    }

    [Theory]
    [InlineData("rprivate")]
    [InlineData("rshared")]
    [InlineData("rslave")]
    [InlineData("runbindable")]
    public void Config_accepts_the_recursive_rootfs_propagations_containerd_writes(string propagation)
    {
        Validate($$"""{ "ociVersion": "1.2.0", "linux": { "rootfsPropagation": "{{propagation}}" } }""", "config-schema.json")
            .Should().BeEmpty();
    }

    [Fact]
    public void Config_error_names_the_allowed_namespace_types()
    {
        Validate("""{ "ociVersion": "1.2.0", "linux": { "namespaces": [{ "type": "net" }] } }""", "config-schema.json")
            .Should().Equal(new ValidationError("/linux/namespaces/0/type",
                "must be one of: \"pid\", \"network\", \"mount\", \"ipc\", \"uts\", \"user\", \"cgroup\", \"time\""));
    }

    [Fact]
    public void Every_defect_of_a_config_is_reported_sorted_by_path()
    {
        const string config = """
            {
              "root": {},
              "process": { "args": "sh", "user": { "uid": -1 } },
              "linux": { "namespaces": [{ "type": "pid" }, { "type": "pidns" }] }
            }
            """;

        Validate(config, "config-schema.json").Select(e => e.ToString()).Should().Equal(
            "/: missing required property \"ociVersion\"",
            "/linux/namespaces/1/type: must be one of: \"pid\", \"network\", \"mount\", \"ipc\", \"uts\", \"user\", \"cgroup\", \"time\"",
            "/process: missing required property \"cwd\"",
            "/process/args: must be of type array, got string",
            "/process/user/uid: must be >= 0",
            "/root: missing required property \"path\"");
    }

    [Fact]
    public void Schema_files_are_loaded_only_when_the_document_reaches_them()
    {
        var opened = new List<string>();
        var validator = new JsonSchemaValidator(file =>
        {
            opened.Add(file);
            return SchemaStore.OpenEmbedded(file);
        });
        using var config = JsonDocument.Parse("""{ "ociVersion": "1.2.0", "root": { "path": "rootfs" } }""");

        validator.Validate(config.RootElement, "config-schema.json").Should().BeEmpty();

        opened.Should().Equal("config-schema.json", "defs.json");
    }

    [Theory]
    [InlineData("config-schema.json")]
    [InlineData("config-linux.json")]
    [InlineData("defs.json")]
    [InlineData("defs-linux.json")]
    [InlineData("state-schema.json")]
    [InlineData("features-schema.json")]
    [InlineData("features-linux.json")]
    public void Schema_is_embedded_in_the_runtime(string file)
    {
        var schema = SchemaStore.OpenEmbedded(file);

        schema.IsEmpty.Should().BeFalse();
    }

    private static IReadOnlyList<ValidationError> Validate(string json, string schemaFile)
    {
        using var document = JsonDocument.Parse(json);
        return JsonSchemaValidator.Shared.Validate(document.RootElement, schemaFile);
    }
}
