using System.Text;

namespace OciRuntime.Checkpoint;

/// <summary>
/// The protobuf wire format (varints, length-delimited fields), as much as CRIU's RPC needs: written by hand rather than
/// with Google.Protobuf, whose runtime and generated code would add about a megabyte to the one binary for a dozen
/// messages, and need protoc in the build. Nothing here runs outside `checkpoint` and `restore`.
/// </summary>
internal sealed class ProtobufWriter
{
    private const int Varint = 0, LengthDelimited = 2;
    private readonly MemoryStream buffer = new();

    public byte[] ToArray() => buffer.ToArray();

    public ProtobufWriter Int32(int field, int? value) =>
        // A negative int32 is its 64-bit two's complement on the wire (ten bytes), as protoc writes it.
        value is { } v ? VarintField(field, (ulong)(long)v) : this;

    public ProtobufWriter UInt32(int field, uint? value) => value is { } v ? VarintField(field, v) : this;

    public ProtobufWriter Bool(int field, bool? value) => value is { } v ? VarintField(field, v ? 1UL : 0UL) : this;

    public ProtobufWriter String(int field, string? value) => value is null ? this : Bytes(field, Encoding.UTF8.GetBytes(value));

    public ProtobufWriter Message(int field, ProtobufWriter? message) => message is null ? this : Bytes(field, message.ToArray());

    private ProtobufWriter VarintField(int field, ulong value)
    {
        WriteVarint((ulong)(field << 3 | Varint));
        WriteVarint(value);
        return this;
    }

    private ProtobufWriter Bytes(int field, byte[] bytes)
    {
        WriteVarint((ulong)(field << 3 | LengthDelimited));
        WriteVarint((ulong)bytes.Length);
        buffer.Write(bytes);
        return this;
    }

    private void WriteVarint(ulong value)
    {
        while (value >= 0x80)
        {
            buffer.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }
        buffer.WriteByte((byte)value);
    }
}

/// <summary>Reads a message's fields one by one: each field's number with its varint value or its bytes.</summary>
internal ref struct ProtobufReader(ReadOnlySpan<byte> message)
{
    private ReadOnlySpan<byte> rest = message;

    public int Field { get; private set; }
    public ulong Value { get; private set; }
    public ReadOnlySpan<byte> Bytes { get; private set; }

    public readonly string Text => Encoding.UTF8.GetString(Bytes);

    /// <summary>Moves to the next field; false at the end. Fixed-width fields (none in CRIU's answers) are skipped.</summary>
    public bool Next()
    {
        while (!rest.IsEmpty)
        {
            ulong key = ReadVarint();
            Field = (int)(key >> 3);
            switch ((int)(key & 7))
            {
                case 0:
                    Value = ReadVarint();
                    return true;
                case 2:
                    int length = checked((int)ReadVarint());
                    Bytes = Take(length);
                    return true;
                case 1:
                    Take(8);
                    break;
                case 5:
                    Take(4);
                    break;
                default:
                    throw new RuntimeError($"criu's answer is not a protobuf message (wire type {key & 7})");
            }
        }
        return false;
    }

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count > rest.Length)
            throw new RuntimeError("criu's answer is a truncated protobuf message");
        var taken = rest[..count];
        rest = rest[count..];
        return taken;
    }

    private ulong ReadVarint()
    {
        ulong value = 0;
        for (int shift = 0; shift < 64; shift += 7)
        {
            byte b = Take(1)[0];
            value |= (ulong)(b & 0x7f) << shift;
            if (b < 0x80)
                return value;
        }
        throw new RuntimeError("criu's answer has a varint longer than 64 bits");
    }
}
