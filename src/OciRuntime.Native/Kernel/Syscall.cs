using System.Runtime.InteropServices;

namespace OciRuntime.Kernel;

/// <summary>
/// Turns a libc return value below zero into a <see cref="RuntimeError"/> carrying that call's errno; and the typed
/// wrappers (Syscall.*.cs, <see cref="OwnedFd"/>) that the runtime calls the kernel through.
/// </summary>
internal static partial class Syscall
{
    /// <param name="operation">what was attempted, with its paths, e.g. `mount "proc" on "/proc"`</param>
    public static int Check(int rc, string operation) =>
        rc < 0 ? throw RuntimeError.FromErrno(operation, Marshal.GetLastPInvokeError()) : rc;

    public static long Check(long rc, string operation) =>
        rc < 0 ? throw RuntimeError.FromErrno(operation, Marshal.GetLastPInvokeError()) : rc;
}

/// <summary>The errno values the runtime decides by (asm-generic/errno-base.h, errno.h).</summary>
internal static class Errno
{
    public const int ENOENT = 2, ESRCH = 3, EINTR = 4, EAGAIN = 11, EEXIST = 17, ENOTDIR = 20, EINVAL = 22, EPIPE = 32,
        ENOSYS = 38, ENOTEMPTY = 39, ECONNRESET = 104;
}

internal static class ErrnoNames
{
    private static readonly string[] Names =
    [
        "0", "EPERM", "ENOENT", "ESRCH", "EINTR", "EIO", "ENXIO", "E2BIG", "ENOEXEC", "EBADF", "ECHILD", "EAGAIN",
        "ENOMEM", "EACCES", "EFAULT", "ENOTBLK", "EBUSY", "EEXIST", "EXDEV", "ENODEV", "ENOTDIR", "EISDIR", "EINVAL",
        "ENFILE", "EMFILE", "ENOTTY", "ETXTBSY", "EFBIG", "ENOSPC", "ESPIPE", "EROFS", "EMLINK", "EPIPE", "EDOM", "ERANGE",
    ];

    public static string Name(int errno) => errno >= 0 && errno < Names.Length ? Names[errno] : errno switch
    {
        36 => "ENAMETOOLONG",
        38 => "ENOSYS",
        39 => "ENOTEMPTY",
        40 => "ELOOP",
        95 => "EOPNOTSUPP",
        524 => "ENOTSUPP",
        _ => $"errno {errno}",
    };
}
