using OciRuntime.Kernel;

namespace OciRuntime.Terminal;

/// <summary>
/// Catches the signals a foreground `run`/`exec` passes on (SIGHUP, INT, QUIT, USR1, USR2, TERM, WINCH) from before the
/// container exists, so none kills the runtime or is lost while it starts; they are held until <see cref="Target"/>.
/// Ignored ones too (under nohup, or a shell's background job): runc relays those as well.
/// </summary>
internal sealed class SignalRelay : IDisposable
{
    private static readonly int[] ForwardedSignals =
        [Signals.SIGHUP, Signals.SIGINT, Signals.SIGQUIT, Signals.SIGUSR1, Signals.SIGUSR2, Signals.SIGTERM, Signals.SIGWINCH];

    public SignalRelay() => SignalForwarding.Catch(ForwardedSignals);

    /// <summary>From now on signals go to pid; those caught before are sent first, in order.</summary>
    public void Target(int pid) => SignalForwarding.Target(pid);

    public void Dispose() => SignalForwarding.Release(ForwardedSignals);
}
