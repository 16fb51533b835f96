using OciRuntime.Kernel;

namespace OciRuntime.Terminal;

/// <summary>
/// A foreground `run` with a terminal: our stdin (raw when it is a tty) goes to the pty master, the master's output to our
/// stdout, and window size changes follow ours (on SIGWINCH). Restores the terminal and closes the master when disposed.
/// </summary>
internal sealed class ConsoleProxy : IDisposable
{
    private readonly OwnedFd master;
    private readonly byte[]? savedTermios;

    public ConsoleProxy(OwnedFd master)
    {
        this.master = master;
        var stdin = StandardStreams.Input;
        savedTermios = Tty.IsTerminal(stdin) ? Tty.MakeRaw(stdin) : null;
        Tty.CopyWindowSize(stdin, master);
        // As runc: SIGWINCH resizes the pty (whose foreground group the kernel then signals) and is not relayed.
        SignalForwarding.ResizeOnWinch(stdin, master);
        new Thread(() => Pump(stdin, master)) { IsBackground = true, Name = "stdin→pty" }.Start();
        Output = new Thread(() => Pump(master, StandardStreams.Output)) { IsBackground = true, Name = "pty→stdout" };
        Output.Start();
    }

    /// <summary>Ends when the container side of the pty is closed (read gives EIO).</summary>
    public Thread Output { get; }

    /// <summary>Copies until end of file or an error on either side.</summary>
    private static void Pump(OwnedFd from, OwnedFd to)
    {
        Span<byte> buffer = stackalloc byte[8192];
        while (from.TryRead(buffer, out int n) == 0 && n > 0 && to.TryWriteAll(buffer[..n]) == 0)
        {
        }
    }

    public void Dispose()
    {
        SignalForwarding.StopResizing();
        // Let the last output reach stdout before the terminal is restored.
        Output.Join(TimeSpan.FromSeconds(1));
        if (savedTermios is not null)
            Tty.Restore(StandardStreams.Input, savedTermios);
        master.Dispose();
    }
}
