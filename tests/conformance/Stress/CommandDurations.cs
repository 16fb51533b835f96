using System.Collections.Concurrent;

namespace OciRuntime.Tests.Conformance.Stress;

/// <summary>
/// The typical wall time of each runtime command in this run (a moving average of the ones not killed), so that a
/// fault's random delay falls inside the command on this machine under its current load, not after it.
/// </summary>
public sealed class CommandDurations
{
    private static readonly TimeSpan FirstGuess = TimeSpan.FromMilliseconds(50);
    private readonly ConcurrentDictionary<string, double> averageMilliseconds = new();

    public void Record(string step, TimeSpan elapsed) =>
        averageMilliseconds.AddOrUpdate(step, elapsed.TotalMilliseconds, (_, average) => average * 0.9 + elapsed.TotalMilliseconds * 0.1);

    public TimeSpan Typical(string step) =>
        averageMilliseconds.TryGetValue(step, out double milliseconds) ? TimeSpan.FromMilliseconds(milliseconds) : FirstGuess;
}
