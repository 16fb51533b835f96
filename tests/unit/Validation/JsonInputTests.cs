using System.Text;
using OciRuntime.Tests.Unit.Config;
using OciRuntime.Validation;

namespace OciRuntime.Tests.Unit.Validation;

/// <summary>What System.Text.Json would let through to fail later (or decide silently) is refused up front, naming the JSON Pointer.</summary>
public sealed class JsonInputTests
{
    private static readonly byte[] InvalidUtf8 = [(byte)'s', 0xFF];

    private static Action Loading(string json) => () => ConfigLoader.Parse(Encoding.UTF8.GetBytes(json));

    private static Action Loading(byte[] bytes) => () => ConfigLoader.Parse(bytes);

    private static byte[] MinimalBytes => Encoding.UTF8.GetBytes(ConfigParsingTests.Minimal);

    private static byte[] Quoted(byte[] inner) => [(byte)'"', .. inner, (byte)'"'];

    [Theory]
    [InlineData("\"sh\"", "/process/args/0")]
    [InlineData("\"/\"", "/process/cwd")]
    [InlineData("\"rootfs\"", "/root/path")]
    [InlineData("\"1.0.2\"", "/ociVersion")]
    [InlineData("\"mount\"", "/linux/namespaces/0/type")]
    public void A_string_of_invalid_utf8_is_refused_naming_its_pointer(string value, string pointer) =>
        Loading(MinimalBytes.Replace(value, Quoted(InvalidUtf8))).Should().Throw<RuntimeError>()
            .Which.Message.Should().Be($"config.json: {pointer}: not valid UTF-8");

    [Fact]
    public void Env_entries_and_capabilities_of_invalid_utf8_name_their_index()
    {
        var json = ConfigParsingTests.Minimal.Replace("\"cwd\": \"/\",", "\"cwd\": \"/\", \"env\": [\"A=1\", \"@@\"], \"capabilities\": {\"bounding\": [\"CAP_KILL\"]},");

        Loading(Encoding.UTF8.GetBytes(json).Replace("\"@@\"", Quoted([0xC3]))).Should().Throw<RuntimeError>()
            .WithMessage("config.json: /process/env/1: not valid UTF-8");
        Loading(Encoding.UTF8.GetBytes(json.Replace("\"@@\"", "\"B=2\"")).Replace("\"CAP_KILL\"", Quoted([0xED, 0xA0, 0x80]))).Should().Throw<RuntimeError>()
            .WithMessage("config.json: /process/capabilities/bounding/0: not valid UTF-8");
    }

    [Fact]
    public void An_escaped_lone_surrogate_is_not_valid_utf8_either() =>
        Loading(ConfigParsingTests.Minimal.Replace("\"sh\"", "\"\\ud800\"")).Should().Throw<RuntimeError>()
            .WithMessage("config.json: /process/args/0: not valid UTF-8");

    [Fact]
    public void A_key_of_invalid_utf8_names_its_object() =>
        Loading(MinimalBytes.Replace("\"cwd\"", Quoted(InvalidUtf8))).Should().Throw<RuntimeError>()
            .WithMessage("config.json: /process: a key is not valid UTF-8");

    [Theory]
    [InlineData("\"rootfs\"", "/root/path")]
    [InlineData("\"sh\"", "/process/args/0")]
    [InlineData("\"/\"", "/process/cwd")]
    public void A_nul_character_is_refused_naming_its_pointer(string value, string pointer) =>
        Loading(ConfigParsingTests.Minimal.Replace(value, value.Insert(2, "\\u0000"))).Should().Throw<RuntimeError>()
            .WithMessage($"config.json: {pointer}: contains a NUL character*");

    [Fact]
    public void A_duplicate_key_is_refused_naming_the_second_one() =>
        Loading(ConfigParsingTests.Minimal.Replace("\"cwd\": \"/\",", "\"cwd\": \"/\", \"cwd\": \"/tmp\",")).Should().Throw<RuntimeError>()
            .WithMessage("config.json: /process/cwd: duplicate key \"cwd\"*");

    [Fact]
    public void The_same_key_in_different_objects_is_no_duplicate() =>
        ConfigLoader.Parse(Encoding.UTF8.GetBytes(ConfigParsingTests.Minimal.Replace("\"ociVersion\"", "\"x\": {\"path\": 1}, \"y\": [{\"a\": 1}, {\"a\": 2}], \"ociVersion\"")))
            .Root!.Path.Should().Be("rootfs");

