using Xunit.Sdk;

namespace OciRuntime.Tests.Conformance.Engines;

/// <summary>
/// Where a class fixture (an engine shared by a test class) writes what it did: it outlives every test's
/// own output, so its start and cleanup notes go to xunit's diagnostic messages.
/// </summary>
public sealed class FixtureOutput(IMessageSink messages) : ITestOutputHelper
{
    public void WriteLine(string message) => messages.OnMessage(new DiagnosticMessage(message));

    public void WriteLine(string format, params object[] args) => WriteLine(string.Format(format, args));
}
