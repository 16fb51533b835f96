using System.Text;
using static OciRuntime.Tests.Conformance.Infrastructure.TerminalNative;

namespace OciRuntime.Tests.Conformance.Infrastructure;

/// <summary>
/// The master side of a pseudo-terminal, as a terminal emulator (or containerd's shim) holds it: what is written
/// here is typed into the terminal, what the programs on the slave side print is read here.
/// </summary>
public sealed unsafe class PtyMaster : IDisposable
{
    private readonly StringBuilder received = new();
    private int fd;

    public PtyMaster(int fd) => this.fd = fd;

    public int Fd => fd >= 0 ? fd : throw new ObjectDisposedException(nameof(PtyMaster));

    /// <summary>Everything read so far, with the terminal's "\r\n" turned back into "\n".</summary>
    public string Output => received.ToString().Replace("\r\n", "\n");

    /// <summary>Set once reading found every slave side closed (the kernel's EIO on a master).</summary>
    public bool SlaveClosed { get; private set; }

    /// <summary>The N of /dev/pts/N (TIOCGPTN); throws when the fd is no pty master.</summary>
    public int PtsNumber
    {
        get
        {
            uint number;
            if (Ioctl(Fd, TIOCGPTN, &number) != 0)
                throw Failure("ioctl(TIOCGPTN) on the supposed pty master");
            return (int)number;
        }
    }

    /// <summary>The terminal's size (TIOCGWINSZ), as `stty size` prints it in the container.</summary>
    public (int Rows, int Columns) WindowSize
    {
        get
        {
            WinSize size;
            if (Ioctl(Fd, TIOCGWINSZ, &size) != 0)
                throw Failure("ioctl(TIOCGWINSZ)");
            return (size.Rows, size.Cols);
        }
    }

    /// <summary>Resizes the terminal; the kernel sends SIGWINCH to its foreground process group.</summary>
    public void Resize(int rows, int columns)
    {
        var size = new WinSize { Rows = (ushort)rows, Cols = (ushort)columns };
        if (Ioctl(Fd, TIOCSWINSZ, &size) != 0)
            throw Failure("ioctl(TIOCSWINSZ)");
    }

    /// <summary>Types <paramref name="text"/> into the terminal.</summary>
    public void Write(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        fixed (byte* start = bytes)
        {
            for (var done = 0; done < bytes.Length;)
            {
                var written = TerminalNative.Write(Fd, start + done, (nuint)(bytes.Length - done));
                if (written < 0 && Errno == EINTR)
                    continue;
                if (written <= 0)
                    throw Failure("write to the pty master");
                done += (int)written;
            }
        }
    }

    /// <summary>The length of <see cref="Output"/> now: pass it as <c>since</c> to wait for output that comes after this point.</summary>
    public int Mark() => Output.Length;

    /// <summary>Reads until <see cref="Output"/> from <paramref name="since"/> on contains <paramref name="expected"/>; returns <see cref="Output"/>.</summary>
    public string WaitForOutput(string expected, int since = 0, TimeSpan? timeout = null)
    {
        var limit = timeout ?? Eventually.DefaultTimeout;
        var deadline = DateTime.UtcNow + limit;
        while (Output.IndexOf(expected, Math.Min(since, Output.Length), StringComparison.Ordinal) < 0)
        {
            if (SlaveClosed || !ReadSome(deadline))
                throw new TimeoutException(
                    $"The terminal did not print \"{expected}\" within {limit.TotalSeconds} s" +
                    $"{(SlaveClosed ? " (every slave side was closed)" : "")}; it printed:\n{Output}");
        }
        return Output;
    }

    /// <summary>Reads until every slave side is closed (the programs on the terminal exited); false on timeout.</summary>
    public bool WaitForSlaveClosed(TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? Eventually.DefaultTimeout);
        while (!SlaveClosed)
        {
            if (!ReadSome(deadline))
                return false;
        }
        return true;
    }

    /// <summary>Reads what is available, waiting for it until <paramref name="deadline"/>; false when the deadline passed.</summary>
    private bool ReadSome(DateTime deadline)
    {
        while (true)
        {
            var remaining = (int)Math.Max(0, (deadline - DateTime.UtcNow).TotalMilliseconds);
            var poll = new PollFd { Fd = Fd, Events = POLLIN };
            var ready = Poll(&poll, 1, Math.Min(remaining, 100));
            if (ready < 0 && Errno != EINTR)
                throw Failure("poll on the pty master");
            if (ready > 0)
                break;
            if (remaining == 0)
                return false;
        }

        var buffer = stackalloc byte[4096];
        var count = Read(Fd, buffer, 4096);
        if (count > 0)
            received.Append(Encoding.UTF8.GetString(buffer, (int)count));
        else if (count == 0 || Errno == EIO)
            SlaveClosed = true;
        else if (Errno != EINTR)
            throw Failure("read from the pty master");
        return true;
    }

    public void Dispose()
    {
        if (fd >= 0)
            Close(fd);
        fd = -1;
    }
}
