using System.Runtime.InteropServices;
using OciRuntime.Kernel;

namespace OciRuntime.Protocol;

/// <summary>One message on a <see cref="SyncSocket"/>: its type and payload (<see cref="InitProtocol"/> reads and makes them).</summary>
internal readonly record struct Frame(InitMessage Type, byte[] Payload);

/// <summary>
/// A unix stream socket carrying frames: a header of the payload's length (4 bytes, native-endian) and the message
/// type (1 byte), then the payload; c/protocol.h's struct ocirt_frame_header, which the bootstrap writes too.
/// </summary>
internal sealed unsafe class SyncSocket(int fd) : IDisposable
{
    private const int HeaderSize = sizeof(uint) + sizeof(byte);

    public int Fd { get; private set; } = fd;

    /// <summary>A connected pair; both ends close-on-exec (the child's end is made inheritable explicitly).</summary>
    public static (SyncSocket Parent, SyncSocket Child) CreatePair()
    {
        int* fds = stackalloc int[2];
        Syscall.Check(Libc.socketpair(Libc.AF_UNIX, Libc.SOCK_STREAM | Libc.SOCK_CLOEXEC, 0, fds), "socketpair");
        return (new SyncSocket(fds[0]), new SyncSocket(fds[1]));
    }

    public void Send(InitMessage type, ReadOnlySpan<byte> payload = default)
    {
        byte* header = stackalloc byte[HeaderSize];
        *(uint*)header = (uint)payload.Length;
        header[sizeof(uint)] = (byte)type;
        WriteAll(new ReadOnlySpan<byte>(header, HeaderSize));
        WriteAll(payload);
    }

    /// <summary>The next frame, or null when the other side closed the socket.</summary>
    public Frame? Receive()
    {
        byte* header = stackalloc byte[HeaderSize];
        if (!ReadAll(new Span<byte>(header, HeaderSize)))
            return null;
        var payload = new byte[*(uint*)header];
        return ReadAll(payload) ? new Frame((InitMessage)header[sizeof(uint)], payload) : null;
    }

    /// <summary>Passes an fd (SCM_RIGHTS) after a frame of <paramref name="type"/>; the receiver answers before anything else is sent.</summary>
    public void SendFd(InitMessage type, int fd)
    {
        Send(type);
        int rc = NativeHelpers.ocirt_send_fd(Fd, fd);
        if (rc < 0)
            throw RuntimeError.FromErrno($"send {type} fd on sync socket", -rc);
    }

    /// <summary>The fd that follows a frame from <see cref="SendFd"/>, close-on-exec.</summary>
    public int ReceiveFd(InitMessage type)
    {
        int fd = NativeHelpers.ocirt_recv_fd(Fd);
        return fd < 0 ? throw RuntimeError.FromErrno($"receive {type} fd on sync socket", -fd) : fd;
    }

    private void WriteAll(ReadOnlySpan<byte> data)
    {
        fixed (byte* start = data)
        {
            if (!TransferAll(start, data.Length, writing: true))
                throw RuntimeError.FromErrno("write to sync socket", Marshal.GetLastPInvokeError());
        }
    }

    private bool ReadAll(Span<byte> buffer)
    {
        fixed (byte* start = buffer)
            return TransferAll(start, buffer.Length, writing: false);
    }

    /// <summary>Moves exactly <paramref name="length"/> bytes, resuming short transfers and EINTR; false at EOF or on an error.</summary>
    private bool TransferAll(byte* start, int length, bool writing)
    {
        for (int done = 0; done < length;)
        {
            nint n = writing ? Libc.write(Fd, start + done, length - done) : Libc.read(Fd, start + done, length - done);
            if (n < 0 && Marshal.GetLastPInvokeError() == Errno.EINTR)
                continue;
            if (n <= 0)
                return false;
            done += (int)n;
        }
        return true;
    }

    public void Dispose()
    {
        if (Fd >= 0)
            Libc.close(Fd);
        Fd = -1;
    }
}
