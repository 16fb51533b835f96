using OciRuntime.Native;

namespace OciRuntime.Lifecycle;

/// <summary>An exclusive flock on the container's state directory itself, so concurrent commands on one id take turns.</summary>
public sealed class ContainerLock : IDisposable
{
    private const int LOCK_EX = 2;
    private readonly int fd;

    private ContainerLock(int fd) => this.fd = fd;

    public static ContainerLock Acquire(string containerDir)
    {
        string path = containerDir;
        int fd = Libc.open(path, Libc.O_RDONLY | Libc.O_DIRECTORY | Libc.O_CLOEXEC, 0);
        if (fd < 0)
        {
            int errno = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
            // The directory vanished: another command deleted the container.
            if (errno == Libc.ENOENT)
                throw new RuntimeError($"container \"{Path.GetFileName(containerDir)}\" does not exist");
            throw new SyscallException($"open \"{path}\"", errno);
        }
        while (Libc.flock(fd, LOCK_EX) < 0)
        {
            int errno = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
            if (errno != Libc.EINTR)
            {
                Libc.close(fd);
                throw new SyscallException($"flock \"{path}\"", errno);
            }
        }
        return new ContainerLock(fd);
    }

    public void Dispose() => Libc.close(fd);
}
