using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace OciRuntime.Tests.Conformance.RuncParity;

/// <summary>What scripts and engines read of the command line's own output: warnings, version, help, debug lines.</summary>
public sealed class CliSurfaceParityTests(ITestOutputHelper output) : RuncParityTest(output)
{
    private const string UnknownCapabilityWarning = "ignoring unknown or unavailable capabilities: [CAP_NOT_A_REAL_ONE]";

    /// <summary>What a run of a config with an unknown capability gave: its exit, the process's sets, where the warning went.</summary>
    private sealed record UnknownCapabilityRun(bool Succeeded, string CapabilitySets, bool WarnedOnStderr, bool WarnedInLog);

    /// <summary>runc (1.1.5 and HEAD) keeps a config written for a newer kernel working: it applies the capabilities it knows.</summary>
    [RootTheory]
    [InlineData("text")]
    [InlineData("json")]
    public void An_unknown_capability_is_ignored_with_a_warning_on_stderr_or_in_the_log_as_by_runc(string logFormat)
    {
        foreach (string set in new[] { "bounding", "effective", "permitted" })
            Config.Process().ObjectAt("capabilities").ArrayAt(set).Add("CAP_NOT_A_REAL_ONE");
        Config.SetShellScript("grep ^Cap /proc/self/status");
        Bundle.WriteConfig();

        var (withoutLog, withLog) = Parity.ShouldMatchRunc((runtime, id) =>
        {
            var plain = runtime.Invoke("run", "--bundle", Bundle.Path, id);
            string log = Path.Combine(Sandbox.Path, $"{id}.log");
            var logged = runtime.Invoke("--log", log, "--log-format", logFormat, "run", "--bundle", Bundle.Path, $"{id}-logged");
            return (new UnknownCapabilityRun(plain.Succeeded, plain.Stdout.Trim(), plain.Stderr.Contains(UnknownCapabilityWarning), false),
                new UnknownCapabilityRun(logged.Succeeded, logged.Stdout.Trim(), false, File.ReadAllText(log).Contains(UnknownCapabilityWarning)));
        });

        withoutLog.Should().Be(new UnknownCapabilityRun(true, withLog.CapabilitySets, true, false));
        withLog.WarnedInLog.Should().BeTrue("with --log the warning goes to the log");
        withoutLog.CapabilitySets.Should().Contain("CapEff:\t0000000020000420", "the default config's CAP_AUDIT_WRITE, CAP_KILL and CAP_NET_BIND_SERVICE are applied");
    }

    /// <summary>Each line of `--version` with its values replaced by what they are, so the two runtimes compare line by line.</summary>
    private static string VersionLayout(string line) => line switch
    {
        _ when Regex.IsMatch(line, @"^\S+ version \d+\.\d+\.\d+") => "NAME version X.Y.Z",
        _ when Regex.IsMatch(line, @"^commit: \S+$") => "commit: COMMIT",
        _ when Regex.IsMatch(line, @"^spec: 1\.\d+\.\d+(-dev)?$") => "spec: 1.x.y",
        _ when Regex.IsMatch(line, @"^(go: go|dotnet: )\d+\.\d+\.\d+$") => "LANGUAGE: X.Y.Z",
        _ when Regex.IsMatch(line, @"^libseccomp: \d+\.\d+\.\d+$") => "libseccomp: X.Y.Z",
        _ => line,
    };

    /// <summary>runc's five lines (version, commit, spec, go, libseccomp), which scripts and bug reports read; ours name .NET where runc names Go.</summary>
    [RootFact]
    public void Version_prints_runcs_lines_with_the_dotnet_and_libseccomp_versions()
    {
        var (ours, runc) = Parity.Run((runtime, _) => runtime.InvokeWithoutRoot("--version"));

        ours.ExitCode.Should().Be(runc.ExitCode).And.Be(0);
        var lines = ours.Stdout.TrimEnd().Split('\n');
        lines.Select(VersionLayout).Should().Equal(runc.Stdout.TrimEnd().Split('\n').Select(VersionLayout));
        lines[0].Should().StartWith("ociruntime version ");
        lines[3].Should().MatchRegex(@"^dotnet: \d");
        lines[4].Should().Be(runc.Stdout.TrimEnd().Split('\n')[4], "both load the host's libseccomp");
    }

