using OciRuntime.Kernel;

namespace OciRuntime.Lifecycle;

/// <summary>An exclusive flock on the container's state directory itself, so concurrent commands on one id take turns.</summary>
internal sealed class ContainerLock : IDisposable
{
    /// <summary>The directories this process holds locked: its own lock does not make a container look busy to it.</summary>
    private static readonly HashSet<string> HeldHere = [];

    private readonly OwnedFd directory;
    private readonly string path;

    private ContainerLock(OwnedFd directory, string path)
    {
        this.directory = directory;
        this.path = path;
        lock (HeldHere)
            HeldHere.Add(path);
    }

    public static ContainerLock Acquire(string containerDir) =>
        TryAcquire(containerDir) ?? throw ContainerIds.DoesNotExist(Path.GetFileName(containerDir));

    /// <summary>Waits for the lock; null when the directory is gone, before or while waiting (its holder deleted the container).</summary>
    public static ContainerLock? TryAcquire(string containerDir)
    {
        var directory = OpenDirectory(containerDir);
        if (directory is null)
            return null;
        bool taken = false;
        try
        {
            directory.Lock(LockOperation.Exclusive);
            // The holder we waited for may have removed the directory (delete), or removed it and a create made a new one.
            taken = StillAtItsPath(directory, containerDir);
            return taken ? new ContainerLock(directory, containerDir) : null;
        }
        finally
        {
            if (!taken)
                directory.Dispose();
        }
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
        using var directory = OpenDirectory(containerDir);
        // Shared and non-blocking: concurrent probes do not disturb each other, and the holder is never waited for.
        return directory is not null && !directory.TryLock(LockOperation.Shared);
    }

    /// <summary>The directory's fd, or null when it does not exist.</summary>
    private static OwnedFd? OpenDirectory(string containerDir) =>
        OwnedFd.OpenIfExists(containerDir, OpenFlags.ReadOnly | OpenFlags.Directory | OpenFlags.CloseOnExec);

    private static bool StillAtItsPath(OwnedFd directory, string containerDir) =>
        Syscall.TryStat(containerDir, out var current) == 0 && directory.Stat() is var locked &&
        locked.Dev == current.Dev && locked.Ino == current.Ino;

    public void Dispose()
    {
        lock (HeldHere)
            HeldHere.Remove(path);
        directory.Dispose();
    }
}
