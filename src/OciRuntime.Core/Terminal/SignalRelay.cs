using System.Runtime.InteropServices;
using OciRuntime.Kernel;

namespace OciRuntime.Terminal;

/// <summary>
/// Catches the signals a foreground `run`/`exec` passes on (SIGHUP, INT, QUIT, USR1, USR2, TERM, WINCH) from before the
/// container exists, so none kills the runtime or is lost while it starts; they are held until <see cref="Target"/>.
/// The handler (c/signal_relay.c) sends them itself: no thread waits for them, and .NET's signal handling is not started.
/// </summary>
internal sealed unsafe class SignalRelay : IDisposable
{
    private static readonly int[] ForwardedSignals =
        [Signals.SIGHUP, Signals.SIGINT, Signals.SIGQUIT, Signals.SIGUSR1, Signals.SIGUSR2, Signals.SIGTERM, Signals.SIGWINCH];

    public SignalRelay()
    {
        // Ignored ones too (under nohup, or a shell's background job): runc relays those as well.
        fixed (int* signals = ForwardedSignals)
        {
            if (NativeHelpers.ocirt_relay_catch(signals, ForwardedSignals.Length) < 0)
                throw RuntimeError.FromErrno("sigaction for the signals run relays", Marshal.GetLastPInvokeError());
        }
    }

    /// <summary>From now on signals go to pid; those caught before are sent first, in order.</summary>
    public void Target(int pid) => NativeHelpers.ocirt_relay_target(pid);

    /// <summary>With a terminal, as runc: SIGWINCH gives the pty <paramref name="master"/> the size of <paramref name="terminal"/> instead of being relayed.</summary>
    public static void ResizeOnWinch(OwnedFd terminal, OwnedFd master) => NativeHelpers.ocirt_relay_resize(terminal.Number, master.Number);

    /// <summary>SIGWINCH is relayed again (the pty is about to close).</summary>
    public static void StopResizing() => NativeHelpers.ocirt_relay_resize(-1, -1);

    public void Dispose()
    {
        fixed (int* signals = ForwardedSignals)
            NativeHelpers.ocirt_relay_release(signals, ForwardedSignals.Length);
    }
}
