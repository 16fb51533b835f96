namespace OciRuntime.Tests.Conformance.Terminal;

/// <summary>
/// process.terminal with `--console-socket` (runc's contract with containerd's shim and conmon): the runtime sends
/// the pty master over the socket with SCM_RIGHTS, and the slave becomes the process's controlling terminal and stdio.
/// </summary>
public sealed class ConsoleSocketTests(ITestOutputHelper output) : ConformanceTest(output)
{
    [RootFact]
    public void Create_sends_a_pty_master_that_drives_the_container_shell()
    {
        Config.Process()["terminal"] = true;
        Config.SetArgs("sh");
        using var receiver = NewReceiver();
        var container = CreateWithConsoleSocket(receiver);

        using var master = receiver.ReceiveMaster();
        container.Start().ShouldSucceed();

        master.PtsNumber.Should().BeGreaterThanOrEqualTo(0, "the fd received is a pty master (TIOCGPTN works on it)");
        master.Write("echo hi-$((1+1))\n");
        Note(master.WaitForOutput("hi-2"));
    }

    [RootFact]
    public void Pty_is_the_init_controlling_terminal_and_stdio_and_has_the_console_size()
    {
        Config.Process()["terminal"] = true;
        Config.Process()["consoleSize"] = new JsonObject { ["height"] = 33, ["width"] = 77 };
        Config.SetArgs("sh");
        using var receiver = NewReceiver();
        var container = CreateWithConsoleSocket(receiver);
        using var master = receiver.ReceiveMaster();
        container.Start().ShouldSucceed();

        master.Write("tty; stty size; echo via-dev-tty >/dev/tty && echo ctty-$((6*7))\n");

        var text = Note(master.WaitForOutput("ctty-42"));
        text.Should().Contain($"/dev/pts/{master.PtsNumber}", "`tty` names the slave of the master that was sent");
        text.Should().Contain("33 77", "`stty size` prints process.consoleSize (rows columns)");
        text.Should().Contain("via-dev-tty", "/dev/tty opens only in a process that has a controlling terminal");
        master.WindowSize.Should().Be((33, 77));
        var pid = container.State().Pid;
        foreach (var fd in new[] { 0, 1, 2 })
            HostProcess.FdTarget(pid, fd).Should().Be($"/dev/pts/{master.PtsNumber}", "the host sees the init's fd {0} on the pty slave", fd);
    }

    [RootFact]
    public void Output_of_the_init_reaches_the_master_and_its_exit_closes_the_slave()
    {
        Config.Process()["terminal"] = true;
        Config.SetShellScript("echo printed-before-exit; exit 0");
        using var receiver = NewReceiver();
        var container = CreateWithConsoleSocket(receiver);
        using var master = receiver.ReceiveMaster();

        container.Start().ShouldSucceed();

        master.WaitForSlaveClosed().Should().BeTrue("the init was the only holder of the slave and it exited");
        Note(master.Output).Should().Contain("printed-before-exit");
        container.WaitForStatus("stopped");
    }

    [RootFact]
    public void Exec_with_tty_sends_a_new_pty_master_for_the_exec_process()
    {
        // runc takes --console-socket only with --detach (it refuses it in the foreground).
        Config.SetArgs("sleep", "1000");
        var container = StartContainer();
        var pidFile = Path.Combine(Sandbox.Path, "exec.pid");
        using var receiver = NewReceiver();

        Runtime.InvokeWithOutputFiles(Sandbox.NewOutputFiles("exec"),
            "exec", "--tty", "--detach", "--pid-file", pidFile, "--console-socket", receiver.Path, container.Id, "sh").ShouldSucceed();

        using var master = receiver.ReceiveMaster();
        master.Write("tty; echo exec-tty-$((3*3))\n");
        Note(master.WaitForOutput("exec-tty-9")).Should().Contain($"/dev/pts/{master.PtsNumber}", "`tty` names the slave of the master that was sent");
        var pid = int.Parse(File.ReadAllText(pidFile));
        HostProcess.FdTarget(pid, 1).Should().Be($"/dev/pts/{master.PtsNumber}");
        master.Write("exit\n");
        master.WaitForSlaveClosed().Should().BeTrue("the exec'd shell exited and nothing else holds its terminal");
    }

    [RootFact]
    public void Detached_exec_of_a_terminal_process_file_gets_its_console_size()
    {
        // How containerd's shim execs: --process with terminal: true, --detach, --pid-file and --console-socket.
        Config.SetArgs("sleep", "1000");
        var container = StartContainer();
        var processFile = Path.Combine(Sandbox.Path, "process.json");
        File.WriteAllText(processFile, new JsonObject
        {
            ["terminal"] = true,
            ["consoleSize"] = new JsonObject { ["height"] = 40, ["width"] = 100 },
            ["user"] = new JsonObject { ["uid"] = 0, ["gid"] = 0 },
            ["args"] = ConfigEdits.Strings("sh"),
            ["env"] = ConfigEdits.Strings("PATH=/bin"),
            ["cwd"] = "/",
        }.ToJsonString());
        var pidFile = Path.Combine(Sandbox.Path, "exec.pid");
        using var receiver = NewReceiver();

        Runtime.InvokeWithOutputFiles(Sandbox.NewOutputFiles("exec"),
            "exec", "--process", processFile, "--detach", "--pid-file", pidFile, "--console-socket", receiver.Path, container.Id).ShouldSucceed();

        using var master = receiver.ReceiveMaster();
        var pid = int.Parse(File.ReadAllText(pidFile));
        HostProcess.FdTarget(pid, 0).Should().Be($"/dev/pts/{master.PtsNumber}", "the exec'd shell's stdin is the slave of the master sent");
        master.Write("stty size; echo size-$((2+3))\n");
        Note(master.WaitForOutput("size-5")).Should().Contain("40 100", "the process file's consoleSize applies");
    }

    [RootFact]
    public void Create_of_a_terminal_container_without_a_console_socket_fails_and_leaves_nothing()
    {
        Config.Process()["terminal"] = true;

        CreateFailsAndLeavesNothing("console");
    }

    [RootFact]
    public void Create_with_a_console_socket_but_no_terminal_fails()
    {
        Config.Process()["terminal"] = false;
        using var receiver = NewReceiver();
        var id = Sandbox.NewContainerId();
        Bundle.WriteConfig();

        Runtime.Invoke("create", "--bundle", Bundle.Path, "--console-socket", receiver.Path, id).ShouldFail("console");

        Runtime.State(id).ShouldFail("does not exist");
    }

    private ConsoleSocketReceiver NewReceiver() => new(Path.Combine(Sandbox.Path, $"console-{Guid.NewGuid():N}"[..20] + ".sock"));

    /// <summary>
    /// `create --console-socket` with pipes as stdio: a terminal container's stdio is the pty, so the pipes reach EOF
    /// when create returns (a runtime leaking them into the init would hang here until the timeout).
    /// </summary>
    private Container CreateWithConsoleSocket(ConsoleSocketReceiver receiver)
    {
        var id = Sandbox.NewContainerId();
        Bundle.WriteConfig();
        Runtime.Invoke("create", "--bundle", Bundle.Path, "--console-socket", receiver.Path, id).ShouldSucceed();
        return new Container(Runtime, id, Sandbox.NewOutputFiles(id));
    }

    private string Note(string terminalOutput)
    {
        Runtime.Note($"(terminal output)\n{terminalOutput}");
        return terminalOutput;
    }
}
