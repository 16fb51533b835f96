using System.Runtime.InteropServices;

namespace OciRuntime.Tests.Conformance.Infrastructure;

/// <summary>
/// Another command's view of a container's lock (an flock on its state directory, as runc's): a thread grabs the lock
/// whenever it is free and notes whether <c>state.json</c> is there at that moment.
/// </summary>
public sealed partial class ContainerLockWatcher : IDisposable
{
    private const int ORdonly = 0, ODirectory = 0x10000, OCloexec = 0x80000, LockEx = 2, LockNb = 4;

    private readonly string directory;
    private readonly Thread thread;
    private volatile bool stopping;
    private volatile bool sawStateUnlocked;

    private ContainerLockWatcher(string directory)
    {
        this.directory = directory;
        thread = new Thread(Watch) { IsBackground = true };
        thread.Start();
    }

    public static ContainerLockWatcher Start(string stateDirectory) => new(stateDirectory);

    /// <summary>Stops watching; true when the lock was ever free while the container's state.json existed.</summary>
    public bool Stop()
    {
        stopping = true;
        thread.Join();
        return sawStateUnlocked;
    }

    public void Dispose() => Stop();

    private void Watch()
    {
        while (!stopping)
        {
            int fd = open(directory, ORdonly | ODirectory | OCloexec);
            if (fd < 0)
            {
                Thread.Yield();
                continue;
            }
            if (flock(fd, LockEx | LockNb) == 0 && File.Exists(Path.Combine(directory, "state.json")))
                sawStateUnlocked = true;
            close(fd);
        }
    }

    [LibraryImport("libc.so.6", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int open(string path, int flags);

    [LibraryImport("libc.so.6", SetLastError = true)]
    private static partial int flock(int fd, int operation);

    [LibraryImport("libc.so.6")]
    private static partial int close(int fd);
}
