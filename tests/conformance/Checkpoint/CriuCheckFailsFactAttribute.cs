using System.Diagnostics;

namespace OciRuntime.Tests.Conformance.Checkpoint;

/// <summary>
/// A fact about a host where CRIU is installed but `criu check` fails (as 3.17 does on kernel 6.18: vDSO): skipped,
/// with the reason printed, without root or criu, or where CRIU works (the VM tests cover checkpoint there too).
/// </summary>
public sealed class CriuCheckFailsFactAttribute : FactAttribute
{
    public const string Criu = "/usr/sbin/criu";

    private static readonly Lazy<bool> CheckPasses = new(() =>
    {
        var check = Process.Start(new ProcessStartInfo(Criu, ["check"]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        check.StandardOutput.ReadToEnd();
        check.StandardError.ReadToEnd();
        check.WaitForExit();
        return check.ExitCode == 0;
    });

    public override string? Skip
    {
        get => base.Skip ?? TestPreconditions.SkipReason(null) ?? (!File.Exists(Criu) ? $"no {Criu} (Debian package criu)" : null)
            ?? (CheckPasses.Value ? "`criu check` passes on this host: the failure these tests need does not happen" : null);
        set => base.Skip = value;
    }
}
