namespace OciRuntime.Tests.Conformance.Engines;

/// <summary>
/// An engine set up once for a test class in a <see cref="TestSandbox"/> of its own, logging to xunit's diagnostic
/// messages; a failed start cleans up what it made and fails every test of the class with the engine's error.
/// </summary>
public abstract class EngineFixture : IDisposable
{
    protected EngineFixture(IMessageSink messages)
    {
        Log = new FixtureOutput(messages);
        Sandbox = new TestSandbox(Log, owner: GetType().Name);
        try
        {
            Start();
        }
        catch
        {
            Sandbox.Dispose();
            throw;
        }
    }

    protected TestSandbox Sandbox { get; }

    protected ITestOutputHelper Log { get; }

    /// <summary>Starts the engine; register its cleanups with <see cref="TestSandbox.AddCleanup"/>.</summary>
    protected abstract void Start();

    public void Dispose()
    {
        Sandbox.Dispose();
        GC.SuppressFinalize(this);
    }
}
