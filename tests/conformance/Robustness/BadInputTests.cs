using System.Text;
using System.Text.Json.Nodes;

namespace OciRuntime.Tests.Conformance.Robustness;

/// <summary>
/// Input that once ended in an unhandled .NET exception: each is now one line naming the JSON Pointer, exit 1 (255 for exec),
/// and nothing left behind.
/// </summary>
public sealed class BadInputTests(ITestOutputHelper output) : ConformanceTest(output)
{
    /// <summary>Replaces the first <paramref name="find"/> of the written config by raw bytes.</summary>
    private void WriteRaw(string find, byte[] replacement) => Bundle.RawEdit = bytes =>
    {
        int at = bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(find));
        at.Should().BeGreaterThanOrEqualTo(0, "the config holds {0}", find);
        return [.. bytes[..at], .. replacement, .. bytes[(at + find.Length)..]];
    };

    /// <param name="exitCode">1, or 255 for `exec` (runc's status when exec could not start the process)</param>
    private string OnlyStderrLine(CommandResult result, int exitCode = 1)
    {
        result.ExitCode.Should().Be(exitCode, result.Transcript());
        return result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().ContainSingle(result.Transcript()).Subject;
    }

    private CommandResult Validate()
    {
        Bundle.WriteConfig();
        return Runtime.InvokeWithoutRoot("validate", "--bundle", Bundle.Path);
    }

    [RootFact]
    public void Invalid_utf8_in_args_is_one_line_naming_the_field_and_create_leaves_nothing()
    {
        WriteRaw("\"sh\"", [(byte)'"', (byte)'s', 0xFF, (byte)'"']);

        OnlyStderrLine(Validate()).Should().Be("ociruntime: validate: config.json: /process/args/0: not valid UTF-8");
        OnlyStderrLine(CreateFailsAndLeavesNothing()).Should().Be("ociruntime: create: config.json: /process/args/0: not valid UTF-8");
    }

    /// <summary>
    /// create checks a config against the schema while the bootstrap builds the namespaces, off the launch's critical
    /// path, but before the cgroup is limited and before any hook: a config only the schema refuses fails with the
    /// schema's line, whatever else fails on it first (the mode below stops the program's compiler), with no hook run and
    /// nothing left behind. With a user namespace the check runs once the uid/gid maps are written.
    /// </summary>
    [RootTheory]
    [InlineData("seccomp", """{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": [], "action": "SCMP_ACT_ERRNO"}]}""",
        "/linux/seccomp/syscalls/0/names: must have at least 1 item", false)]
    [InlineData("seccomp", """{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": [], "action": "SCMP_ACT_ERRNO"}]}""",
        "/linux/seccomp/syscalls/0/names: must have at least 1 item", true)]
    [InlineData("memoryPolicy", """{"mode": "MPOL_X"}""", "/linux/memoryPolicy/mode: must be one of: ", false)]
    public void A_config_only_the_schema_refuses_fails_with_its_line_before_any_hook_and_create_leaves_nothing(string field, string value,
        string error, bool userNamespace)
    {
        var marker = Path.Combine(Sandbox.CreateHostDirectory("hook"), "ran");
        Config.AddHook("createRuntime", ConfigEdits.Hook("/bin/sh", ["sh", "-c", $"touch {marker}"]));
        Config.Linux()[field] = JsonNode.Parse(value);
        if (userNamespace)
        {
            Config.SetNamespace("user");
            Config.Linux()["uidMappings"] = JsonNode.Parse("""[{"containerID": 0, "hostID": 100000, "size": 65536}]""");
            Config.Linux()["gidMappings"] = JsonNode.Parse("""[{"containerID": 0, "hostID": 100000, "size": 65536}]""");
        }

        OnlyStderrLine(CreateFailsAndLeavesNothing()).Should().StartWith($"ociruntime: create: config.json: {error}");
        File.Exists(marker).Should().BeFalse("no hook runs for a config the schema refuses");
    }

    [Fact]
    public void Invalid_utf8_in_an_env_entry_names_its_index()
    {
        WriteRaw("\"TERM=xterm\"", [(byte)'"', (byte)'T', (byte)'=', 0xC3, (byte)'"']);

        OnlyStderrLine(Validate()).Should().Be("ociruntime: validate: config.json: /process/env/1: not valid UTF-8");
    }

    [RootFact]
    public void A_nul_in_root_path_is_one_line_naming_the_field_and_create_leaves_nothing()
    {
        Config.ObjectAt("root")["path"] = "root\0fs";

        OnlyStderrLine(Validate()).Should().StartWith("ociruntime: validate: config.json: /root/path: contains a NUL character");
        OnlyStderrLine(CreateFailsAndLeavesNothing()).Should().StartWith("ociruntime: create: config.json: /root/path: contains a NUL character");
    }

    [Fact]
    public void A_duplicate_key_is_refused_naming_it()
    {
        WriteRaw("\"cwd\"", "\"cwd\": \"/tmp\", \"cwd\""u8.ToArray());

        OnlyStderrLine(Validate()).Should().StartWith("ociruntime: validate: config.json: /process/cwd: duplicate key \"cwd\"");
    }

    [Fact]
    public void Deep_nesting_is_refused_naming_the_limit()
    {
        WriteRaw("\"ociVersion\"", Encoding.ASCII.GetBytes($"\"x\": {new string('[', 1000)}{new string(']', 1000)}, \"ociVersion\""));

        OnlyStderrLine(Validate()).Should().StartWith("ociruntime: validate: config.json: /x/0/0/").And.Contain("nested more than 64 levels deep");
    }

    [Fact]
    public void Broken_syntax_names_the_value_line_and_column()
    {
        WriteRaw("\"TERM=xterm\"", "\"TERM=xterm\", }"u8.ToArray());

        OnlyStderrLine(Validate()).Should().MatchRegex(@"^ociruntime: validate: config\.json: /process/env: invalid JSON at line \d+, column \d+: ");
    }

    [RootFact]
    public void An_empty_config_is_refused_as_such()
    {
        Bundle.RawEdit = _ => [];

        OnlyStderrLine(Validate()).Should().Be("ociruntime: validate: config.json: the file is empty, expected a JSON object");
        OnlyStderrLine(CreateFailsAndLeavesNothing()).Should().Be("ociruntime: create: config.json: the file is empty, expected a JSON object");
    }

    [Fact]
    public void A_10_mb_config_is_read()
    {
        Config["annotations"] = new JsonObject { ["org.example.big"] = new string('a', 10 << 20) };

        Validate().ShouldSucceed().Stdout.Should().Be("config.json: valid\n");
    }

    [RootFact]
    public void An_exec_process_file_of_invalid_utf8_is_one_line_naming_the_file_and_field()
    {
        var container = CreateContainer();
        var processFile = Path.Combine(Sandbox.Path, "process.json");
        File.WriteAllBytes(processFile, [.. "{\"cwd\": \"/\", \"args\": [\""u8, 0xFF, .. "\"]}"u8]);

        OnlyStderrLine(Runtime.Invoke("exec", "--process", processFile, container.Id), exitCode: 255)
            .Should().Be($"ociruntime: exec: {processFile}: /args/0: not valid UTF-8");
    }

    [RootFact]
    public void An_update_resources_file_with_a_duplicate_key_is_one_line_naming_it()
    {
        var container = CreateContainer();
        var resources = Path.Combine(Sandbox.Path, "resources.json");
        File.WriteAllText(resources, """{"pids": {"limit": 10, "limit": 20}}""");

        OnlyStderrLine(Runtime.Invoke("update", "--resources", resources, container.Id))
            .Should().Be("ociruntime: update: --resources: /pids/limit: duplicate key \"limit\": the document is ambiguous");
    }

    [RootFact]
    public void A_corrupt_state_file_is_an_internal_error_line_on_stderr_and_in_the_json_log()
    {
        // The runtime's own record, not user input: a value of the wrong type there is a fault we did not plan for.
        const string id = "oct-corrupt-state";
        Directory.CreateDirectory(Runtime.StateDirectory(id));
        File.WriteAllText(Path.Combine(Runtime.StateDirectory(id), "state.json"), "{\"id\": 5}");
        var log = Path.Combine(Sandbox.Path, "runtime.log");

        var line = OnlyStderrLine(Runtime.Invoke("--log", log, "--log-format", "json", "state", id));

        line.Should().StartWith("ociruntime: state: internal error: ");
        var logged = JsonNode.Parse(File.ReadAllLines(log).Should().ContainSingle().Subject)!;
        logged["level"]!.GetValue<string>().Should().Be("error");
        logged["msg"]!.GetValue<string>().Should().Be(line["ociruntime: ".Length..]);
    }
}
