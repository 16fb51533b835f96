using System.Runtime.InteropServices;
using OciRuntime.Kernel;

namespace OciRuntime.Launch;

/// <summary>
/// runc's --pidfd-socket: a unix socket that receives a pidfd of the container's init (create, run) or of the exec'd
/// process (SCM_RIGHTS), with runc's payload naming the kind of init, "standard" or "setns".
/// </summary>
internal sealed class PidfdSocket : IDisposable
{
    private readonly string path;
    private int fd;

    private PidfdSocket(string path, int fd)
    {
        this.path = path;
        this.fd = fd;
    }

    /// <summary>Connects to the socket before anything is started, so a bad path fails with nothing left behind; null for no path.</summary>
    public static PidfdSocket? Connect(string? path)
    {
        if (path is null)
            return null;
        int fd = NativeHelpers.ocirt_connect_unix(path);
        return fd >= 0 ? new PidfdSocket(path, fd) : throw RuntimeError.FromErrno($"--pidfd-socket: connect to \"{path}\"", -fd);
    }

    /// <summary>Sends a pidfd of <paramref name="pid"/>, opened while the process waits for its program, so it cannot have exited yet.</summary>
    public void SendPidfdOf(int pid, bool exec)
    {
        int pidfd = (int)Libc.syscall(Libc.SYS_pidfd_open, pid, 0, 0, 0, 0);
        if (pidfd < 0)
            throw RuntimeError.FromErrno($"--pidfd-socket: pidfd_open of pid {pid}", Marshal.GetLastPInvokeError());
        try
        {
            NativeHelpers.SendWithFd(fd, pidfd, exec ? "setns"u8 : "standard"u8, $"--pidfd-socket: send the pidfd to \"{path}\"");
        }
        finally
        {
            Libc.close(pidfd);
        }
    }

    public void Dispose()
    {
        if (fd >= 0)
            Libc.close(fd);
        fd = -1;
    }
}
