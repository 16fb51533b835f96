using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using OciRuntime.Kernel;
using Tmds.DBus.Protocol;

namespace OciRuntime.Cgroups.Systemd;

/// <summary>
/// A D-Bus connection over a unix socket that we open ourselves, so that Tmds authenticates over
/// <see cref="BeginReadFirstStream"/> instead of its own socket.
/// </summary>
internal sealed class BusSocketOptions(string path, TimeSpan beginTimeout) : DBusConnectionOptions
{
    protected override async ValueTask<SetupResult> SetupAsync(CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        // EXTERNAL authentication names the uid the peer sees in SO_PEERCRED.
        return new SetupResult
        {
            ConnectionStream = new BeginReadFirstStream(socket, beginTimeout),
            UserId = Syscall.EffectiveUid.ToString(CultureInfo.InvariantCulture),
        };
    }
}

/// <summary>
/// The socket as a stream whose write of the authentication's final "BEGIN" returns only once the peer has read it. systemd
/// (sd-bus as server, on /run/systemd/private) that reads BEGIN and the first message in one go leaves that message in its
/// buffer until the socket next becomes readable: the Hello sent right after BEGIN went unanswered until the client gave up.
/// </summary>
internal sealed class BeginReadFirstStream(Socket socket, TimeSpan beginTimeout) : Stream
{
    private readonly NetworkStream inner = new(socket, ownsSocket: true);
    private bool begun;

    public override bool CanRead => true;
    public override bool CanWrite => true;
    public override bool CanSeek => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        inner.ReadAsync(buffer, cancellationToken);

    public override void Write(byte[] buffer, int offset, int count) =>
        WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await inner.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
        if (begun || !buffer.Span.EndsWith("BEGIN\r\n"u8))
            return;
        begun = true;
        for (var waited = Stopwatch.StartNew(); UnreadByPeer() && waited.Elapsed < beginTimeout;)
            await Task.Delay(1, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>SIOCOUTQ: on a unix socket, what was sent stays charged to the sender until the peer has read it.</summary>
    private bool UnreadByPeer() => Syscall.HasUnreadOutput(socket.Handle);

    public override void Flush() => inner.Flush();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            inner.Dispose();
        base.Dispose(disposing);
    }
}
