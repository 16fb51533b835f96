using System.Runtime.InteropServices;

namespace OciRuntime.Kernel;

/// <summary>
/// The foreground relay's signal handler (c/signal_relay.c): it sends each signal it catches to the target itself, and
/// holds those that come before there is one. No thread waits for signals, and .NET's signal handling never starts.
/// </summary>
internal static unsafe class SignalForwarding
{
    /// <summary>Catches <paramref name="signals"/>, ignored ones too, holding them until <see cref="Target"/>.</summary>
    public static void Catch(ReadOnlySpan<int> signals)
    {
        fixed (int* numbers = signals)
        {
            if (NativeHelpers.ocirt_relay_catch(numbers, signals.Length) < 0)
                throw RuntimeError.FromErrno("sigaction for the signals to relay", Marshal.GetLastPInvokeError());
        }
    }

    /// <summary>From now on the signals go to <paramref name="pid"/>; those held are sent first, in order.</summary>
    public static void Target(int pid) => NativeHelpers.ocirt_relay_target(pid);

    /// <summary>SIGWINCH gives <paramref name="master"/> the window size of <paramref name="terminal"/> instead of being relayed.</summary>
    public static void ResizeOnWinch(OwnedFd terminal, OwnedFd master) => NativeHelpers.ocirt_relay_resize(terminal.Number, master.Number);

    /// <summary>SIGWINCH is relayed again.</summary>
    public static void StopResizing() => NativeHelpers.ocirt_relay_resize(-1, -1);

    /// <summary><paramref name="signals"/> get back the dispositions they had before <see cref="Catch"/>.</summary>
    public static void Release(ReadOnlySpan<int> signals)
    {
        fixed (int* numbers = signals)
            NativeHelpers.ocirt_relay_release(numbers, signals.Length);
    }
}
