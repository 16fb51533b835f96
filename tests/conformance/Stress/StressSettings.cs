namespace OciRuntime.Tests.Conformance.Stress;

/// <summary>
/// How big the fault stress run is: OCIRUNTIME_STRESS_LIFECYCLES (default 100, `make stress` runs 1000),
/// OCIRUNTIME_STRESS_WORKERS (default 8) and OCIRUNTIME_STRESS_SEED (random unless given: the seed of a failed run
/// replays its plan).
/// </summary>
public sealed record StressSettings(int Lifecycles, int Workers, int Seed)
{
    /// <summary>The share of lifecycles in which one runtime command is SIGKILLed.</summary>
    public const double FaultRate = 0.10;

    public static StressSettings FromEnvironment() => new(
        Read("OCIRUNTIME_STRESS_LIFECYCLES") ?? 100,
        Read("OCIRUNTIME_STRESS_WORKERS") ?? 8,
        Read("OCIRUNTIME_STRESS_SEED") ?? Random.Shared.Next());

    public override string ToString() =>
        $"{Lifecycles} lifecycles, {Workers} workers, {FaultRate:P0} SIGKILLed; replay with OCIRUNTIME_STRESS_SEED={Seed} " +
        $"OCIRUNTIME_STRESS_LIFECYCLES={Lifecycles} OCIRUNTIME_STRESS_WORKERS={Workers}";

    private static int? Read(string variable) =>
        Environment.GetEnvironmentVariable(variable) is { Length: > 0 } text
            ? int.TryParse(text, out int value) && value > 0 ? value : throw new ArgumentException($"{variable}={text}: not a positive integer")
            : null;
}
