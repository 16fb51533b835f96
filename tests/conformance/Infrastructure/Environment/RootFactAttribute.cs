namespace OciRuntime.Tests.Conformance.Infrastructure;

/// <summary>
/// A fact that is skipped, with the reason printed, when not root, when <see cref="RequiresPath"/> is absent or when the
/// kernel lacks <see cref="RequiresKernel"/> (a <see cref="KernelFeature"/>).
/// </summary>
public sealed class RootFactAttribute : FactAttribute
{
    /// <summary>A kernel interface (e.g. /proc/self/ns/time) without which the test cannot run.</summary>
    public string? RequiresPath { get; set; }

    /// <summary>A <see cref="KernelFeature"/> without which the test cannot run.</summary>
    public string? RequiresKernel { get; set; }

    public override string? Skip
    {
        get => base.Skip ?? TestPreconditions.SkipReason(RequiresPath) ?? (RequiresKernel is null ? null : KernelFeature.MissingReason(RequiresKernel));
        set => base.Skip = value;
    }
}
