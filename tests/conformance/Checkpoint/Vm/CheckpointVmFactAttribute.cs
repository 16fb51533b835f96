namespace OciRuntime.Tests.Conformance.Checkpoint.Vm;

/// <summary>A fact about the checkpoint VM: skipped, with the reason printed, without root, qemu, a kernel image or criu.</summary>
public sealed class CheckpointVmFactAttribute : FactAttribute
{
    public override string? Skip
    {
        get => base.Skip ?? QemuVm.SkipReason ?? (!File.Exists(CheckpointVmFixture.Criu) ? $"no {CheckpointVmFixture.Criu} (Debian package criu)" : null);
        set => base.Skip = value;
    }
}
