using System.Runtime.InteropServices;
using OciRuntime.Kernel;

namespace OciRuntime.Lifecycle;

/// <summary>An exclusive flock on the container's state directory itself, so concurrent commands on one id take turns.</summary>
internal sealed class ContainerLock : IDisposable
{
    private const int LOCK_SH = 1, LOCK_EX = 2, LOCK_NB = 4;

    /// <summary>The directories this process holds locked: its own lock does not make a container look busy to it.</summary>
    private static readonly HashSet<string> HeldHere = [];

    private readonly int fd;
    private readonly string directory;

    private ContainerLock(int fd, string directory)
    {
        this.fd = fd;
        this.directory = directory;
        lock (HeldHere)
            HeldHere.Add(directory);
    }

    public static ContainerLock Acquire(string containerDir) =>
        TryAcquire(containerDir) ?? throw ContainerIds.DoesNotExist(Path.GetFileName(containerDir));

    /// <summary>Waits for the lock; null when the directory is gone, before or while waiting (its holder deleted the container).</summary>
    public static ContainerLock? TryAcquire(string containerDir)
    {
        int fd = OpenDirectory(containerDir);
        if (fd < 0)
            return null;
        while (Libc.flock(fd, LOCK_EX) < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            if (errno != Errno.EINTR)
            {
                Libc.close(fd);
                throw RuntimeError.FromErrno($"flock \"{containerDir}\"", errno);
            }
        }
        // The holder we waited for may have removed the directory (delete), or removed it and a create made a new one.
        if (!StillAtItsPath(fd, containerDir))
        {
            Libc.close(fd);
            return null;
        }
        return new ContainerLock(fd, containerDir);
    }

    /// <summary>
    /// True while another process holds the lock: a `create` at work, whose container is "creating"; once no one holds
    /// it, a container that create never finished is one whose create was killed.
    /// </summary>
    public static bool IsHeldElsewhere(string containerDir)
    {
        lock (HeldHere)
        {
            if (HeldHere.Contains(containerDir))
                return false;
        }
        int fd = OpenDirectory(containerDir);
        if (fd < 0)
            return false;
        try
        {
            // Shared and non-blocking: concurrent probes do not disturb each other, and the holder is never waited for.
            if (Libc.flock(fd, LOCK_SH | LOCK_NB) == 0)
                return false;
            int errno = Marshal.GetLastPInvokeError();
            return errno == Errno.EAGAIN ? true : throw RuntimeError.FromErrno($"flock \"{containerDir}\"", errno);
        }
        finally
        {
            Libc.close(fd);
        }
    }

    /// <summary>The directory's fd, or -1 when it does not exist.</summary>
    private static int OpenDirectory(string containerDir)
    {
        int fd = Libc.open(containerDir, Libc.O_RDONLY | Libc.O_DIRECTORY | Libc.O_CLOEXEC, 0);
        if (fd >= 0)
            return fd;
        int errno = Marshal.GetLastPInvokeError();
        return errno == Errno.ENOENT ? -1 : throw RuntimeError.FromErrno($"open \"{containerDir}\"", errno);
    }

    private static bool StillAtItsPath(int fd, string containerDir) =>
        Libc.fstat(fd, out var locked) == 0 && Libc.fstatat(Libc.AT_FDCWD, containerDir, out var current, 0) == 0 &&
        locked.Dev == current.Dev && locked.Ino == current.Ino;

    public void Dispose()
    {
        lock (HeldHere)
            HeldHere.Remove(directory);
        Libc.close(fd);
    }
}