    [Fact]
    public void Nesting_deeper_than_the_limit_is_refused_naming_the_limit_and_the_place()
    {
        // The root object is level 1, "x" holds the rest.
        var tooDeep = new string('[', JsonInput.MaxDepth) + new string(']', JsonInput.MaxDepth);

        Loading(ConfigParsingTests.Minimal.Replace("\"ociVersion\"", $"\"x\": {tooDeep}, \"ociVersion\"")).Should().Throw<RuntimeError>()
            .WithMessage($"config.json: /x/0/0/*: nested more than {JsonInput.MaxDepth} levels deep*");
    }

    [Fact]
    public void Nesting_up_to_the_limit_is_read()
    {
        var deepest = new string('[', JsonInput.MaxDepth - 1) + new string(']', JsonInput.MaxDepth - 1);

        ConfigLoader.Parse(Encoding.UTF8.GetBytes(ConfigParsingTests.Minimal.Replace("\"ociVersion\"", $"\"x\": {deepest}, \"ociVersion\"")))
            .Root!.Path.Should().Be("rootfs");
    }

    [Fact]
    public void Broken_syntax_names_the_enclosing_value_the_line_and_the_column() =>
        Loading(ConfigParsingTests.Minimal.Replace("\"args\": [\"sh\"]", "\"args\": [\"sh\", }")).Should().Throw<RuntimeError>()
            .WithMessage("config.json: /process/args: invalid JSON at line 4, column 43: *");

    [Theory]
    [InlineData("")]
    [InlineData(" \n\t ")]
    public void An_empty_file_is_refused_as_such(string json) =>
        Loading(json).Should().Throw<RuntimeError>().WithMessage("config.json: the file is empty, expected a JSON object");

    [Fact]
    public void A_number_beyond_the_model_type_names_its_pointer() =>
        Loading(ConfigParsingTests.Minimal.Replace("\"cwd\": \"/\",", "\"cwd\": \"/\", \"oomScoreAdj\": 99999999999,")).Should().Throw<RuntimeError>()
            .WithMessage("config.json: /process/oomScoreAdj: 99999999999 is out of range for this field");

    [Fact]
    public void A_10_mb_config_is_read()
    {
        var annotation = new string('a', 10 << 20);

        ConfigLoader.Parse(Encoding.UTF8.GetBytes(ConfigParsingTests.Minimal.Replace("\"ociVersion\"", $"\"annotations\": {{\"big\": \"{annotation}\"}}, \"ociVersion\"")))
            .Annotations!["big"].Should().HaveLength(10 << 20);
    }

    [Theory]
    [InlineData("""{"cwd": null, "args": ["sh"]}""", "process.json: /cwd: must be of type string, got null")]
    [InlineData("""{"args": ["sh"]}""", "process.json: /: missing required property \"cwd\"")]
    [InlineData("""{"cwd": "/", "args": ["sh"], "user": {"uid": -1, "gid": 0}}""", "process.json: /user/uid: must be >= 0")]
    [InlineData("""{"cwd": "tmp", "args": ["sh"]}""", "process.json: /cwd: must be an absolute path, got \"tmp\"")]
    [InlineData("""[]""", "process.json: /: must be of type object, got array")]
    public void A_process_file_is_checked_as_the_config_process_is(string json, string error) =>
        FluentActions.Invoking(() => ConfigLoader.ParseProcess(Encoding.UTF8.GetBytes(json), "process.json"))
            .Should().Throw<RuntimeError>().WithMessage(error);

    [Fact]
    public void Several_problems_are_reported_on_one_line() =>
        Loading(ConfigParsingTests.Minimal.Replace("\"args\": [\"sh\"]", "\"args\": \"sh\"").Replace("\"cwd\": \"/\"", "\"cwd\": 1"))
            .Should().Throw<RuntimeError>().Which.Message.Should().Be(
                "config.json: /process/args: must be of type array, got string; /process/cwd: must be of type string, got number");

    [Fact]
    public void Thousands_of_problems_list_the_first_ones()
    {
        var args = string.Join(", ", Enumerable.Repeat("1", 5000));

        Loading(ConfigParsingTests.Minimal.Replace("\"args\": [\"sh\"]", $"\"args\": [{args}]")).Should().Throw<RuntimeError>()
            .Which.Message.Should().StartWith("config.json: /process/args/0: must be of type string, got number; /process/args/1: ")
            .And.EndWith($"; and {5000 - ConfigLoader.MaxListedErrors} more problems");
    }
}

internal static class ByteReplacement
{
    /// <summary>The bytes with the first <paramref name="find"/> replaced by raw bytes, which a string cannot hold when they are not UTF-8.</summary>
    public static byte[] Replace(this byte[] bytes, string find, byte[] replacement)
    {
        int at = bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(find));
        at.Should().BeGreaterThanOrEqualTo(0, "the document holds {0}", find);
        return [.. bytes[..at], .. replacement, .. bytes[(at + find.Length)..]];
    }
}
