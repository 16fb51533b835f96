using OciRuntime.Kernel;

namespace OciRuntime.Protocol;

/// <summary>One message on a <see cref="SyncSocket"/>: its type and payload (<see cref="InitProtocol"/> reads and makes them).</summary>
internal readonly record struct Frame(InitMessage Type, byte[] Payload);

/// <summary>
/// A unix stream socket carrying frames: a header of the payload's length (4 bytes, native-endian) and the message
/// type (1 byte), then the payload; c/protocol.h's struct ocirt_frame_header, which the bootstrap writes too.
/// </summary>
internal sealed unsafe class SyncSocket(OwnedFd socket) : IDisposable
{
    public const int HeaderSize = sizeof(uint) + sizeof(byte);

    /// <summary>The socket itself: the child's end goes to the init by number.</summary>
    public OwnedFd Socket { get; } = socket;

    /// <summary>A connected pair; both ends close-on-exec (the child's end is made inheritable explicitly).</summary>
    public static (SyncSocket Parent, SyncSocket Child) CreatePair()
    {
        var (parent, child) = Syscall.SocketPair(UnixSocketType.Stream, "sync socket");
        return (new SyncSocket(parent), new SyncSocket(child));
    }

    public void Send(InitMessage type, ReadOnlySpan<byte> payload = default)
    {
        SendHeader(type, payload.Length);
        Socket.WriteAll(payload);
    }

    /// <summary>A frame's header alone: its payload follows in parts (<see cref="OwnedFd.WriteAll"/> on <see cref="Socket"/>).</summary>
    public void SendHeader(InitMessage type, int payloadLength)
    {
        Span<byte> header = stackalloc byte[HeaderSize];
        WriteHeader(header, type, payloadLength);
        Socket.WriteAll(header);
    }

    /// <summary>A frame's header into the first <see cref="HeaderSize"/> bytes of <paramref name="frame"/>.</summary>
    public static void WriteHeader(Span<byte> frame, InitMessage type, int payloadLength)
    {
        BitConverter.TryWriteBytes(frame, (uint)payloadLength);
        frame[sizeof(uint)] = (byte)type;
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

    /// <summary>The fd that follows a frame of <paramref name="type"/> (SCM_RIGHTS), close-on-exec.</summary>
    public OwnedFd ReceiveFd(InitMessage type) => Socket.ReceiveFd($"{type} fd");

    /// <summary>
    /// Fills the buffer, resuming short reads; false at end of file, and on an error, which means the same here: the
    /// other side is gone (ECONNRESET when it exited with our bytes unread; a test's receive timeout).
    /// </summary>
    private bool ReadAll(Span<byte> buffer)
    {
        for (int done = 0; done < buffer.Length;)
        {
            if (Socket.TryRead(buffer[done..], out int n) != 0 || n == 0)
                return false;
            done += n;
        }
        return true;
    }

    public void Dispose() => Socket.Dispose();
}
