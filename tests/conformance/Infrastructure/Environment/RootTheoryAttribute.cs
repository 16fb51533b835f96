namespace OciRuntime.Tests.Conformance.Infrastructure;

/// <summary>A theory that is skipped, with the reason printed, when not root or when <see cref="RequiresPath"/> is absent.</summary>
public sealed class RootTheoryAttribute : TheoryAttribute
{
    /// <summary>A kernel interface (e.g. /proc/self/numa_maps) without which the test cannot run.</summary>
    public string? RequiresPath { get; set; }

    public override string? Skip
    {
        get => base.Skip ?? TestPreconditions.SkipReason(RequiresPath);
        set => base.Skip = value;
    }
}
