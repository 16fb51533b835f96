using OciRuntime.Kernel;

namespace OciRuntime.Launch;

/// <summary>
/// runc's --pidfd-socket: a unix socket that receives a pidfd of the container's init (create, run) or of the exec'd
/// process (SCM_RIGHTS), with runc's payload naming the kind of init, "standard" or "setns".
/// </summary>
internal sealed class PidfdSocket : IDisposable
{
    private readonly OwnedFd socket;

    private PidfdSocket(OwnedFd socket) => this.socket = socket;

    /// <summary>Connects to the socket before anything is started, so a bad path fails with nothing left behind; null for no path.</summary>
    public static PidfdSocket? Connect(string? path)
    {
        if (path is null)
            return null;
        try
        {
            return new PidfdSocket(Syscall.ConnectUnix(path));
        }
        catch (RuntimeError e)
        {
            throw e.WithContext("--pidfd-socket");
        }
    }

    /// <summary>Sends a pidfd of <paramref name="pid"/>, opened while the process waits for its program, so it cannot have exited yet.</summary>
    public void SendPidfdOf(int pid, bool exec)
    {
        try
        {
            using var pidfd = Syscall.OpenPidfd(pid);
            socket.SendWithFd(pidfd, exec ? "setns"u8 : "standard"u8);
        }
        catch (RuntimeError e)
        {
            throw e.WithContext("--pidfd-socket");
        }
    }

    public void Dispose() => socket.Dispose();
}
