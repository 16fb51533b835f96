using System.Runtime.InteropServices;
using OciRuntime.Kernel;

namespace OciRuntime.Terminal;

/// <summary>
/// A foreground `run` with a terminal: our stdin (raw when it is a tty) goes to the pty master, the master's output to our
/// stdout, and window size changes follow ours. Restores the terminal when disposed.
/// </summary>
internal sealed unsafe class ConsoleProxy : IDisposable
{
    private readonly int master;
    private readonly byte[] savedTermios = new byte[128];
    private readonly bool restoreTermios;
    private readonly PosixSignalRegistration resize;

    public ConsoleProxy(int master)
    {
        this.master = master;
        fixed (byte* saved = savedTermios)
            restoreTermios = Libc.isatty(0) == 1 && NativeHelpers.ocirt_tty_make_raw(0, saved, savedTermios.Length) == 0;
        CopyWindowSize();
        resize = PosixSignalRegistration.Create((PosixSignal)Signals.SIGWINCH, context =>
        {
            context.Cancel = true;
            CopyWindowSize();
        });
        new Thread(() => Pump(0, master)) { IsBackground = true, Name = "stdin→pty" }.Start();
        Output = new Thread(() => Pump(master, 1)) { IsBackground = true, Name = "pty→stdout" };
        Output.Start();
    }

    /// <summary>Ends when the container side of the pty is closed (read gives EIO).</summary>
    public Thread Output { get; }

    private void CopyWindowSize()
    {
        Libc.WinSize size;
        if (Libc.syscall(Libc.SYS_ioctl, 0, Libc.TIOCGWINSZ, (long)&size, 0, 0) == 0)
            Libc.syscall(Libc.SYS_ioctl, master, Libc.TIOCSWINSZ, (long)&size, 0, 0);
    }

    private static void Pump(int from, int to)
    {
        byte* buffer = stackalloc byte[8192];
        while (true)
        {
            nint n = Libc.read(from, buffer, 8192);
            if (n < 0 && Marshal.GetLastPInvokeError() == Errno.EINTR)
                continue;
            if (n <= 0)
                return;
            for (nint done = 0; done < n;)
            {
                nint written = Libc.write(to, buffer + done, n - done);
                if (written < 0 && Marshal.GetLastPInvokeError() == Errno.EINTR)
                    continue;
                if (written <= 0)
                    return;
                done += written;
            }
        }
    }

    public void Dispose()
    {
        resize.Dispose();
        // Let the last output reach stdout before the terminal is restored.
        Output.Join(TimeSpan.FromSeconds(1));
        if (restoreTermios)
        {
            fixed (byte* saved = savedTermios)
                NativeHelpers.ocirt_tty_restore(0, saved);
        }
        Libc.close(master);
    }
}
