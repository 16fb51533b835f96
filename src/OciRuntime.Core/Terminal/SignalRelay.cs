using System.Runtime.InteropServices;
using OciRuntime.Kernel;

namespace OciRuntime.Terminal;

/// <summary>
/// Catches the signals a foreground `run`/`exec` passes on (SIGHUP, INT, QUIT, USR1, USR2, TERM, WINCH) from before the
/// container exists, so none kills the runtime or is lost while it starts; they are held until <see cref="Target"/>.
/// </summary>
internal sealed class SignalRelay : IDisposable
{
    private static readonly int[] ForwardedSignals =
        [Signals.SIGHUP, Signals.SIGINT, Signals.SIGQUIT, Signals.SIGUSR1, Signals.SIGUSR2, Signals.SIGTERM, Signals.SIGWINCH];

    private readonly object gate = new();
    private readonly List<int> held = new();
    private readonly List<PosixSignalRegistration> registrations;
    private int target;

    public SignalRelay()
    {
        // Started under nohup (or as a background job) we inherit some of them ignored; runc relays those too.
        foreach (int signal in ForwardedSignals)
            Signals.CatchIfIgnored(signal);
        registrations = ForwardedSignals.Select(signal => PosixSignalRegistration.Create((PosixSignal)signal, context =>
        {
            context.Cancel = true;
            Relay(signal);
        })).ToList();
    }

    /// <summary>From now on signals go to pid; those caught before are sent first, in order.</summary>
    public void Target(int pid)
    {
        lock (gate)
        {
            target = pid;
            held.ForEach(signal => Syscall.TryKill(pid, signal));
            held.Clear();
        }
    }

    private void Relay(int signal)
    {
        lock (gate)
        {
            // A process that is gone gets nothing: the wait for it ends on its own.
            if (target > 0)
                Syscall.TryKill(target, signal);
            else
                held.Add(signal);
        }
    }

    public void Dispose() => registrations.ForEach(r => r.Dispose());
}
