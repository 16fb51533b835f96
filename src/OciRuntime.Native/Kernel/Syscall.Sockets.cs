using System.Runtime.InteropServices;

namespace OciRuntime.Kernel;

/// <summary>Messages over sockets: each error names the socket, and keeps the errno.</summary>
internal static partial class Syscall
{
    /// <summary>
    /// One message of a SOCK_SEQPACKET socket (recvmsg, EINTR retried) into <paramref name="buffer"/>: its length, 0 at
    /// end of file; <paramref name="fd"/> is the fd it carried (SCM_RIGHTS, close-on-exec, named <paramref name="fdName"/>), or null.
    /// </summary>
    public static unsafe int ReceiveMessage(OwnedFd socket, Span<byte> buffer, string fdName, out OwnedFd? fd)
    {
        int length, received;
        fixed (byte* bytes = buffer)
            length = NativeHelpers.ocirt_recv_message(socket.Number, bytes, buffer.Length, out received);
        if (length < 0)
            throw RuntimeError.FromErrno($"recvmsg {socket.Description}", Marshal.GetLastPInvokeError());
        fd = received >= 0 ? new OwnedFd(received, fdName) : null;
        return length;
    }

    /// <summary>SIOCOUTQ: whether a unix socket (by its handle) has sent bytes its peer has not read yet; false when it cannot tell.</summary>
    public static unsafe bool HasUnreadOutput(nint socket)
    {
        int queued = 0;
        return Libc.syscall(Libc.SYS_ioctl, socket, Libc.SIOCOUTQ, (long)&queued, 0, 0) == 0 && queued > 0;
    }

    /// <summary>fcntl F_GETFL: whether <paramref name="fd"/> was opened for writing (O_WRONLY or O_RDWR).</summary>
    public static bool IsOpenForWriting(OwnedFd fd)
    {
        int flags = Libc.fcntl(fd.Number, Libc.F_GETFL, 0);
        return flags >= 0 ? (flags & (Libc.O_WRONLY | Libc.O_RDWR)) != 0
            : throw RuntimeError.FromErrno($"fcntl F_GETFL {fd.Description}", Marshal.GetLastPInvokeError());
    }
}
