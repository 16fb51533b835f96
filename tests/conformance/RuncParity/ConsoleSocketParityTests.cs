namespace OciRuntime.Tests.Conformance.RuncParity;

/// <summary>
/// runc takes `--console-socket` only for a detached process with a terminal (utils_linux.go checkTerminal): it refuses
/// it for a process without one, and for every foreground `run` or `exec`, terminal or not.
/// </summary>
public sealed class ConsoleSocketParityTests(ITestOutputHelper output) : RuncParityTest(output)
{
    [RootTheory]
    [InlineData("create")]
    [InlineData("run", "--detach")]
    public void A_console_socket_for_a_process_without_a_terminal_is_refused_as_by_runc(params string[] command)
    {
        Config.Process()["terminal"] = false;
        Bundle.WriteConfig();

        ShouldBeRefusedLeavingNothing(Parity.ShouldMatchRunc((runtime, id) =>
        {
            using var socket = NewConsoleSocket(id);
            return RuntimeParity.OutcomeOf(runtime, id, runtime.Invoke([.. command, "--bundle", Bundle.Path, "--console-socket", socket.Path, id]));
        }));
    }

    [RootTheory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_console_socket_for_a_foreground_run_is_refused_as_by_runc(bool terminal)
    {
        Config.Process()["terminal"] = terminal;
        Config.SetShellScript("echo ran");
        Bundle.WriteConfig();

        ShouldBeRefusedLeavingNothing(Parity.ShouldMatchRunc((runtime, id) =>
        {
            using var socket = NewConsoleSocket(id);
            return RuntimeParity.Run(runtime, id, Bundle.Path, "--console-socket", socket.Path);
        }));
    }

    [RootFact]
    public void A_console_socket_for_a_foreground_exec_is_refused_as_by_runc()
    {
        Config.SetArgs("sleep", "1000");
        Bundle.WriteConfig();

        var outcome = Parity.ShouldMatchRunc((runtime, id) =>
        {
            runtime.InvokeWithOutputFiles(Sandbox.NewOutputFiles(id), "run", "--detach", "--bundle", Bundle.Path, id).ShouldSucceed();
            using var socket = NewConsoleSocket(id);
            var exec = RuntimeParity.OutcomeOf(runtime, id, runtime.Invoke("exec", "--tty", "--console-socket", socket.Path, id, "echo", "ran"));
            runtime.Delete(id, force: true).ShouldSucceed();
            return exec;
        });

        outcome.Succeeded.Should().BeFalse("runc refuses a console socket in the foreground");
        outcome.Status.Should().Be("running", "the refused exec leaves the container as it was");
    }
}
