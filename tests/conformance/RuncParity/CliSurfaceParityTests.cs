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
}
