namespace OciRuntime.Tests.Conformance.Lifecycle;

/// <summary>
/// runc's `--pidfd-socket` (create, run, exec; runc 1.2+, so runc 1.1.5 cannot be the control): the socket receives,
/// with SCM_RIGHTS, a pidfd of the container's init (payload "standard") or of the exec'd process ("setns"), as
/// libcontainer's setupPidfd sends it. The kernel's fdinfo of a pidfd names the process it refers to.
/// </summary>
public sealed class PidfdSocketTests(ITestOutputHelper output) : ConformanceTest(output)
{
    [RootTheory]
    [InlineData("create")]
    [InlineData("run", "--detach")]
    public void Create_and_run_send_a_pidfd_of_the_containers_init_to_the_pidfd_socket(params string[] command)
    {
        Config.SetArgs("sleep", "1000");
        Bundle.WriteConfig();
        var id = Sandbox.NewContainerId();
        using var receiver = new ConsoleSocketReceiver(Path.Combine(Sandbox.Path, "pidfd.sock"));

        Runtime.InvokeWithOutputFiles(Sandbox.NewOutputFiles(id), [.. command, "--bundle", Bundle.Path, "--pidfd-socket", receiver.Path, id]).ShouldSucceed();
        var initPid = new Container(Runtime, id, Sandbox.NewOutputFiles(id)).State().Pid;

        ReceivedPidfd(receiver).Should().Be((initPid, "standard"));
        Runtime.Delete(id, force: true).ShouldSucceed();
    }

    [RootFact]
    public void Exec_sends_a_pidfd_of_the_execd_process_to_the_pidfd_socket()
    {
        Config.SetArgs("sleep", "1000");
        var container = StartContainer();
        using var receiver = new ConsoleSocketReceiver(Path.Combine(Sandbox.Path, "pidfd.sock"));
        var pidFile = Path.Combine(Sandbox.Path, "exec.pid");

        Runtime.InvokeWithOutputFiles(Sandbox.NewOutputFiles("exec"), "exec", "--detach", "--pid-file", pidFile, "--pidfd-socket", receiver.Path,
            container.Id, "sleep", "1000").ShouldSucceed();

        ReceivedPidfd(receiver).Should().Be((int.Parse(File.ReadAllText(pidFile)), "setns"));
        container.Delete(force: true).ShouldSucceed();
    }

    [RootFact]
    public void Create_with_a_pidfd_socket_nobody_listens_on_is_refused_naming_the_flag_and_leaves_nothing()
    {
        Config.SetArgs("true");
        var missing = Path.Combine(Sandbox.Path, "nobody-listens.sock");
        CreateFailsAndLeavesNothing(extraArguments: ["--pidfd-socket", missing]).Stderr.Should().Contain("--pidfd-socket").And.Contain(missing);
    }

    /// <summary>The pid the received fd's fdinfo names (a pidfd's "Pid:" line; no such line for any other fd) and the message's text.</summary>
    private static (int Pid, string Payload) ReceivedPidfd(ConsoleSocketReceiver receiver)
    {
        var (fd, payload) = receiver.ReceiveFd();
        try
        {
            var pidLine = File.ReadAllLines($"/proc/self/fdinfo/{fd}").Should().ContainSingle(line => line.StartsWith("Pid:")).Subject;
            return (int.Parse(pidLine["Pid:".Length..].Trim()), payload);
        }
        finally
        {
            TerminalNative.Close(fd);
        }
    }
}
