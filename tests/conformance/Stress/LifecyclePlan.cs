namespace OciRuntime.Tests.Conformance.Stress;

/// <summary>
/// What one lifecycle of the stress run does, drawn from the run's seed: the whole create/start/state/exec/kill/delete
/// sequence or a foreground `run`, and in the faulted share which command gets SIGKILLed and how far into it
/// (<see cref="FaultFraction"/> of the command's typical duration).
/// </summary>
public sealed record LifecyclePlan(int Index, bool IsRun, string? FaultStep, double FaultFraction)
{
    public static readonly string[] SequenceSteps = ["create", "start", "state", "exec", "kill", "delete"];
    public static readonly string[] RunSteps = ["run"];

    /// <summary>Exactly <see cref="StressSettings.FaultRate"/> of the lifecycles are faulted, which ones is random.</summary>
    public static IReadOnlyList<LifecyclePlan> DrawAll(StressSettings settings)
    {
        var random = new Random(settings.Seed);
        var faulted = Enumerable.Range(0, settings.Lifecycles).OrderBy(_ => random.Next())
            .Take((int)Math.Round(settings.Lifecycles * StressSettings.FaultRate)).ToHashSet();
        return Enumerable.Range(0, settings.Lifecycles).Select(index =>
        {
            bool isRun = random.NextDouble() < 0.25;
            string[] steps = isRun ? RunSteps : SequenceSteps;
            string fault = steps[random.Next(steps.Length)];
            return new LifecyclePlan(index, isRun, faulted.Contains(index) ? fault : null, random.NextDouble());
        }).ToList();
    }

    public override string ToString() =>
        $"lifecycle {Index} ({(IsRun ? "run" : "create/start/state/exec/kill/delete")}" +
        (FaultStep is null ? ")" : $", SIGKILL in `{FaultStep}` at {FaultFraction:P0} of its typical time)");
}
