namespace OciRuntime.Tests.Conformance.Leftovers;

/// <summary>The suite's last check: runs alone, after every other collection (<see cref="SuiteOrder"/>).</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class LeftoverCollection
{
    public const string Name = "Leftovers";
}
