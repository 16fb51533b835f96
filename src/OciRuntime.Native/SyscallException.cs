using System.Runtime.InteropServices;

namespace OciRuntime.Native;

/// <summary>A failed system call: what was attempted (with its paths) and the errno, e.g. `mount "proc" on "/proc": EPERM`.</summary>
public sealed class SyscallException(string operation, int errno)
    : Exception($"{operation}: {ErrnoNames.Name(errno)} ({Marshal.GetPInvokeErrorMessage(errno)})")
{
    public int Errno { get; } = errno;

    /// <summary>Throws for a libc return value below zero, with the errno of that call.</summary>
    public static int ThrowIfFailed(int rc, string operation) =>
        rc < 0 ? throw new SyscallException(operation, Marshal.GetLastPInvokeError()) : rc;

    public static long ThrowIfFailed(long rc, string operation) =>
        rc < 0 ? throw new SyscallException(operation, Marshal.GetLastPInvokeError()) : rc;
}

public static class ErrnoNames
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
