namespace OciRuntime.Tests.Conformance.Signals;

/// <summary>
/// Foreground `run` and `exec` relay the signals a terminal or a supervisor sends them to the container process, and
/// exit as a shell reports it: its exit code, or 128+N when signal N killed it.
/// </summary>
public sealed class ForegroundSignalTests(ITestOutputHelper output) : ConformanceTest(output)
{
    /// <summary>Traps <c>$1</c>, reports it and exits 3. The loop's short sleeps let the trap run promptly.</summary>
    private const string TrapScript = "trap \"echo got-$1; exit 3\" \"$1\"; echo ready; while true; do sleep 0.1; done";

    private string FifoPath => Path.Combine(Sandbox.Path, "stdout.fifo");

    [RootTheory]
    [InlineData("TERM")]
    [InlineData("INT")]
    [InlineData("HUP")]
    [InlineData("QUIT")]
    [InlineData("USR1")]
    [InlineData("USR2")]
    [InlineData("WINCH")]
    public void Run_forwards_the_signal_to_the_container_init(string signal)
    {
        Config.SetArgs("sh", "-c", TrapScript, "sh", signal);
        Bundle.WriteConfig();
        // Sent the moment the process is ready, as a supervisor may: the runtime must relay signals from then on.
        using var run = Runtime.LaunchSignallingOnLine(FifoPath, "ready", HostSignal.Number(signal),
            "run", "--bundle", Bundle.Path, Sandbox.NewContainerId());

        var result = run.WaitForExit(TimeSpan.FromSeconds(10));
        result.Stdout.Should().Contain($"got-{signal}", "the init's trap saw the SIG{0} sent to `run`", signal);
        result.ExitCode.Should().Be(3, "run exits with the init's status");
    }

    [RootTheory]
    [InlineData("HUP")]  // under nohup
    [InlineData("INT")]  // a non-interactive shell's background job ignores INT and QUIT
    [InlineData("QUIT")]
    public void Run_forwards_a_signal_the_runtime_was_started_with_ignored(string signal)
    {
        Config.SetArgs("sh", "-c", TrapScript, "sh", signal);
        Bundle.WriteConfig();
        using var run = Runtime.LaunchSignallingOnLineWithIgnored(signal, FifoPath, "ready", HostSignal.Number(signal),
            "run", "--bundle", Bundle.Path, Sandbox.NewContainerId());

        var result = run.WaitForExit(TimeSpan.FromSeconds(10));
        result.Stdout.Should().Contain($"got-{signal}", "`run` relays SIG{0} although it was started ignoring it", signal);
        result.ExitCode.Should().Be(3);
    }

    [RootFact]
    public void Run_does_not_pass_an_ignored_SIGHUP_on_to_the_container()
    {
        // The container's program starts with default dispositions whatever the runtime inherited (runc resets them too).
        Config.SetShellScript("grep SigIgn /proc/self/status");
        Bundle.WriteConfig();

        var result = Runtime.InvokeWithShellSetup("trap '' HUP", "run", "--bundle", Bundle.Path, Sandbox.NewContainerId()).ShouldSucceed();

        var ignored = Convert.ToUInt64(result.Stdout.Split(':')[1].Trim(), 16);
        (ignored & (1UL << (HostSignal.SIGHUP - 1))).Should().Be(0, "SIGHUP is not ignored in the container ({0})", result.Stdout.Trim());
    }

    [RootFact]
    public void Run_holds_a_signal_that_comes_before_the_container_process_and_sends_it_then()
    {
        // The hook signals `run` while the init waits for it: there is no process to relay to yet. Without a pid
        // namespace the process is no namespace init, so the held SIGUSR1 ends it as it would end any process.
        Config.RemoveNamespace("pid");
        Config.AddHook("createRuntime", ConfigEdits.Hook("/bin/sh", ["sh", "-c", "kill -USR1 $PPID"]));
        Config.SetShellScript("sleep 5; echo not-signalled");

        var result = RunContainer();

        result.Stdout.Should().NotContain("not-signalled");
        result.ExitCode.Should().Be(128 + HostSignal.SIGUSR1, "run survived the signal and sent it on once the process existed");
    }

    [RootFact]
    public void Exec_forwards_SIGTERM_to_its_process()
    {
        Config.SetArgs("sleep", "1000");
        var container = StartContainer();
        using var exec = Runtime.LaunchSignallingOnLine(FifoPath, "ready", HostSignal.SIGTERM,
            "exec", container.Id, "sh", "-c", TrapScript, "sh", "TERM");

        var result = exec.WaitForExit(TimeSpan.FromSeconds(10));
        result.Stdout.Should().Contain("got-TERM");
        result.ExitCode.Should().Be(3);
        container.State().Status.Should().Be("running", "only the exec'd process got the signal");
    }

    [RootFact]
    public void Run_of_a_process_killed_by_a_signal_exits_with_128_plus_the_signal()
    {
        // Without a pid namespace the process is no namespace init, so a signal it does not handle kills it.
        Config.RemoveNamespace("pid");
        Config.SetShellScript("kill -USR1 $$");

        RunContainer().ExitCode.Should().Be(128 + HostSignal.SIGUSR1);
    }
}
