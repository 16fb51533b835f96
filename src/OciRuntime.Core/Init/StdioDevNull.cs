using OciRuntime.Kernel;


namespace OciRuntime.Init;

/// <summary>
/// Stdio that is the null device (an engine's detached container gets the host's /dev/null as stdin): as runc does
/// after pivot_root, each such fd is replaced by the container's own /dev/null opened read-write, so the container
/// holds no file of the host's mount namespace and its stdio can be written like runc's.
/// </summary>
internal static class StdioDevNull
{
    private static readonly ulong NullDeviceNumber = Libc.MakeDev(1, 3);

    public static bool IsNullDevice(in Libc.Stat stat) =>
        (stat.Mode & Libc.S_IFMT) == Libc.S_IFCHR && stat.Rdev == NullDeviceNumber;

    /// <summary>Runs in the container's root: resolves /dev/null there.</summary>
    public static void ReopenInContainer()
    {
        var nullFds = Enumerable.Range(0, 3).Where(fd => Libc.fstat(fd, out var stat) == 0 && IsNullDevice(stat)).ToList();
        if (nullFds.Count == 0)
            return;
        int devNull = Syscall.Check(Libc.open("/dev/null", Libc.O_RDWR | Libc.O_CLOEXEC, 0), "open the container's /dev/null");
        try
        {
            Syscall.Check(Libc.fstat(devNull, out var stat), "fstat the container's /dev/null");
            // A rootfs could ship its own /dev/null (a file, or another device): never hand that to the process as its stdio.
            if (!IsNullDevice(stat))
                throw new RuntimeError("the container's /dev/null is not the null device (character device 1:3)");
            foreach (int fd in nullFds)
                Syscall.Check(Libc.dup2(devNull, fd), $"dup2 /dev/null to fd {fd}");
        }
        finally
        {
            Libc.close(devNull);
        }
    }
}
