using System.Net.Sockets;
using System.Text;
using OciRuntime.Cgroups.Systemd;

namespace OciRuntime.Tests.Unit.Cgroups.Systemd;

public sealed class BeginReadFirstStreamTests : IDisposable
{
    private static readonly TimeSpan Unread = TimeSpan.FromMilliseconds(200);
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
        stream = new BeginReadFirstStream(client, TimeSpan.FromSeconds(5));
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

    [Fact]
    public async Task The_write_of_BEGIN_returns_only_once_the_peer_has_read_it()
    {
        var write = stream.WriteAsync("BEGIN\r\n"u8.ToArray()).AsTask();
        await Task.Delay(Unread);
        write.IsCompleted.Should().BeFalse("the peer has not read BEGIN yet");
        ReadFromPeer(7).Should().Be("BEGIN\r\n");
        (await Task.WhenAny(write, Task.Delay(TimeSpan.FromSeconds(5)))).Should().BeSameAs(write);
    }

    [Fact]
    public async Task Other_authentication_lines_and_the_messages_after_BEGIN_do_not_wait_for_the_peer()
    {
        var auth = stream.WriteAsync("\0AUTH EXTERNAL 30\r\n"u8.ToArray()).AsTask();
        (await Task.WhenAny(auth, Task.Delay(Unread))).Should().BeSameAs(auth);
        ReadFromPeer(19);
        var begin = stream.WriteAsync("BEGIN\r\n"u8.ToArray()).AsTask();
        ReadFromPeer(7);
        await begin;

        // A message that happens to end like BEGIN, unread by the peer.
        var message = stream.WriteAsync("l\u0001\0\u0001BEGIN\r\n"u8.ToArray()).AsTask();
        (await Task.WhenAny(message, Task.Delay(Unread))).Should().BeSameAs(message);
    }
}
