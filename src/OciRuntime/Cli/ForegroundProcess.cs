using OciRuntime.Linux;
using OciRuntime.Native;

namespace OciRuntime.Cli;

/// <summary>What `run` and `exec` do in the foreground: adopt the container process, relay its terminal and signals, wait.</summary>
public static class ForegroundProcess
{
    private const int PR_SET_CHILD_SUBREAPER = 36;

    /// <summary>The process is re-parented to us when its bootstrap parent exits, so we can wait for it.</summary>
    public static void AdoptOrphans() =>
        SyscallException.ThrowIfFailed(Libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0), "prctl PR_SET_CHILD_SUBREAPER");

    /// <summary>Waits for the process, relaying signals (caught since before it existed) and, with a terminal, its pty.</summary>
    /// <param name="console">our end of the console socket when the process has a terminal, else null</param>
    /// <returns>the shell-style exit code</returns>
    public static int Wait(int pid, SignalRelay signals, SyncSocket? console)
    {
        using var proxy = console is null ? null : new ConsoleProxy(ReceiveMaster(console));
        signals.Target(pid);
        return ChildProcess.ExitCode(ChildProcess.Wait(pid)!.Value);
    }

    private static int ReceiveMaster(SyncSocket socket)
    {
        int master = Helpers.ocirt_recv_fd(socket.Fd);
        return master >= 0 ? master : throw new SyscallException("receive the pty master", -master);
    }
}
