using System.Runtime.InteropServices;

namespace OciRuntime.Kernel;

/// <summary>bpf(2), seccomp(2) probes and namespace-fd queries: each error names the call and keeps the errno.</summary>
internal static partial class Syscall
{
    private const long SYS_seccomp = 317;
    private const uint SECCOMP_SET_MODE_FILTER = 1;
    private const long NS_GET_NSTYPE = 0xb703; // _IO(0xb7, 0x3): the CLONE_NEW* flag of a namespace fd (Linux 4.11)

    /// <summary>bpf(2) <paramref name="command"/> with <paramref name="attr"/> (the kernel may write into it): its result, or -1 with the errno.</summary>
    public static unsafe long TryBpf(int command, byte[] attr, out int errno)
    {
        long rc;
        fixed (byte* a = attr)
            rc = Libc.syscall(Libc.SYS_bpf, command, (long)a, attr.Length, 0, 0);
        errno = rc < 0 ? Marshal.GetLastPInvokeError() : 0;
        return rc;
    }

    /// <summary>bpf(2) that fails with an error naming <paramref name="operation"/>.</summary>
    public static long Bpf(int command, byte[] attr, string operation)
    {
        long rc = TryBpf(command, attr, out int errno);
        return rc >= 0 ? rc : throw RuntimeError.FromErrno(operation, errno);
    }

    /// <summary>seccomp(2) SECCOMP_SET_MODE_FILTER with <paramref name="flags"/> and no program: the errno (EFAULT once the kernel knows the flags).</summary>
    public static int ProbeSeccompFilterFlags(uint flags) =>
        Libc.syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, 0, 0, 0) < 0 ? Marshal.GetLastPInvokeError() : 0;

    /// <summary>ioctl NS_GET_NSTYPE: the CLONE_NEW* flag of the namespace <paramref name="ns"/>, or -1 with the errno (ENOTTY: not a namespace).</summary>
    public static long TryNamespaceType(OwnedFd ns, out int errno)
    {
        long type = Libc.syscall(Libc.SYS_ioctl, ns.Number, NS_GET_NSTYPE, 0, 0, 0);
        errno = type < 0 ? Marshal.GetLastPInvokeError() : 0;
        return type;
    }
}
