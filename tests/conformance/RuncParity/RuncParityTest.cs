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

    /// <summary>
    /// A foreground `run` of the bundle (<see cref="RuntimeParity.Run"/>), then <paramref name="madeInRootfs"/> (what
    /// the runtime made in the shared rootfs, directories or files) removed: the next runtime finds the image as it was.
    /// </summary>
    protected RuntimeParity.Outcome RunRemovingFromRootfs(RuntimeCli runtime, string id, params string[] madeInRootfs)
    {
        var run = RuntimeParity.Run(runtime, id, Bundle.Path);
        foreach (var containerPath in madeInRootfs)
        {
            var hostPath = Bundle.InRootfs(containerPath);
            if (Directory.Exists(hostPath))
                Directory.Delete(hostPath, recursive: true);
            else
                File.Delete(hostPath);
        }
        return run;
    }

    /// <summary>Refusal parity: the command fails under both runtimes and leaves no container behind.</summary>
    protected static void ShouldBeRefusedLeavingNothing(RuntimeParity.Outcome outcome)
    {
        outcome.Succeeded.Should().BeFalse("runc refuses this scenario");
        outcome.Status.Should().Be("absent", "a refused command leaves no container");
    }
}
