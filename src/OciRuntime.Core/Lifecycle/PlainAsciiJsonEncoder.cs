using System.Buffers;
using System.Text.Encodings.Web;

namespace OciRuntime.Lifecycle;

/// <summary>
/// Utf8JsonWriter's escaping without an encoder, byte for byte, but without building <see cref="JavaScriptEncoder.Default"/>
/// (about 35 KB of tables, a twentieth of a `create`'s allocations) for text that needs no escaping: the writer asks
/// that encoder even to find out that an id or a path is plain ASCII. Text that is not plain ASCII is searched by
/// <see cref="JavaScriptEncoder.Default"/>; from the first character to escape on, ASCII is escaped as the writer itself
/// does (System.Text.Json's JsonWriterHelper.Escaping: "\n", "\u0022", ...) and the rest from the first non-ASCII
/// character goes to <see cref="JavaScriptEncoder.Default"/>, where the writer sends it. UTF-8 text that needs escaping
/// (state.json writes strings, so only a caller's bytes) is escaped by the base class, scalar by scalar, through
/// <see cref="TryEncodeUnicodeScalar"/>: the same bytes, as the tests show.
/// </summary>
internal sealed unsafe class PlainAsciiJsonEncoder : JavaScriptEncoder
{
    public static readonly PlainAsciiJsonEncoder Instance = new();

    private PlainAsciiJsonEncoder()
    {
    }

    /// <summary>What the writer leaves as it is: ' ' to '~' but the characters it escapes as hex or with a backslash.</summary>
    private static bool IsPlain(int c) => c is >= 0x20 and <= 0x7E and not ('"' or '&' or '\'' or '+' or '<' or '>' or '\\' or '`');

    public override int MaxOutputCharactersPerInputCharacter => Default.MaxOutputCharactersPerInputCharacter;

    public override int FindFirstCharacterToEncodeUtf8(ReadOnlySpan<byte> utf8Text)
    {
        foreach (byte b in utf8Text)
        {
            if (!IsPlain(b))
                return Default.FindFirstCharacterToEncodeUtf8(utf8Text);
        }
        return -1;
    }

    public override int FindFirstCharacterToEncode(char* text, int textLength)
    {
        foreach (char c in new ReadOnlySpan<char>(text, textLength))
        {
            if (!IsPlain(c))
                return Default.FindFirstCharacterToEncode(text, textLength);
        }
        return -1;
    }

    public override bool WillEncode(int unicodeScalar) => Default.WillEncode(unicodeScalar);

    public override bool TryEncodeUnicodeScalar(int unicodeScalar, char* buffer, int bufferLength, out int numberOfCharactersWritten) =>
        Default.TryEncodeUnicodeScalar(unicodeScalar, buffer, bufferLength, out numberOfCharactersWritten);

    public override OperationStatus Encode(ReadOnlySpan<char> source, Span<char> destination, out int charsConsumed, out int charsWritten,
        bool isFinalBlock = true)
    {
        charsConsumed = charsWritten = 0;
        Span<char> escape = stackalloc char[6];
        for (; charsConsumed < source.Length; charsConsumed++)
        {
            char c = source[charsConsumed];
            if (c > 0x7F)
            {
                var status = Default.Encode(source[charsConsumed..], destination[charsWritten..], out int consumed, out int written, isFinalBlock);
                charsConsumed += consumed;
                charsWritten += written;
                return status;
            }
            if (IsPlain(c))
            {
                if (charsWritten == destination.Length)
                    return OperationStatus.DestinationTooSmall;
                destination[charsWritten++] = c;
                continue;
            }
            var escaped = Escape(c, escape);
            if (!escaped.TryCopyTo(destination[charsWritten..]))
                return OperationStatus.DestinationTooSmall;
            charsWritten += escaped.Length;
        }
        return OperationStatus.Done;
    }

    /// <summary>The writer's escape of an ASCII character: a backslash form where JSON has one (a quote as hex), else \uXXXX.</summary>
    private static ReadOnlySpan<char> Escape(char c, Span<char> buffer)
    {
        buffer[0] = '\\';
        buffer[1] = c switch
        {
            '\n' => 'n',
            '\r' => 'r',
            '\t' => 't',
            '\\' => '\\',
            '\b' => 'b',
            '\f' => 'f',
            _ => 'u',
        };
        if (buffer[1] != 'u')
            return buffer[..2];
        ((int)c).TryFormat(buffer[2..], out _, "X4");
        return buffer[..6];
    }
}
