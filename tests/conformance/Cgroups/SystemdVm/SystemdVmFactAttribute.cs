namespace OciRuntime.Tests.Conformance.Cgroups.SystemdVm;

/// <summary>A fact about the systemd VMs: skipped, with the reason printed, without root, qemu, a kernel image or systemd.</summary>
public sealed class SystemdVmFactAttribute : FactAttribute
{
    public override string? Skip
    {
        get => base.Skip ?? SystemdVmFixture.SkipReason;
        set => base.Skip = value;
    }
}
