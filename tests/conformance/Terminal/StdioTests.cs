namespace OciRuntime.Tests.Conformance.Terminal;

/// <summary>
/// Without a terminal the runtime hands its own stdio to the process untouched (no proxy in between), and `create`
/// holds no pipe of the caller open except through the container process's own stdio.
/// </summary>
public sealed class StdioTests(ITestOutputHelper output) : ConformanceTest(output)
{
    /// <summary>Prints what fds 0-2 of the current shell are, in the same form on the host and in the container.</summary>
    private const string PrintStdio = "for fd in 0 1 2; do echo \"$fd $(readlink /proc/$$/fd/$fd)\"; done";

    [RootFact]
    public void Foreground_run_without_a_terminal_gives_the_process_the_callers_own_pipes()
    {
        Config.SetShellScript(PrintStdio);
        Bundle.WriteConfig();

        var result = Runtime.InvokeWithShellSetup(PrintStdio, "run", "--bundle", Bundle.Path, Sandbox.NewContainerId()).ShouldSucceed();

        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Should().HaveCount(6);
        lines[..3].Should().AllSatisfy(line => line.Should().MatchRegex(@"^\d pipe:\[\d+\]$"), "the caller's stdio are pipes");
        lines[3..].Should().Equal(lines[..3], "the container process's fds 0-2 are the very pipes the runtime was given");
    }

    [RootFact]
    public void Create_holds_the_callers_pipes_only_through_the_container_stdio()
    {
        // The process writes to the pipes create was given, then lets go of them: nothing else may hold them.
        Config.SetShellScript("echo out-from-container; echo err-from-container >&2; exec </dev/null >/dev/null 2>&1; sleep 1000");
        Bundle.WriteConfig();
        var id = Sandbox.NewContainerId();

        using var create = Runtime.Launch("create", "--bundle", Bundle.Path, id);
        create.WaitForProcessExit().Should().Be(0);
        Runtime.Start(id).ShouldSucceed();

        create.WaitForStdout("out-from-container");
        Task.WhenAll(create.StdoutClosed, create.StderrClosed).Wait(Eventually.DefaultTimeout)
            .Should().BeTrue("once the container process closed its stdio, no runtime process may still hold the caller's pipes");
        create.Stderr.Should().Contain("err-from-container");
    }
}
