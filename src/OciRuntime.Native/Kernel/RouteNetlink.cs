using System.Buffers.Binary;

namespace OciRuntime.Kernel;

/// <summary>
/// A NETLINK_ROUTE socket of the namespace it was opened in (rtnetlink(7)): the link and address requests moving a
/// network device into a container needs, each acknowledged by the kernel.
/// </summary>
internal sealed class RouteNetlink : IDisposable
{
    private const int AF_NETLINK = 16, SOCK_RAW = 3, NETLINK_ROUTE = 0;
    private const ushort NLMSG_ERROR = 2, NLMSG_DONE = 3, RTM_NEWLINK = 16, RTM_NEWADDR = 20, RTM_GETADDR = 22;
    private const ushort NLM_F_REQUEST = 1, NLM_F_ACK = 4, NLM_F_DUMP = 0x300, NLM_F_CREATE = 0x400, NLM_F_EXCL = 0x200;
    private const ushort IFLA_IFNAME = 3, IFLA_NET_NS_FD = 28, IFA_ADDRESS = 1, IFA_LOCAL = 2, IFA_FLAGS = 8;
    private const uint IFF_UP = 1, IFA_F_PERMANENT = 0x80;
    private const byte RT_SCOPE_UNIVERSE = 0;
    private const int HeaderSize = 16, IfInfoSize = 16, IfAddrSize = 8;

    private readonly int fd;
    private uint sequence;

    /// <summary>An address as RTM_NEWADDR takes it again: family, prefix length and its IFA_LOCAL/IFA_ADDRESS values.</summary>
    public sealed record Address(byte Family, byte PrefixLength, byte[]? Local, byte[]? Peer);

    public RouteNetlink() =>
        fd = Syscall.Check(Libc.socket(AF_NETLINK, SOCK_RAW | Libc.SOCK_CLOEXEC, NETLINK_ROUTE), "socket(AF_NETLINK)");

    public void Dispose() => Libc.close(fd);

    /// <summary>Sets the link up or down.</summary>
    public void SetUp(uint index, bool up, string operation) =>
        Request(RTM_NEWLINK, 0, IfInfo(index, up ? IFF_UP : 0, IFF_UP), operation);

    /// <summary>Moves the link into the network namespace <paramref name="netnsFd"/> under <paramref name="newName"/>, in one request.</summary>
    public void MoveTo(uint index, string newName, int netnsFd, string operation)
    {
        var nsFd = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(nsFd, netnsFd);
        Request(RTM_NEWLINK, 0, [.. IfInfo(index, 0, 0), .. Attribute(IFLA_IFNAME, [.. System.Text.Encoding.UTF8.GetBytes(newName), 0]),
            .. Attribute(IFLA_NET_NS_FD, nsFd)], operation);
    }

    /// <summary>The link's permanent addresses of global scope (RFC 3549 2.3.3.2), which the spec has the runtime keep.</summary>
    public List<Address> PermanentGlobalAddresses(uint index, string operation)
    {
        var addresses = new List<Address>();
        foreach (var message in Dump(RTM_GETADDR, new byte[IfAddrSize], operation))
        {
            var ifaddr = message.AsSpan(HeaderSize);
            uint flags = ifaddr[2];
            byte[]? local = null, peer = null;
            foreach (var (type, value) in Attributes(message, HeaderSize + IfAddrSize))
            {
                if (type == IFA_FLAGS)
                    flags = BinaryPrimitives.ReadUInt32LittleEndian(value);
                else if (type == IFA_LOCAL)
                    local = value;
                else if (type == IFA_ADDRESS)
                    peer = value;
            }
            if (BinaryPrimitives.ReadUInt32LittleEndian(ifaddr[4..]) == index && ifaddr[3] == RT_SCOPE_UNIVERSE && (flags & IFA_F_PERMANENT) != 0)
                addresses.Add(new Address(ifaddr[0], ifaddr[1], local, peer));
        }
        return addresses;
    }

    public void AddAddress(uint index, Address address, string operation)
    {
        var ifaddr = new byte[IfAddrSize];
        ifaddr[0] = address.Family;
        ifaddr[1] = address.PrefixLength;
        ifaddr[3] = RT_SCOPE_UNIVERSE;
        BinaryPrimitives.WriteUInt32LittleEndian(ifaddr.AsSpan(4), index);
        byte[] attributes = [.. address.Local is { } local ? Attribute(IFA_LOCAL, local) : [], .. address.Peer is { } peer ? Attribute(IFA_ADDRESS, peer) : []];
        Request(RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL, [.. ifaddr, .. attributes], operation);
    }

