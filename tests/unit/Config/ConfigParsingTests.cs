using System.Text;
using OciRuntime.Validation;
using OciRuntime.Config;

namespace OciRuntime.Tests.Unit.Config;

public class ConfigParsingTests
{
    internal const string Minimal = """
        {
          "ociVersion": "1.0.2",
          "root": { "path": "rootfs" },
          "process": { "cwd": "/", "args": ["sh"], "user": { "uid": 0, "gid": 0 } },
          "linux": { "namespaces": [ { "type": "mount" } ] }
        }
        """;

    internal static RuntimeConfig Parse(string json) => ConfigLoader.Parse(Encoding.UTF8.GetBytes(json));

    [Fact]
    public void A_minimal_config_parses()
    {
        var config = Parse(Minimal);

        config.Root!.Path.Should().Be("rootfs");
        config.Process!.Args.Should().Equal("sh");
        config.Linux!.Namespaces!.Single().Type.Should().Be("mount");
    }

    [Fact]
    public void Unknown_fields_and_annotations_never_fail()
    {
        var config = Parse(Minimal.Replace("\"ociVersion\": \"1.0.2\",",
            "\"ociVersion\": \"1.3.0\", \"futureField\": {\"x\": [1,2]}, \"annotations\": {\"org.example.key\": \"value\"},"));

        config.Annotations.Should().ContainKey("org.example.key").WhoseValue.Should().Be("value");
    }

    [Theory]
    [InlineData("1.0.0")]
    [InlineData("1.2.1")]
    [InlineData("1.3.0")]
    [InlineData("1.0.2-dev")]
    public void Any_1_x_version_is_accepted(string version) =>
        Parse(Minimal.Replace("1.0.2", version)).OciVersion.Should().Be(version);

    [Fact]
    public void Version_2_is_refused_naming_the_field() =>
        FluentActions.Invoking(() => Parse(Minimal.Replace("1.0.2", "2.0.0")))
            .Should().Throw<RuntimeError>().WithMessage("*/ociVersion*");

    [Fact]
    public void Linux_resources_parse_with_runc_field_names()
    {
        var config = Parse(Minimal.Replace("\"namespaces\"",
            "\"resources\": {\"memory\": {\"limit\": 1048576, \"kernelTCP\": 5}, \"cpu\": {\"shares\": 512, \"quota\": 20000, \"period\": 100000}, \"pids\": {\"limit\": 32}, \"blockIO\": {\"weight\": 10, \"throttleReadIOPSDevice\": [{\"major\": 8, \"minor\": 0, \"rate\": 3}]}}, \"namespaces\""));

        var resources = config.Linux!.Resources!;
        resources.Memory!.Limit.Should().Be(1048576);
        resources.Memory.KernelTCP.Should().Be(5);
        resources.Cpu!.Shares.Should().Be(512);
        resources.Pids!.Limit.Should().Be(32);
        resources.BlockIO!.ThrottleReadIOPSDevice!.Single().Rate.Should().Be(3);
    }

    [Fact]
    public void Broken_json_is_reported_as_such() =>
        FluentActions.Invoking(() => Parse("{ \"ociVersion\": ")).Should().Throw<RuntimeError>().WithMessage("config.json: /: invalid JSON at line 1, column 17: *");

    [Fact]
    public void Schema_errors_name_the_json_path() =>
        FluentActions.Invoking(() => Parse(Minimal.Replace("\"args\": [\"sh\"]", "\"args\": \"sh\"")))
            .Should().Throw<RuntimeError>().WithMessage("*config.json: /process/args:*");
}
