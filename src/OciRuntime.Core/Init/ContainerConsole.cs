using OciRuntime.Config;
using OciRuntime.Kernel;


namespace OciRuntime.Init;

/// <summary>
/// process.terminal inside the container: a pty from the container's own devpts, its master sent to the console
/// socket (SCM_RIGHTS, as runc does for containerd and conmon), its slave the init's stdio, controlling tty and /dev/console.
/// </summary>
internal static unsafe class ContainerConsole
{
    /// <summary>Runs after pivot_root (or setns into the container), so /dev/ptmx is the container's newinstance devpts.</summary>
    /// <param name="asDevConsole">the init's terminal is also /dev/console; an exec'd process's is not</param>
    public static void Setup(IKernel kernel, int consoleSocket, ConsoleSize? size, bool asDevConsole)
    {
        int master = Syscall.Check(Libc.open("/dev/ptmx", Libc.O_RDWR | Libc.O_NOCTTY | Libc.O_CLOEXEC, 0), "open /dev/ptmx");
        int unlock = 0;
        uint number;
        Ioctl(master, Libc.TIOCSPTLCK, &unlock, "unlockpt");
        Ioctl(master, Libc.TIOCGPTN, &number, "ptsname");
        if (size is { Height: > 0, Width: > 0 })
        {
            var winsize = new Libc.WinSize { Rows = (ushort)size.Height, Cols = (ushort)size.Width };
            Ioctl(master, Libc.TIOCSWINSZ, &winsize, "set console size");
        }
        string slavePath = $"/dev/pts/{number}";
        if (asDevConsole)
        {
            var paths = new SecurePath(kernel);
            paths.CreateMountPoint("/", "/dev/console", isDirectory: false);
            new Mounter(kernel, paths).Mount(slavePath, "/dev/console", null, MountOptions.MS_BIND, null);
        }

        int sent = NativeHelpers.ocirt_send_fd(consoleSocket, master);
        Libc.close(master);
        Libc.close(consoleSocket);
        if (sent < 0)
            throw RuntimeError.FromErrno("send pty master to the console socket", -sent);

        int slave = Syscall.Check(Libc.open(slavePath, Libc.O_RDWR | Libc.O_NOCTTY, 0), $"open {slavePath}");
        for (int stdio = 0; stdio <= 2; stdio++)
            Syscall.Check(Libc.dup2(slave, stdio), $"dup2 {slavePath} to fd {stdio}");
        if (slave > 2)
            Libc.close(slave);
        Ioctl(0, Libc.TIOCSCTTY, null, "make the pty the controlling terminal");
    }

    private static void Ioctl(int fd, long request, void* argument, string what) =>
        Syscall.Check(Libc.syscall(Libc.SYS_ioctl, fd, request, (long)argument, 0, 0), what);
}
