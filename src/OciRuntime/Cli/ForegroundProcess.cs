using System.Runtime.InteropServices;
using OciRuntime.Linux;
using OciRuntime.Native;

namespace OciRuntime.Cli;

/// <summary>What `run` and `exec` do in the foreground: adopt the container process, relay its terminal and signals, wait.</summary>
public static class ForegroundProcess
{
    private const int PR_SET_CHILD_SUBREAPER = 36;

    /// <summary>Passed on to the container process: SIGHUP, INT, QUIT, USR1, USR2, TERM, WINCH.</summary>
    private static readonly int[] ForwardedSignals = [1, 2, 3, 10, 12, 15, 28];

    /// <summary>The process is re-parented to us when its bootstrap parent exits, so we can wait for it.</summary>
    public static void AdoptOrphans() =>
        SyscallException.ThrowIfFailed(Libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0), "prctl PR_SET_CHILD_SUBREAPER");

    /// <summary>Waits for the process, relaying signals and (with a terminal) its pty; returns the shell-style exit code.</summary>
    /// <param name="console">our end of the console socket when the process has a terminal, else null</param>
    public static int Wait(int pid, SyncSocket? console)
    {
        using var proxy = console is null ? null : new ConsoleProxy(ReceiveMaster(console));
        var registrations = ForwardedSignals.Select(signal => PosixSignalRegistration.Create((PosixSignal)signal, context =>
        {
            context.Cancel = true;
            Libc.kill(pid, signal);
        })).ToList();
        try
        {
            return ChildProcess.ExitCode(ChildProcess.Wait(pid)!.Value);
        }
        finally
        {
            registrations.ForEach(r => r.Dispose());
        }
    }

    private static int ReceiveMaster(SyncSocket socket)
    {
        int master = Helpers.ocirt_recv_fd(socket.Fd);
        return master >= 0 ? master : throw new SyscallException("receive the pty master", -master);
    }
}
