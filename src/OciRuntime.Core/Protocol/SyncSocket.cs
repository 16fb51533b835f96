using System.Runtime.InteropServices;
using System.Text;
using OciRuntime.Kernel;

namespace OciRuntime.Protocol;

/// <summary>
/// The parent↔init channel: a unix stream socket carrying frames (4-byte native-endian length, then the bytes),
/// the format native/bootstrap.c speaks too.
/// </summary>
internal sealed unsafe class SyncSocket(int fd) : IDisposable
{
    public const string FdEnvironmentVariable = "_OCIRUNTIME_SYNCFD";

    public int Fd { get; private set; } = fd;

    /// <summary>A connected pair; both ends close-on-exec (the child's end is made inheritable explicitly).</summary>
    public static (SyncSocket Parent, SyncSocket Child) CreatePair()
    {
        int* fds = stackalloc int[2];
        Syscall.Check(Libc.socketpair(Libc.AF_UNIX, Libc.SOCK_STREAM | Libc.SOCK_CLOEXEC, 0, fds), "socketpair");
        return (new SyncSocket(fds[0]), new SyncSocket(fds[1]));
    }

    public void Send(string text) => Send(Encoding.UTF8.GetBytes(text));

    public void Send(ReadOnlySpan<byte> payload)
    {
        uint length = (uint)payload.Length;
        WriteAll(new ReadOnlySpan<byte>(&length, sizeof(uint)));
        WriteAll(payload);
    }

    /// <summary>The next frame, or null when the other side closed the socket.</summary>
    public byte[]? Receive()
    {
        uint length;
        if (!ReadAll(new Span<byte>(&length, sizeof(uint))))
            return null;
        var payload = new byte[length];
        return ReadAll(payload) ? payload : null;
    }

    public string? ReceiveText() => Receive() is { } bytes ? Encoding.UTF8.GetString(bytes) : null;

    /// <summary>Passes an fd (SCM_RIGHTS) after a frame naming it; the receiver answers before anything else is sent.</summary>
    public void SendFd(string name, int fd)
    {
        Send(name);
        int rc = NativeHelpers.ocirt_send_fd(Fd, fd);
        if (rc < 0)
            throw RuntimeError.FromErrno($"send {name} on sync socket", -rc);
    }

    /// <summary>The fd that follows a frame from <see cref="SendFd"/>, close-on-exec.</summary>
    public int ReceiveFd(string name)
    {
        int fd = NativeHelpers.ocirt_recv_fd(Fd);
        return fd < 0 ? throw RuntimeError.FromErrno($"receive {name} on sync socket", -fd) : fd;
    }

    private void WriteAll(ReadOnlySpan<byte> data)
    {
        fixed (byte* start = data)
        {
            for (int done = 0; done < data.Length;)
            {
                nint n = Libc.write(Fd, start + done, data.Length - done);
                if (n < 0 && Marshal.GetLastPInvokeError() == Libc.EINTR)
                    continue;
                if (n <= 0)
                    throw RuntimeError.FromErrno("write to sync socket", Marshal.GetLastPInvokeError());
                done += (int)n;
            }
        }
    }

    private bool ReadAll(Span<byte> buffer)
    {
        fixed (byte* start = buffer)
        {
            for (int done = 0; done < buffer.Length;)
            {
                nint n = Libc.read(Fd, start + done, buffer.Length - done);
                if (n < 0 && Marshal.GetLastPInvokeError() == Libc.EINTR)
                    continue;
                if (n <= 0)
                    return false;
                done += (int)n;
            }
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
