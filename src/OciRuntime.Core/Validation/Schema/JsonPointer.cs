using System.Text.Json;

namespace OciRuntime.Validation.Schema;

/// <summary>Builds and orders RFC 6901 JSON Pointers into the validated document; the document itself is written "/" so it reads as a path.</summary>
internal static class JsonPointer
{
    public const string Root = "/";

    public static string Append(string pointer, string propertyName) =>
        Prefix(pointer) + "/" + propertyName.Replace("~", "~0").Replace("/", "~1");

    public static string Append(string pointer, int index) => Prefix(pointer) + "/" + index;

    /// <summary>The value the pointer names in <paramref name="document"/>, or null when there is none.</summary>
    public static JsonElement? Resolve(JsonElement document, string pointer)
    {
        foreach (var token in Tokens(pointer))
        {
            var name = token.Replace("~1", "/").Replace("~0", "~");
            if (document.ValueKind == JsonValueKind.Object && document.TryGetProperty(name, out var member))
                document = member;
            else if (document.ValueKind == JsonValueKind.Array && int.TryParse(name, out int index) && index >= 0 && index < document.GetArrayLength())
                document = document[index];
            else
                return null;
        }
        return document;
    }

    /// <summary>Number of reference tokens: how far into the document the pointer reaches.</summary>
    public static int Depth(string pointer) => pointer == Root ? 0 : pointer.Count(c => c == '/');

    /// <summary>Orders token by token, array indexes numerically, so "/a/2" comes before "/a/10".</summary>
    public static int Compare(string left, string right)
    {
        var leftTokens = Tokens(left);
        var rightTokens = Tokens(right);
        for (var i = 0; i < Math.Min(leftTokens.Length, rightTokens.Length); i++)
        {
            var order = CompareTokens(leftTokens[i], rightTokens[i]);
            if (order != 0)
            {
                return order;
            }
        }
        return leftTokens.Length.CompareTo(rightTokens.Length);
    }

    private static int CompareTokens(string left, string right)
    {
        // Array indexes have no leading zeros, so the shorter one is the smaller.
        if (IsIndex(left) && IsIndex(right) && left.Length != right.Length)
        {
            return left.Length.CompareTo(right.Length);
        }
        return string.CompareOrdinal(left, right);
    }

    private static string Prefix(string pointer) => pointer == Root ? "" : pointer;

    private static string[] Tokens(string pointer) => pointer == Root ? [] : pointer[1..].Split('/');

    private static bool IsIndex(string token) => token.Length > 0 && token.All(char.IsAsciiDigit);
}
