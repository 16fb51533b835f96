using static OciRuntime.Tests.Conformance.Infrastructure.TerminalNative;

namespace OciRuntime.Tests.Conformance.Infrastructure;

/// <summary>
/// A fresh pseudo-terminal standing in for the user's terminal: the test holds the master (the "screen and
/// keyboard") and a command started with <see cref="RuntimeCli.StartOnTerminal"/> gets the slave as its controlling
/// terminal and stdio. The test keeps a slave fd too, to read the terminal's modes as `stty -a` would.
/// </summary>
public sealed unsafe class Pty : IDisposable
{
    private int slaveFd;

    private Pty(PtyMaster master, int slaveFd, string slavePath)
    {
        Master = master;
        this.slaveFd = slaveFd;
        SlavePath = slavePath;
    }

    public PtyMaster Master { get; }

    /// <summary>/dev/pts/N on the host.</summary>
    public string SlavePath { get; }

    /// <summary>Opens /dev/ptmx and its slave (both O_NOCTTY: the test process must not acquire a controlling terminal).</summary>
    public static Pty Open(int rows, int columns)
    {
        var masterFd = TerminalNative.Open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
        if (masterFd < 0)
            throw Failure("open /dev/ptmx");
        var master = new PtyMaster(masterFd);
        try
        {
            var unlock = 0;
            if (Ioctl(masterFd, TIOCSPTLCK, &unlock) != 0)
                throw Failure("unlockpt");
            var slavePath = $"/dev/pts/{master.PtsNumber}";
            var slaveFd = TerminalNative.Open(slavePath, O_RDWR | O_NOCTTY | O_CLOEXEC);
            if (slaveFd < 0)
                throw Failure($"open {slavePath}");
            master.Resize(rows, columns);
            return new Pty(master, slaveFd, slavePath);
        }
        catch
        {
            master.Dispose();
            throw;
        }
    }

    /// <summary>c_lflag of the terminal's termios.</summary>
    public uint LocalModes
    {
        get
        {
            var termios = stackalloc byte[TermiosSize];
            if (TcGetAttr(slaveFd, termios) != 0)
                throw Failure($"tcgetattr {SlavePath}");
            return *(uint*)(termios + LflagOffset);
        }
    }

    /// <summary>Neither line editing nor echo: what `stty raw -echo` (cfmakeraw) leaves.</summary>
    public bool IsRaw => (LocalModes & (ICANON | ECHO)) == 0;

    public void Dispose()
    {
        Master.Dispose();
        if (slaveFd >= 0)
            Close(slaveFd);
        slaveFd = -1;
    }
}
