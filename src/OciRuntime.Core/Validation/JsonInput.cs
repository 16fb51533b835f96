using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using OciRuntime.Validation.Schema;

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

    /// <summary>The model of a parsed document; a value the model cannot hold (a number out of range) is named by its pointer.</summary>
    public static T Deserialize<T>(JsonDocument document, JsonTypeInfo<T> type, string source) where T : class
    {
        try
        {
            return document.Deserialize(type) ?? throw new RuntimeError($"{source}: /: must be an object, got null");
        }
        catch (JsonException e)
        {
            var pointer = PointerOf(e.Path);
            var value = JsonPointer.Resolve(document.RootElement, pointer);
            throw new RuntimeError(value is { ValueKind: JsonValueKind.Number } number
                ? $"{source}: {pointer}: {number.GetRawText()} is out of range for this field"
                : $"{source}: {pointer}: this value cannot be read into the field");
        }
    }

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
                        if (reader.TokenType == JsonTokenType.String)
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

    /// <summary>System.Text.Json names a value "$.process.args[0]" or "$['odd.key']"; errors use JSON Pointers.</summary>
    internal static string PointerOf(string? path)
    {
        var pointer = JsonPointer.Root;
        int i = 1;
        while (path is not null && i < path.Length)
        {
            if (path.AsSpan(i).StartsWith("['") && path.IndexOf("']", i + 2, StringComparison.Ordinal) is var close and >= 0)
            {
                pointer = JsonPointer.Append(pointer, path[(i + 2)..close]);
                i = close + 2;
            }
            else if (path[i] == '[' && path.IndexOf(']', i) is var end and >= 0 && int.TryParse(path.AsSpan(i + 1, end - i - 1), out int index))
            {
                pointer = JsonPointer.Append(pointer, index);
                i = end + 1;
            }
            else if (path[i] == '.')
            {
                int next = path.IndexOfAny(['.', '['], i + 1);
                next = next < 0 ? path.Length : next;
                pointer = JsonPointer.Append(pointer, path[(i + 1)..next]);
                i = next;
            }
            else
            {
                break;
            }
        }
        return pointer;
    }
}
