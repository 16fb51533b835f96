namespace OciRuntime.Tests.Conformance.RuncParity;

/// <summary>Base of the tests that run each scenario under runc 1.1.5 too, as the control (<see cref="RuntimeParity"/>).</summary>
public abstract class RuncParityTest : ConformanceTest
{
    private readonly Lazy<RuntimeParity> parity;

    protected RuncParityTest(ITestOutputHelper output) : base(output) => parity = new(() => new RuntimeParity(Sandbox, output));

    /// <summary>Made on first use: a test of the class that never runs runc does not need it installed.</summary>
    protected RuntimeParity Parity => parity.Value;

    /// <summary>A unix socket listening where `--console-socket` will point, removed at the end of the test.</summary>
    protected ConsoleSocketReceiver NewConsoleSocket(string id) => new(Path.Combine(Sandbox.Path, $"{id}.sock"));

    /// <summary>Refusal parity: the command fails under both runtimes and leaves no container behind.</summary>
    protected static void ShouldBeRefusedLeavingNothing(RuntimeParity.Outcome outcome)
    {
        outcome.Succeeded.Should().BeFalse("runc refuses this scenario");
        outcome.Status.Should().Be("absent", "a refused command leaves no container");
    }
}
