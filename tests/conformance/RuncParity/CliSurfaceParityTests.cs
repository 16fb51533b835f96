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
}
