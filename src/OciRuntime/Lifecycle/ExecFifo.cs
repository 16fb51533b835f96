using System.Runtime.InteropServices;
using OciRuntime.Native;

namespace OciRuntime.Lifecycle;

/// <summary>The `start` side of the exec FIFO: the init blocks opening it for writing until we read its one byte.</summary>
public static unsafe class ExecFifo
{
    public static void Release(string path, Func<bool> initAlive)
    {
        // Non-blocking open: a dead init would otherwise leave `start` waiting forever.
        int fd = SyscallException.ThrowIfFailed(Libc.open(path, Libc.O_RDONLY | Libc.O_NONBLOCK | Libc.O_CLOEXEC, 0), $"open \"{path}\"");
        try
        {
            var poll = new Libc.PollFd { Fd = fd, Events = Libc.POLLIN };
            while (true)
            {
                byte b;
                nint n = Libc.read(fd, &b, 1);
                if (n == 1)
                    break;
                int errno = Marshal.GetLastPInvokeError();
                if (n < 0 && errno != Libc.EAGAIN && errno != Libc.EINTR)
                    throw new SyscallException($"read \"{path}\"", errno);
                if (!initAlive())
                    throw new RuntimeError("container init exited before it could be started");
                // n == 0: no writer has the FIFO open yet; EAGAIN: open but not written yet.
                Libc.poll(&poll, 1, 10);
            }
        }
        finally
        {
            Libc.close(fd);
        }
        File.Delete(path);
    }
}
