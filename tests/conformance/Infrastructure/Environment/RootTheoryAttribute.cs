namespace OciRuntime.Tests.Conformance.Infrastructure;

/// <summary>A theory that is skipped, with the reason printed, when not running as root.</summary>
public sealed class RootTheoryAttribute : TheoryAttribute
{
    public override string? Skip
    {
        get => base.Skip ?? TestPreconditions.SkipReason(requiredPath: null);
        set => base.Skip = value;
    }
}