    private static byte[] IfInfo(uint index, uint flags, uint change)
    {
        var info = new byte[IfInfoSize];
        BinaryPrimitives.WriteUInt32LittleEndian(info.AsSpan(4), index);
        BinaryPrimitives.WriteUInt32LittleEndian(info.AsSpan(8), flags);
        BinaryPrimitives.WriteUInt32LittleEndian(info.AsSpan(12), change);
        return info;
    }

    private static byte[] Attribute(ushort type, byte[] value)
    {
        var attribute = new byte[Align(4 + value.Length)];
        BinaryPrimitives.WriteUInt16LittleEndian(attribute, (ushort)(4 + value.Length));
        BinaryPrimitives.WriteUInt16LittleEndian(attribute.AsSpan(2), type);
        value.CopyTo(attribute, 4);
        return attribute;
    }

    private static IEnumerable<(ushort Type, byte[] Value)> Attributes(byte[] message, int offset)
    {
        while (offset + 4 <= message.Length)
        {
            int length = BinaryPrimitives.ReadUInt16LittleEndian(message.AsSpan(offset));
            if (length < 4 || offset + length > message.Length)
                yield break;
            yield return (BinaryPrimitives.ReadUInt16LittleEndian(message.AsSpan(offset + 2)), message[(offset + 4)..(offset + length)]);
            offset += Align(length);
        }
    }

    private static int Align(int length) => (length + 3) & ~3;

    /// <summary>Sends a request and waits for its acknowledgement; a refusal is thrown with the kernel's errno.</summary>
    private void Request(ushort type, ushort flags, byte[] payload, string operation)
    {
        uint seq = Send(type, (ushort)(NLM_F_REQUEST | NLM_F_ACK | flags), payload, operation);
        foreach (var _ in Replies(seq, operation))
        {
        }
    }

    private IEnumerable<byte[]> Dump(ushort type, byte[] payload, string operation) =>
        Replies(Send(type, NLM_F_REQUEST | NLM_F_DUMP, payload, operation), operation);

    private uint Send(ushort type, ushort flags, byte[] payload, string operation)
    {
        uint seq = ++sequence;
        var message = new byte[HeaderSize + payload.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(message, (uint)message.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(message.AsSpan(4), type);
        BinaryPrimitives.WriteUInt16LittleEndian(message.AsSpan(6), flags);
        BinaryPrimitives.WriteUInt32LittleEndian(message.AsSpan(8), seq);
        payload.CopyTo(message, HeaderSize);
        Write(message, operation);
        return seq;
    }

    private unsafe void Write(byte[] message, string operation)
    {
        fixed (byte* bytes = message)
            Syscall.Check((long)Libc.write(fd, bytes, message.Length), operation);
    }

    private unsafe long Read(byte[] buffer, string operation)
    {
        fixed (byte* bytes = buffer)
            return Syscall.Check((long)Libc.read(fd, bytes, buffer.Length), operation);
    }

    /// <summary>The replies to <paramref name="seq"/> until its acknowledgement or the end of its dump.</summary>
    private IEnumerable<byte[]> Replies(uint seq, string operation)
    {
        var buffer = new byte[64 * 1024];
        while (true)
        {
            long received = Read(buffer, operation);
            for (int offset = 0; offset + HeaderSize <= received;)
            {
                int length = (int)BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(offset));
                ushort type = BinaryPrimitives.ReadUInt16LittleEndian(buffer.AsSpan(offset + 4));
                uint replySeq = BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(offset + 8));
                if (length < HeaderSize || offset + length > received)
                    throw new RuntimeError($"{operation}: malformed netlink reply");
                var message = buffer[offset..(offset + length)];
                offset += Align(length);
                if (replySeq != seq)
                    continue;
                if (type == NLMSG_DONE)
                    yield break;
                if (type == NLMSG_ERROR)
                {
                    int error = BinaryPrimitives.ReadInt32LittleEndian(message.AsSpan(HeaderSize));
                    if (error != 0)
                        throw RuntimeError.FromErrno(operation, -error);
                    yield break;
                }
                yield return message;
            }
        }
    }
}
