using OciRuntime.Tests.Conformance.Stress;

namespace OciRuntime.Tests.Conformance.Leftovers;

/// <summary>
/// xunit 2 runs the parallel collections first, then those with parallelization disabled in this order: the stress
/// test, then the leftover check, which must see the host after every other test and fixture has cleaned up.
/// </summary>
public sealed class SuiteOrder : ITestCollectionOrderer
{
    private static readonly string[] Last = [StressCollection.Name, LeftoverCollection.Name];

    public IEnumerable<ITestCollection> OrderTestCollections(IEnumerable<ITestCollection> testCollections) =>
        testCollections.OrderBy(collection => Array.IndexOf(Last, collection.DisplayName));
}
