using OciRuntime.Kernel;

namespace OciRuntime.Launch;

/// <summary>The socket a terminal process sends its pty master to, handed to the init as an inheritable fd.</summary>
internal static class ConsoleSocket
{
    /// <summary>
    /// runc's rules: a terminal needs --console-socket (or, in the foreground, our own socket, ownFd); a console socket
    /// without a terminal is a mistake. Returns the inheritable fd, or -1 when there is no terminal.
    /// </summary>
    public static int Open(bool terminal, string? path, int ownFd)
    {
        if (!terminal)
            return path is null ? -1 : throw new RuntimeError("--console-socket is set but the process has no terminal (process.terminal is false)");
        if (path is null && ownFd < 0)
            throw new RuntimeError("the process has a terminal (process.terminal is true): give --console-socket to receive the pty master");
        int fd = path is null ? ownFd : NativeHelpers.ocirt_connect_unix(path);
        if (fd < 0)
            throw RuntimeError.FromErrno($"connect to console socket \"{path}\"", -fd);
        Syscall.Check(Libc.fcntl(fd, Libc.F_SETFD, 0), "fcntl console socket");
        return fd;
    }
}
