using System.Net.Sockets;
using System.Text;
using OciRuntime.Cgroups.Systemd;

namespace OciRuntime.Tests.Unit.Cgroups.Systemd;

/// <summary>
/// The peer is driven by hand and the stream never gives up waiting for BEGIN to be read, so a write that waits when it
/// should not never completes: <see cref="HangGuard"/> only turns that hang into a failure.
/// </summary>
public sealed class BeginReadFirstStreamTests : IDisposable
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(30);
    private readonly string directory = Directory.CreateTempSubdirectory("begin-stream").FullName;
    private readonly Socket listener = new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
    private readonly Socket client = new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
    private readonly Socket peer;
    private readonly BeginReadFirstStream stream;

    public BeginReadFirstStreamTests()
    {
        var endpoint = new UnixDomainSocketEndPoint(Path.Combine(directory, "bus"));
        listener.Bind(endpoint);
        listener.Listen();
        client.Connect(endpoint);
        peer = listener.Accept();
        stream = new BeginReadFirstStream(client, beginTimeout: TimeSpan.MaxValue);
    }

    public void Dispose()
    {
        stream.Dispose();
        peer.Dispose();
        listener.Dispose();
        Directory.Delete(directory, recursive: true);
    }

    private string ReadFromPeer(int length)
    {
        var buffer = new byte[length];
        int read = 0;
        while (read < length)
            read += peer.Receive(buffer.AsSpan(read));
        return Encoding.ASCII.GetString(buffer);
    }

    private static async Task ShouldComplete(Task write, string because) =>
        (await Task.WhenAny(write, Task.Delay(HangGuard))).Should().BeSameAs(write, because);

    [Fact]
    public async Task The_write_of_BEGIN_returns_only_once_the_peer_has_read_it()
    {
        var write = stream.WriteAsync("BEGIN\r\n"u8.ToArray()).AsTask();

        peer.Available.Should().Be(7, "BEGIN is in the socket, unread by the peer");
        write.IsCompleted.Should().BeFalse("the peer has not read BEGIN yet");
        ReadFromPeer(7).Should().Be("BEGIN\r\n");
        await ShouldComplete(write, "the peer has read BEGIN");
    }

    [Fact]
    public async Task Other_authentication_lines_and_the_messages_after_BEGIN_do_not_wait_for_the_peer()
    {
        // Each write below stays unread by the peer while it is awaited.
        await ShouldComplete(stream.WriteAsync("\0AUTH EXTERNAL 30\r\n"u8.ToArray()).AsTask(), "an AUTH line does not wait");
        ReadFromPeer(19);
        var begin = stream.WriteAsync("BEGIN\r\n"u8.ToArray()).AsTask();
        ReadFromPeer(7);
        await ShouldComplete(begin, "the peer has read BEGIN");

        // A message that happens to end like BEGIN.
        await ShouldComplete(stream.WriteAsync("l\u0001\0\u0001BEGIN\r\n"u8.ToArray()).AsTask(), "only the first BEGIN waits");
    }
}
