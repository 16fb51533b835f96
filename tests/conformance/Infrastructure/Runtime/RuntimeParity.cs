namespace OciRuntime.Tests.Conformance.Infrastructure;

/// <summary>
/// One scenario run under the runtime under test and then under Debian's runc 1.1.5, the control, each with a --root of
/// its own in the sandbox and a fresh container id; a parity test asserts that both give the same <see cref="Outcome"/>.
/// Containers made under runc are force-deleted by runc at the end of the test.
/// </summary>
public sealed class RuntimeParity
{
    public const string RuncPath = "/usr/sbin/runc";

    private readonly TestSandbox sandbox;
    private readonly ITestOutputHelper log;

    public RuntimeParity(TestSandbox sandbox, ITestOutputHelper log)
    {
        if (!File.Exists(RuncPath))
            throw new FileNotFoundException($"runc, the control of the parity tests, is not at {RuncPath} (apt-get install runc)", RuncPath);
        this.sandbox = sandbox;
        this.log = log;
        Runc = new RuntimeCli(RuncPath, Path.Combine(sandbox.Path, "runc-state"), log);
    }

    public RuntimeCli UnderTest => sandbox.Runtime;

    public RuntimeCli Runc { get; }

    /// <summary>What a user sees of one attempt: did the command succeed, what did the container print, what is it now.</summary>
    /// <param name="Status">the container's status from `state` afterwards, or "absent" when the runtime has no such container</param>
    public sealed record Outcome(bool Succeeded, string Output, string Status);

    /// <summary>Runs <paramref name="scenario"/> (given the runtime and a fresh id) under each runtime and returns what each observed.</summary>
    public (T UnderTest, T Runc) Run<T>(Func<RuntimeCli, string, T> scenario)
    {
        log.WriteLine($"--- under test: {UnderTest.Binary} ---");
        var underTest = scenario(UnderTest, sandbox.NewContainerId());
        log.WriteLine($"--- the control: {Runc.Binary} ---");
        var runcId = sandbox.NewContainerId();
        sandbox.AddCleanup($"runc delete --force {runcId}", () => Runc.Delete(runcId, force: true));
        var control = scenario(Runc, runcId);
        log.WriteLine($"--- outcomes ---\nunder test: {underTest}\nrunc:       {control}");
        return (underTest, control);
    }

    /// <summary>Runs <paramref name="scenario"/> under both and asserts the same outcome; returns it.</summary>
    public T ShouldMatchRunc<T>(Func<RuntimeCli, string, T> scenario)
    {
        var (underTest, control) = Run(scenario);
        underTest.Should().Be(control, "the runtime should behave as runc does in the same scenario");
        return underTest;
    }

    /// <summary>The outcome of a command that made (or failed to make) container <paramref name="id"/>.</summary>
    public static Outcome OutcomeOf(RuntimeCli runtime, string id, CommandResult result, string? output = null) =>
        new(result.Succeeded, (output ?? result.Stdout).Trim(), StatusOf(runtime, id));

    /// <summary>A foreground `run` of <paramref name="bundle"/>: its exit, the container's output, what is left of it.</summary>
    public static Outcome Run(RuntimeCli runtime, string id, string bundle, params string[] runOptions) =>
        OutcomeOf(runtime, id, runtime.Invoke(["run", "--bundle", bundle, .. runOptions, id]));

    public static string StatusOf(RuntimeCli runtime, string id) =>
        runtime.QuietState(id) is { Succeeded: true } state ? ContainerState.Parse(state.Stdout).Status ?? "?" : "absent";
}
