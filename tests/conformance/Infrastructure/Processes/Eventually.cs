namespace OciRuntime.Tests.Conformance.Infrastructure;

/// <summary>Polling for things that happen asynchronously (a process exiting, output arriving).</summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(50);

    public static void True(Func<bool> condition, string waitingFor, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? DefaultTimeout);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Timed out after {(timeout ?? DefaultTimeout).TotalSeconds} s waiting for {waitingFor}.");
            Thread.Sleep(Interval);
        }
    }
}
