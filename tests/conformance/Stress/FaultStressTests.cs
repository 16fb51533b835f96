using System.Collections.Concurrent;

namespace OciRuntime.Tests.Conformance.Stress;

/// <summary>
/// The runtime SIGKILLed at random points of real lifecycles, by 8 parallel workers, then cleaned up as an engine does:
/// nothing may be left (issue "faults must leave nothing behind"). Sized by <see cref="StressSettings"/>: `make test`
/// runs a short run, `make stress` 1000 lifecycles.
/// </summary>
[Collection(StressCollection.Name)]
public sealed class FaultStressTests(ITestOutputHelper output) : ConformanceTest(output)
{
    private const int FailuresShown = 5;
    /// <summary>How long SIGKILLed processes may take to be gone.</summary>
    private static readonly TimeSpan ProcessesGrace = TimeSpan.FromSeconds(20);

    [RootFact]
    public void Lifecycles_with_the_runtime_sigkilled_at_random_points_leave_nothing_behind()
    {
        var settings = StressSettings.FromEnvironment();
        Runtime.Note(settings.ToString());
        string cgroupPrefix = $"/oct-stress-{Guid.NewGuid():N}"[..24];
        Sandbox.AddCleanup($"remove the cgroups below {cgroupPrefix}", () => ContainerCgroup.RemoveTreeFromEveryHierarchy(cgroupPrefix));
        var environment = new StressEnvironment(Sandbox, cgroupPrefix);
        var plans = LifecyclePlan.DrawAll(settings);

        var outcomes = RunAll(environment, plans, settings.Workers);

        var faulted = outcomes.Where(o => o.Plan.FaultStep is not null).ToList();
        Runtime.Note($"{outcomes.Count} lifecycles, {faulted.Count} faulted, {faulted.Count(o => o.FaultLanded)} SIGKILLs hit a running command: " +
            string.Join(", ", faulted.GroupBy(o => o.Plan.FaultStep).OrderBy(g => g.Key).Select(g => $"{g.Key} {g.Count(o => o.FaultLanded)}/{g.Count()}")));
        var failures = outcomes.Where(o => o.Failure is not null).ToList();
        foreach (var failure in failures.Take(FailuresShown))
            Runtime.Note($"FAILED {failure.Plan}: {failure.Failure}\n{failure.Transcript}");
        failures.Select(f => $"{f.Plan}: {f.Failure}").Should().BeEmpty("every lifecycle works and every faulted one is cleaned up ({0})", settings);
        faulted.Should().Contain(o => o.FaultLanded, "the run must really kill the runtime mid-command to test anything");

        LeakScan.StateDirectories(environment.StateRoot).Should().BeEmpty("no state directory may outlive `delete --force`");
        LeakScan.Cgroups(cgroupPrefix).Should().BeEmpty("no cgroup may outlive `delete --force`, in any hierarchy");
        LeakScan.Mounts(Sandbox.Path).Should().BeEmpty("no mount may outlive its container");
        LeakScan.Processes(cgroupPrefix, Sandbox.Path, ProcessesGrace).Should().BeEmpty("no process may outlive `delete --force`");
    }

    private static List<LifecycleOutcome> RunAll(StressEnvironment environment, IReadOnlyList<LifecyclePlan> plans, int workerCount)
    {
        var outcomes = new ConcurrentBag<LifecycleOutcome>();
        int next = -1;
        var workers = Enumerable.Range(0, workerCount).Select(_ => new Thread(() =>
        {
            for (int index; (index = Interlocked.Increment(ref next)) < plans.Count;)
                outcomes.Add(new StressLifecycle(environment, plans[index]).Execute());
        })).ToList();
        workers.ForEach(worker => worker.Start());
        workers.ForEach(worker => worker.Join());
        return outcomes.OrderBy(o => o.Plan.Index).ToList();
    }
}
