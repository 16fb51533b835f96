namespace OciRuntime.Tests.Conformance.Stress;

/// <summary>
/// The fault stress test runs alone: its leak scan looks at every process of the host, and its workers would slow the
/// tests around it into their timeouts.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class StressCollection
{
    public const string Name = "Stress";
}
