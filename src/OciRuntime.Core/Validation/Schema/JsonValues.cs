using System.Runtime.InteropServices;
using System.Text.Json;

namespace OciRuntime.Validation.Schema;

/// <summary>JSON values as draft-04 sees them: type names and exact numeric comparison.</summary>
internal static class JsonValues
{
    public static string TypeName(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        _ => "null",
    };

    /// <param name="type">a type name of the schema: "object", "integer", ...</param>
    public static bool HasType(JsonElement value, JsonElement type) =>
        type.ValueEquals("integer"u8) ? value.ValueKind == JsonValueKind.Number && IsInteger(value) : type.ValueEquals(TypeName(value));

    /// <summary>Compares as decimal so 64-bit limits such as 18446744073709551615 are exact; double only beyond decimal's range.</summary>
    public static int CompareNumbers(JsonElement left, JsonElement right) =>
        left.TryGetDecimal(out var leftDecimal) && right.TryGetDecimal(out var rightDecimal)
            ? leftDecimal.CompareTo(rightDecimal)
            : ToDouble(left).CompareTo(ToDouble(right));

    // Draft-04 (core, section 3.5) defines an integer as a number written without fraction or exponent.
    private static bool IsInteger(JsonElement number) => JsonMarshal.GetRawUtf8Value(number).IndexOfAny((byte)'.', (byte)'e', (byte)'E') < 0;

    // TryGetDouble refuses only numbers too large for a double.
    private static double ToDouble(JsonElement number) =>
        number.TryGetDouble(out var value) ? value
        : number.GetRawText().StartsWith('-') ? double.NegativeInfinity
        : double.PositiveInfinity;
}
