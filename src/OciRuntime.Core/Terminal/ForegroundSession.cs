using OciRuntime.Kernel;

namespace OciRuntime.Terminal;

/// <summary>
/// A foreground `run` or `exec`: from before the container process exists, signals are caught for it and a socket is
/// ready for its pty master; then we adopt the process, relay its terminal and signals, and wait for it.
/// </summary>
public sealed class ForegroundSession : IDisposable
{
    private readonly SignalRelay signals;
    private readonly OwnedFd ownConsole;
    private OwnedFd? processConsole;
    private OwnedFd? receivedMaster;

    public ForegroundSession()
    {
        // The process is re-parented to us when its bootstrap parent exits, so we can wait for it.
        Syscall.SetChildSubreaper(true);
        signals = new SignalRelay();
        (ownConsole, processConsole) = Syscall.SocketPair(UnixSocketType.Stream, "console socket");
    }

    /// <summary>
    /// runc's --no-subreaper: once the process is our child (its bootstrap was reaped), processes it orphans (in the
    /// host's PID namespace) go to the next subreaper up, not to us.
    /// </summary>
    public void StopAdoptingOrphans() => Syscall.SetChildSubreaper(false);

    /// <summary>The socket a terminal process sends its pty master to: given to the init, then closed here.</summary>
    internal int ProcessConsoleFd => processConsole?.Number ?? -1;

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
        using var proxy = terminal ? new ConsoleProxy(receivedMaster ?? ReceiveMaster()) : null;
        signals.Target(pid);
        return ChildProcess.ExitCode(ChildProcess.Wait(pid)!.Value);
    }

    private OwnedFd ReceiveMaster()
    {
        var master = ownConsole.ReceiveFd("the pty master");
        // runc's -onlcr: relayed to a file or a pipe, the output is the process's bytes ("\n", not "\r\n").
        Tty.ClearOnlcr(master);
        return master;
    }

    public void Dispose()
    {
        // A master no proxy took (the process was not waited for).
        receivedMaster?.Dispose();
        ReleaseProcessConsole();
        ownConsole.Dispose();
        signals.Dispose();
    }
}
