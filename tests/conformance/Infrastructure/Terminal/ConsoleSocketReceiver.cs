using System.Net.Sockets;
using static OciRuntime.Tests.Conformance.Infrastructure.TerminalNative;

namespace OciRuntime.Tests.Conformance.Infrastructure;

/// <summary>
/// The listening end of `--console-socket` (or `--pidfd-socket`), as containerd's shim (go-runc) and conmon provide it:
/// a unix stream socket that accepts one connection and receives the pty master (or a pidfd) with SCM_RIGHTS in a
/// single message carrying exactly one fd. .NET's Socket cannot receive fds, so the message is read with recvmsg(2).
/// </summary>
public sealed unsafe class ConsoleSocketReceiver : IDisposable
{
    private readonly Socket listener;

    public ConsoleSocketReceiver(string path)
    {
        Path = path;
        listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(path));
        listener.Listen(1);
    }

    /// <summary>The socket's path: the value of --console-socket.</summary>
    public string Path { get; }

    /// <summary>
    /// Accepts the runtime's connection and receives the master. The runtime connects and sends before `create`
    /// (or a detached `exec`) returns, and the kernel queues both, so this may be called after the command returned.
    /// </summary>
    public PtyMaster ReceiveMaster(TimeSpan? timeout = null) => new(ReceiveFd(timeout).Fd);

    /// <summary>Accepts the runtime's connection and receives its one fd (the caller closes it) and the message's bytes as text.</summary>
    public (int Fd, string Payload) ReceiveFd(TimeSpan? timeout = null)
    {
        var limit = timeout ?? Eventually.DefaultTimeout;
        if (!listener.Poll(limit, SelectMode.SelectRead))
            throw new TimeoutException($"No connection on the console socket {Path} within {limit.TotalSeconds} s.");
        using var connection = listener.Accept();
        if (!connection.Poll(limit, SelectMode.SelectRead))
            throw new TimeoutException($"Nothing was sent on the console socket {Path} within {limit.TotalSeconds} s.");
        return ReceiveOneFd((int)connection.Handle);
    }

    /// <summary>recvmsg with go-runc's expectations: one SCM_RIGHTS control message of exactly CMSG_SPACE(sizeof(int)).</summary>
    private static (int Fd, string Payload) ReceiveOneFd(int socket)
    {
        var data = stackalloc byte[4096];
        var control = stackalloc byte[64];
        var iov = new IoVec { Base = data, Length = 4096 };
        var message = new MsgHdr { Iov = &iov, IovLength = 1, Control = control, ControlLength = (nuint)OneFdControlSpace };
        nint received;
        do
            received = RecvMsg(socket, &message, MSG_CMSG_CLOEXEC);
        while (received < 0 && Errno == EINTR);
        if (received < 0)
            throw Failure("recvmsg on the console socket");

        var header = (CmsgHdr*)control;
        var fds = (int*)(control + sizeof(CmsgHdr));
        if ((message.Flags & MSG_CTRUNC) != 0 || (int)message.ControlLength < sizeof(CmsgHdr))
        {
            if ((int)message.ControlLength >= OneFdControlLength && header->Type == SCM_RIGHTS)
                Close(fds[0]);
            throw new InvalidOperationException(
                $"The console socket message did not carry exactly one fd (control length {message.ControlLength}, flags 0x{message.Flags:x}).");
        }
        if (header->Level != SOL_SOCKET || header->Type != SCM_RIGHTS || (int)header->Length != OneFdControlLength)
            throw new InvalidOperationException(
                $"The console socket message is no SCM_RIGHTS message with one fd (level {header->Level}, type {header->Type}, length {header->Length}).");
        if ((int)message.ControlLength != OneFdControlSpace)
        {
            Close(fds[0]);
            throw new InvalidOperationException(
                $"The console socket's control data is {message.ControlLength} bytes, not CMSG_SPACE(sizeof(int)) = {OneFdControlSpace} (go-runc rejects that).");
        }
        return (fds[0], System.Text.Encoding.UTF8.GetString(data, (int)received));
    }

    public void Dispose()
    {
        listener.Dispose();
        File.Delete(Path);
    }
}
