using System.Text.Json;
using System.Text.Unicode;

namespace OciRuntime.Validation;

/// <summary>
/// Reads a JSON file the user hands the runtime (config.json, exec's process.json) so that every mistake is a
/// RuntimeError naming its JSON Pointer. Up front it refuses what System.Text.Json would let through only to fail
/// later or to decide silently: strings that are not valid UTF-8, NUL characters (no path, argument or environment
/// entry can hold one), duplicate keys (runc's Go takes the last, our schema check would see both) and deep nesting.
/// </summary>
internal static class JsonInput
{
    /// <summary>A config needs about 8 levels; System.Text.Json's own default of 64 leaves room and bounds the work.</summary>
    public const int MaxDepth = 64;

    private static readonly JsonDocumentOptions DocumentOptions =
        new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true, MaxDepth = MaxDepth };

    // One level more than we allow, so our own check, which names the limit and the place, comes first.
    private static readonly JsonReaderOptions ScanOptions =
        new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true, MaxDepth = MaxDepth + 1 };

    /// <param name="source">how errors name the file, e.g. "config.json"</param>
    public static JsonDocument Parse(byte[] bytes, string source)
    {
        if (bytes.AsSpan().Trim(" \t\r\n"u8).IsEmpty)
            throw new RuntimeError($"{source}: the file is empty, expected a JSON object");
        Scan(bytes, source);
        return JsonDocument.Parse(bytes, DocumentOptions);
    }

    /// <summary>A document the runtime read with <see cref="Parse"/> and validated before, and kept (the state dir's config.json).</summary>
    public static JsonDocument ParseValidated(byte[] bytes) => JsonDocument.Parse(bytes, DocumentOptions);

    private static void Scan(byte[] bytes, string source)
    {
        var reader = new Utf8JsonReader(bytes, ScanOptions);
        var location = new JsonLocation();
        RuntimeError Error(string pointer, string message) => new($"{source}: {pointer}: {message}");
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject or JsonTokenType.StartArray:
                        location.Enter(reader.TokenType == JsonTokenType.StartArray);
                        if (reader.CurrentDepth >= MaxDepth)
                            throw Error(location.Pointer(), $"nested more than {MaxDepth} levels deep, the limit for a JSON input");
                        break;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        location.Leave();
                        break;
                    case JsonTokenType.PropertyName:
                        var key = Text(ref reader) ?? throw Error(location.ContainerPointer(), "a key is not valid UTF-8");
                        if (!location.Key(key))
                            throw Error(location.Pointer(), $"duplicate key \"{key}\": the document is ambiguous");
                        if (key.Contains('\0'))
                            throw Error(location.Pointer(), "the key contains a NUL character");
                        break;
                    default:
                        location.Value();
                        if (reader.TokenType == JsonTokenType.String && !IsPlainText(ref reader))
                        {
                            var text = Text(ref reader) ?? throw Error(location.Pointer(), "not valid UTF-8");
                            if (text.Contains('\0'))
                                throw Error(location.Pointer(), "contains a NUL character, which no path, argument or environment entry can hold");
                        }
                        break;
                }
            }
        }
        catch (JsonException e)
        {
            // Without resource strings (Native AOT) the reason is a resource key such as "ExpectedSeparatorAfterPropertyNameNotFound".
            var reason = e.Message.Split(" LineNumber:")[0].TrimEnd('.', ' ');
            throw Error(location.ContainerPointer(), $"invalid JSON at line {e.LineNumber + 1}, column {e.BytePositionInLine + 1}: {reason}");
        }
    }

    // The common string, checked where it lies: no escapes, valid UTF-8 and no NUL byte (the reader has no raw NUL in
    // a string); anything else is made a string below, to name what is wrong.
    private static bool IsPlainText(ref Utf8JsonReader reader) =>
        !reader.ValueIsEscaped && !reader.HasValueSequence && Utf8.IsValid(reader.ValueSpan);

    // GetString transcodes to UTF-16 and throws when the bytes (raw or \u-escaped) are not valid UTF-8.
    private static string? Text(ref Utf8JsonReader reader)
    {
        try
        {
            return reader.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }
}
