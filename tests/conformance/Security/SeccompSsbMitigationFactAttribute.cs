namespace OciRuntime.Tests.Conformance.Security;

/// <summary>
/// A root fact for a host whose kernel forces the Speculative Store Bypass mitigation on seccomp filters (the CPU has
/// one and spec_store_bypass_disable is seccomp): elsewhere /proc/self/status reads the same with or without
/// SECCOMP_FILTER_FLAG_SPEC_ALLOW, so the test is skipped, with the kernel's words.
/// </summary>
public sealed class SeccompSsbMitigationFactAttribute : FactAttribute
{
    private const string Vulnerability = "/sys/devices/system/cpu/vulnerabilities/spec_store_bypass";

    public override string? Skip
    {
        get => base.Skip ?? TestPreconditions.SkipReason(Vulnerability) ?? (File.ReadAllText(Vulnerability).Trim() is var state
            && !state.Contains("seccomp") ? $"this kernel does not mitigate SSB for seccomp filters ({Vulnerability}: \"{state}\")" : null);
        set => base.Skip = value;
    }
}
