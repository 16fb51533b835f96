namespace OciRuntime.Tests.Conformance.Infrastructure;

/// <summary>A fact about the cgroup v2 VM: skipped, with the reason printed, without root, qemu or a kernel image.</summary>
public sealed class VmFactAttribute : FactAttribute
{
    public override string? Skip
    {
        get => base.Skip ?? QemuVm.SkipReason;
        set => base.Skip = value;
    }
}
