using OciRuntime.Kernel;

namespace OciRuntime.Launch;

/// <summary>The socket a terminal process sends its pty master to, handed to the init as an inheritable fd.</summary>
internal static class ConsoleSocket
{
    /// <summary>
    /// runc's rules: a terminal needs --console-socket (or, in the foreground, our own socket, ownFd); a console socket
    /// without a terminal is a mistake. Returns the inheritable socket (of our own, a copy of ownFd), or null when there
    /// is no terminal; the caller closes it once the init has its copy.
    /// </summary>
    public static OwnedFd? Connect(bool terminal, string? path, int ownFd)
    {
        if (!terminal)
            return path is null ? null : throw new RuntimeError("--console-socket is set but the process has no terminal (process.terminal is false)");
        if (path is null && ownFd < 0)
            throw new RuntimeError("the process has a terminal (process.terminal is true): give --console-socket to receive the pty master");
        OwnedFd socket;
        try
        {
            socket = path is null ? OwnedFd.Duplicate(ownFd, "console socket") : Syscall.ConnectUnix(path);
        }
        catch (RuntimeError e)
        {
            throw e.WithContext("--console-socket");
        }
        try
        {
            socket.SetInheritable();
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
