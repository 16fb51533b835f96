using System.Runtime.InteropServices;
using OciRuntime.Kernel;

namespace OciRuntime.Lifecycle;

/// <summary>The exec FIFO: the init blocks opening it for writing until `start` reads its one byte.</summary>
internal static unsafe class ExecFifo
{
    /// <summary>
    /// Makes the FIFO, owned by the container's root (which may be an unprivileged host user in a user namespace),
    /// and an inheritable O_PATH fd for the init, which cannot reach our state dir by path.
    /// </summary>
    public static int Create(string path, uint rootUid, uint rootGid)
    {
        Syscall.Check(Libc.mkfifo(path, 0b110_010_010), $"mkfifo \"{path}\"");
        // rw--w--w- whatever the umask: an init whose root is not the owner (rootless, subordinate ids) must write it.
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite);
        Syscall.Check(Libc.fchownat(Libc.AT_FDCWD, path, rootUid, rootGid, 0), $"chown \"{path}\"");
        return Syscall.Check(Libc.open(path, Libc.O_PATH, 0), $"open \"{path}\"");
    }

    /// <summary>
    /// Opens the FIFO, which lets the init go on; returns once the init has written its byte (startContainer hooks done)
    /// and then closed its end by execve (the user's program runs), or fails if the init exits before the byte.
    /// </summary>
    public static void Release(string path, Func<bool> initAlive)
    {
        // Non-blocking open: a dead init would otherwise leave `start` waiting forever.
        int fd = Syscall.Check(Libc.open(path, Libc.O_RDONLY | Libc.O_NONBLOCK | Libc.O_CLOEXEC, 0), $"open \"{path}\"");
        try
        {
            // Gone before the init can pass it: a `start` killed from here on leaves a running or a stopped container
            // (the init's write fails once no reader is left), never one that looks created while its program runs.
            File.Delete(path);
            var poll = new Libc.PollFd { Fd = fd, Events = Libc.POLLIN };
            bool confirmed = false;
            while (true)
            {
                byte b;
                nint n = Libc.read(fd, &b, 1);
                if (n == 1)
                {
                    confirmed = true;
                    continue;
                }
                int errno = Marshal.GetLastPInvokeError();
                if (n < 0 && errno != Errno.EAGAIN && errno != Errno.EINTR)
                    throw RuntimeError.FromErrno($"read \"{path}\"", errno);
                // n == 0: the writer is gone (executed) once confirmed, else not there yet; EAGAIN: it is still open.
                if (n == 0 && confirmed)
                    break;
                if (!initAlive())
                {
                    // The init may have written its byte, executed and exited since the read above.
                    if (confirmed || Libc.read(fd, &b, 1) == 1)
                        break;
                    throw new RuntimeError("container init exited before it could be started");
                }
                Libc.poll(&poll, 1, 10);
            }
        }
        finally
        {
            Libc.close(fd);
        }
    }
}
