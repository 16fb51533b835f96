namespace OciRuntime.Tests.Conformance.Terminal;

/// <summary>
/// A terminal container run (or a `exec -t`) in the foreground without --console-socket, as a user types it in a
/// terminal: the container's pty is attached to the caller's terminal, which is raw meanwhile and restored afterwards,
/// and the caller's window size follows into the container.
/// </summary>
public sealed class ForegroundTerminalTests(ITestOutputHelper output) : ConformanceTest(output)
{
    /// <summary>Echoes each line typed until "quit", which exits 5; prints the window size after each line.</summary>
    private const string Interactive =
        "tty; echo ready; while read line; do [ \"$line\" = quit ] && exit 5; echo \"got-$line\"; stty size; done";

    [RootFact]
    public void Run_attaches_the_container_terminal_to_the_callers_terminal()
    {
        Config.Process()["terminal"] = true;
        // The file system and inode of the container's stdin: the caller's pty would have the same as on the host.
        Config.SetShellScript("stat -L -c 'stdin-is %d:%i' /proc/self/fd/0; " + Interactive);
        using var terminal = Pty.Open(rows: 33, columns: 77);

        using var run = LaunchRun(terminal);
        terminal.Master.WaitForOutput("ready");
        var mark = terminal.Master.Mark();
        terminal.Master.Write("typed-in\n");
        terminal.Master.WaitForOutput("got-typed-in", since: mark);
        terminal.Master.Write("quit\n");

        run.WaitForExit().ExitCode.Should().Be(5, "run exits with the container's status");
        string callers = CommandRunner.Run("stat", ["-L", "-c", "stdin-is %d:%i", terminal.SlavePath]).ShouldSucceed().Stdout.Trim();
        Note(terminal).Should().Contain("/dev/pts/0", "the container's pty is the first of its own devpts")
            .And.Contain("stdin-is ").And.NotContain(callers, "the container's stdio is a pty of its own, not the caller's");
    }

    [RootFact]
    public void Callers_terminal_is_raw_while_attached_and_restored_after()
    {
        Config.Process()["terminal"] = true;
        Config.SetShellScript(Interactive);
        using var terminal = Pty.Open(rows: 24, columns: 80);
        var modesBefore = terminal.LocalModes;
        terminal.IsRaw.Should().BeFalse("a fresh pty starts in canonical mode with echo");

        using var run = LaunchRun(terminal);
        terminal.Master.WaitForOutput("ready");

        Eventually.True(() => terminal.IsRaw, "the caller's terminal to be raw (no ICANON, no ECHO) while attached");
        terminal.Master.Write("quit\n");
        run.WaitForExit().ExitCode.Should().Be(5);
        Note(terminal);
        terminal.LocalModes.Should().Be(modesBefore, "the terminal's modes are restored when run exits");
    }

    [RootFact]
    public void Window_size_of_the_callers_terminal_and_its_changes_reach_the_container()
    {
        Config.Process()["terminal"] = true;
        Config.SetShellScript(Interactive);
        using var terminal = Pty.Open(rows: 33, columns: 77);

        using var run = LaunchRun(terminal);
        terminal.Master.WaitForOutput("ready");

        TypeUntilPrinted(terminal, "33 77");
        terminal.Master.Resize(50, 120);
        TypeUntilPrinted(terminal, "50 120");
        terminal.Master.Write("quit\n");
        run.WaitForExit().ExitCode.Should().Be(5);
        Note(terminal);
    }

    [RootFact]
    public void Exec_with_tty_attaches_the_process_terminal_to_the_callers_terminal()
    {
        Config.SetArgs("sleep", "1000");
        var container = StartContainer();
        using var terminal = Pty.Open(rows: 33, columns: 77);

        using var exec = Runtime.LaunchOnTerminal(terminal, "exec", "--tty", container.Id, "sh", "-c", Interactive);
        terminal.Master.WaitForOutput("ready");
        TypeUntilPrinted(terminal, "33 77");
        terminal.Master.Write("quit\n");

        exec.WaitForExit().ExitCode.Should().Be(5, "exec exits with its process's status");
        Note(terminal).Should().Contain("got-").And.MatchRegex(@"/dev/pts/\d+");
    }

    private RunningCommand LaunchRun(Pty terminal)
    {
        Bundle.WriteConfig();
        return Runtime.LaunchOnTerminal(terminal, "run", "--bundle", Bundle.Path, Sandbox.NewContainerId());
    }

    /// <summary>
    /// Types lines until the container prints <paramref name="expected"/>: a size change reaches the container
    /// asynchronously (SIGWINCH to the runtime, which resizes the container's pty), so one line may come too early.
    /// </summary>
    private static void TypeUntilPrinted(Pty terminal, string expected)
    {
        var mark = terminal.Master.Mark();
        var deadline = DateTime.UtcNow + Eventually.DefaultTimeout;
        while (true)
        {
            terminal.Master.Write("line\n");
            try
            {
                terminal.Master.WaitForOutput(expected, since: mark, timeout: TimeSpan.FromMilliseconds(300));
                return;
            }
            catch (TimeoutException) when (DateTime.UtcNow < deadline)
            {
            }
        }
    }

    private string Note(Pty terminal)
    {
        var text = terminal.Master.Output;
        Runtime.Note($"(caller's terminal)\n{text}");
        return text;
    }
}
