using OciRuntime.Kernel;
using OciRuntime.Protocol;

namespace OciRuntime.Terminal;

/// <summary>
/// A foreground `run` or `exec`: from before the container process exists, signals are caught for it and a socket is
/// ready for its pty master; then we adopt the process, relay its terminal and signals, and wait for it.
/// </summary>
public sealed class ForegroundSession : IDisposable
{
    private const int PR_SET_CHILD_SUBREAPER = 36;

    private readonly SignalRelay signals;
    private readonly SyncSocket ownConsole;
    private SyncSocket? processConsole;
    private int receivedMaster = -1;

    public ForegroundSession()
    {
        // The process is re-parented to us when its bootstrap parent exits, so we can wait for it.
        Syscall.Check(Libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0), "prctl PR_SET_CHILD_SUBREAPER");
        signals = new SignalRelay();
        (ownConsole, processConsole) = SyncSocket.CreatePair();
    }

    /// <summary>
    /// runc's --no-subreaper: once the process is our child (its bootstrap was reaped), processes it orphans (in the
    /// host's PID namespace) go to the next subreaper up, not to us.
    /// </summary>
    public void StopAdoptingOrphans() =>
        Syscall.Check(Libc.prctl(PR_SET_CHILD_SUBREAPER, 0, 0, 0, 0), "prctl PR_SET_CHILD_SUBREAPER 0");

    /// <summary>The socket a terminal process sends its pty master to: given to the init, then closed here.</summary>
    internal int ProcessConsoleFd => processConsole?.Fd ?? -1;

    /// <summary>Closes our copy of the process's end once the init holds its own (or failed to start).</summary>
    internal void ReleaseProcessConsole()
    {
        processConsole?.Dispose();
        processConsole = null;
    }

    /// <summary>
    /// Takes the process's pty master as soon as the init has sent it: before `start` lets the process write, so that
    /// runc's -onlcr applies to all of its output.
    /// </summary>
    internal void ReceiveConsole() => receivedMaster = ReceiveMaster();

    /// <summary>Waits for the process, relaying signals (caught since before it existed) and, with a terminal, its pty.</summary>
    /// <returns>the shell-style exit code</returns>
    public int Wait(int pid, bool terminal)
    {
        using var proxy = terminal ? new ConsoleProxy(receivedMaster >= 0 ? receivedMaster : ReceiveMaster()) : null;
        signals.Target(pid);
        return ChildProcess.ExitCode(ChildProcess.Wait(pid)!.Value);
    }

    private int ReceiveMaster()
    {
        int master = NativeHelpers.ocirt_recv_fd(ownConsole.Fd);
        if (master < 0)
            throw RuntimeError.FromErrno("receive the pty master", -master);
        // runc's -onlcr: relayed to a file or a pipe, the output is the process's bytes ("\n", not "\r\n").
        NativeHelpers.ocirt_tty_clear_onlcr(master);
        return master;
    }

    public void Dispose()
    {
        ReleaseProcessConsole();
        ownConsole.Dispose();
        signals.Dispose();
    }
}
