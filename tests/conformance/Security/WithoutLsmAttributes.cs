namespace OciRuntime.Tests.Conformance.Security;

/// <summary>Why a test of labels on a host without AppArmor and SELinux cannot run here, or null when it can.</summary>
internal static class WithoutLsm
{
    private static bool HostHasAppArmor =>
        File.Exists("/sys/module/apparmor/parameters/enabled") && File.ReadAllText("/sys/module/apparmor/parameters/enabled").StartsWith('Y');

    private static bool HostHasSelinux => Directory.Exists("/sys/fs/selinux/booleans");

    public static string? SkipReason() =>
        TestPreconditions.SkipReason(null)
        ?? (HostHasAppArmor || HostHasSelinux ? "this host enables AppArmor or SELinux, whose labels the runtime applies instead of ignoring" : null);
}

/// <summary>A root fact about a host without AppArmor and SELinux: skipped, with the reason printed, on a host with either.</summary>
public sealed class WithoutLsmFactAttribute : FactAttribute
{
    public override string? Skip
    {
        get => base.Skip ?? WithoutLsm.SkipReason();
        set => base.Skip = value;
    }
}

/// <summary>A root theory about a host without AppArmor and SELinux: skipped, with the reason printed, on a host with either.</summary>
public sealed class WithoutLsmTheoryAttribute : TheoryAttribute
{
    public override string? Skip
    {
        get => base.Skip ?? WithoutLsm.SkipReason();
        set => base.Skip = value;
    }
}