    /// <summary>What a help text is made of for a parser: its exit status and its section titles, in order.</summary>
    private sealed record HelpShape(int ExitCode, string Sections);

    private static HelpShape ShapeOf(CommandResult help) =>
        new(help.ExitCode, string.Join(" ", help.Stdout.Split('\n').Where(line => Regex.IsMatch(line, "^[A-Z][A-Z ]*:$"))));

    /// <summary>urfave/cli's sections, which completion generators and scripts parse; help needs no container id.</summary>
    [RootTheory]
    [InlineData("--help")]
    [InlineData("-h")]
    [InlineData("create", "--help")]
    [InlineData("state", "-h")]
    public void Help_has_runcs_sections(params string[] arguments)
    {
        var shape = Parity.ShouldMatchRunc((runtime, _) => ShapeOf(runtime.InvokeWithoutRoot(arguments)));

        shape.Sections.Should().StartWith("NAME: USAGE:");
    }

    [RootFact]
    public void Help_names_each_command_and_option_as_runc_does()
    {
        var (ours, runc) = Parity.Run((runtime, _) => runtime.InvokeWithoutRoot("create", "--help").Stdout);

        foreach (string line in new[] { "   runc create - create a container", "   runc create [command options] <container-id>", "   --bundle value, -b value  ", "   --no-pivot  " })
            runc.Should().Contain(line, "this is runc's layout");
        ours.Should().Contain("   ociruntime create - create a container").And.Contain("   ociruntime create [command options] <container-id>")
            .And.MatchRegex(@"\n   --bundle value, -b value  +path").And.MatchRegex(@"\n   --no-pivot  +\S");
    }

    [RootTheory]
    [InlineData("foo", "-h")]
    [InlineData("foo")]
    public void An_unknown_command_fails_with_status_3_and_no_help_topic_as_under_runc(params string[] arguments)
    {
        var outcome = Parity.ShouldMatchRunc((runtime, _) =>
        {
            var result = runtime.InvokeWithoutRoot(arguments);
            return (result.ExitCode, result.Stdout, Message: result.Stderr.Contains("No help topic for 'foo'"));
        });

        outcome.Should().Be((3, "", true));
    }

    /// <summary>
    /// runc's --debug: logrus lines at level debug for the steps of create (runc's are its nsexec stages), on stderr in
    /// text without --log, in the --log file as JSON with --log-format json.
    /// </summary>
    [RootTheory]
    [InlineData("text")]
    [InlineData("json")]
    public void Debug_writes_level_debug_lines_for_create_as_runc_does(string logFormat)
    {
        Bundle.WriteConfig();

        var outcome = Parity.ShouldMatchRunc((runtime, id) =>
        {
            string log = Path.Combine(Sandbox.Path, $"{id}.log");
            string[] logOptions = logFormat == "json" ? ["--log", log, "--log-format", "json"] : [];
            // Output to files: the created init holds its stdio open until start.
            var output = Sandbox.NewOutputFiles(id);
            var create = runtime.InvokeWithOutputFiles(output, ["--debug", .. logOptions, "create", "--bundle", Bundle.Path, id]);
            runtime.Delete(id, force: true);
            bool debugLines = logFormat == "json"
                ? File.ReadLines(log).Select(line => JsonNode.Parse(line)!).Any(line => (string?)line["level"] == "debug" && ((string?)line["msg"])?.Length > 0)
                : output.Stderr.Split('\n').Any(line => Regex.IsMatch(line, "^time=\"[^\"]+\" level=debug msg=\".+\"$"));
            return (create.Succeeded, debugLines);
        });

        outcome.Should().Be((true, true));
    }
}
