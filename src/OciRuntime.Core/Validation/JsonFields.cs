using System.Globalization;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Text.Json;
using OciRuntime.Validation.Schema;

namespace OciRuntime.Validation;

/// <summary>
/// Reads the fields of a parsed JSON object into a model by hand, by the names System.Text.Json would use, without the
/// serializer's per-type metadata: setting that up for the whole config graph was a tenth of `create`. As the
/// serializer does, an absent field keeps the model's default, null is taken where the field can hold it, and a value
/// the field's type cannot hold (a string for a number, 2^32 for a uint) is an error naming its JSON Pointer.
/// </summary>
internal static class JsonFields
{
    /// <summary>The model of a document's root object; any value it cannot hold is one RuntimeError "source: /pointer: problem".</summary>
    /// <param name="source">how errors name the document, e.g. "config.json"</param>
    public static T ReadDocument<T>(JsonElement root, string source, Func<JsonElement, T> read)
    {
        if (root.ValueKind == JsonValueKind.Null)
            throw new RuntimeError($"{source}: /: must be an object, got null");
        try
        {
            return Object(root, read);
        }
        catch (FieldError e)
        {
            throw new RuntimeError($"{source}: {e.Pointer}: {e.Message}");
        }
    }

    public static string? String(this JsonElement obj, string name) => Field(obj, name, Text);

    public static bool Bool(this JsonElement obj, string name) => ValueField(obj, name, Boolean);

    public static bool? NullableBool(this JsonElement obj, string name) => NullableField(obj, name, Boolean);

    public static T Number<T>(this JsonElement obj, string name) where T : struct, IBinaryInteger<T> => ValueField(obj, name, Integer<T>);

    public static T? NullableNumber<T>(this JsonElement obj, string name) where T : struct, IBinaryInteger<T> => NullableField(obj, name, Integer<T>);

    /// <param name="read">builds the model of the field's object</param>
    public static T? Object<T>(this JsonElement obj, string name, Func<JsonElement, T> read) where T : class =>
        Field(obj, name, value => Object(value, read));

    public static List<string>? Strings(this JsonElement obj, string name) => Field(obj, name, value => List(value, Text));

    public static List<T>? Numbers<T>(this JsonElement obj, string name) where T : struct, IBinaryInteger<T> =>
        Field(obj, name, value => List(value, Integer<T>));

    public static List<T>? Objects<T>(this JsonElement obj, string name, Func<JsonElement, T> read) where T : class =>
        Field(obj, name, value => List(value, item => Object(item, read)));

    public static Dictionary<string, string>? StringMap(this JsonElement obj, string name) => Field(obj, name, value => Map(value, Text));

    public static Dictionary<string, T>? ObjectMap<T>(this JsonElement obj, string name, Func<JsonElement, T> read) where T : class =>
        Field(obj, name, value => Map(value, entry => Object(entry, read)));

    // A field of a reference type, and one of a nullable value type: absent or null, it is null.
    private static T? Field<T>(JsonElement obj, string name, Func<JsonElement, T> read) where T : class =>
        obj.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? At(name, value, read) : null;

    private static T? NullableField<T>(JsonElement obj, string name, Func<JsonElement, T> read) where T : struct =>
        obj.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? At(name, value, read) : null;

    // A field of a value type: absent, the type's default; null it cannot hold.
    private static T ValueField<T>(JsonElement obj, string name, Func<JsonElement, T> read) where T : struct =>
        obj.TryGetProperty(name, out var value) ? At(name, value, read) : default;

    private static T At<T>(string name, JsonElement value, Func<JsonElement, T> read)
    {
        try
        {
            return read(value);
        }
        catch (FieldError e)
        {
            e.Within(name);
            throw;
        }
    }

    private static T Object<T>(JsonElement value, Func<JsonElement, T> read) =>
        value.ValueKind == JsonValueKind.Object ? read(value) : throw FieldError.CannotHold();

    private static List<T> List<T>(JsonElement array, Func<JsonElement, T> readItem)
    {
        if (array.ValueKind != JsonValueKind.Array)
            throw FieldError.CannotHold();
        var list = new List<T>(array.GetArrayLength());
        try
        {
            foreach (var item in array.EnumerateArray())
                list.Add(readItem(item));
        }
        catch (FieldError e)
        {
            // The failed item is the next one.
            e.Within(list.Count.ToString(CultureInfo.InvariantCulture));
            throw;
        }
        return list;
    }

    private static Dictionary<string, T> Map<T>(JsonElement obj, Func<JsonElement, T> readValue)
    {
        if (obj.ValueKind != JsonValueKind.Object)
            throw FieldError.CannotHold();
        var map = new Dictionary<string, T>();
        foreach (var entry in obj.EnumerateObject())
            map[entry.Name] = At(entry.Name, entry.Value, readValue);
        return map;
    }

    // Unlike the serializer's List<string> and Dictionary<string, string>, no null item: the schema refuses them, and
    // an `update --resources` document, which has no schema, could otherwise hand the cgroup writers a null.
    private static string Text(JsonElement value) =>
        value.ValueKind == JsonValueKind.String ? value.GetString()! : throw FieldError.CannotHold();

    private static bool Boolean(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => throw FieldError.CannotHold(),
    };

    // As the serializer: integers only, no fraction or exponent (its 1.0 for an int fails too), within the type's range;
    // an unsigned field takes no sign, not even -0 (runc's Go refuses it too).
    private static T Integer<T>(JsonElement value) where T : struct, IBinaryInteger<T>
    {
        if (value.ValueKind != JsonValueKind.Number)
            throw FieldError.CannotHold();
        var style = T.IsNegative(T.AllBitsSet) ? NumberStyles.AllowLeadingSign : NumberStyles.None;
        return T.TryParse(JsonMarshal.GetRawUtf8Value(value), style, CultureInfo.InvariantCulture, out var number)
            ? number
            : throw new FieldError($"{value.GetRawText()} is out of range for this field");
    }

    /// <summary>A value the model cannot hold; each enclosing field, item and entry adds its name on the way out.</summary>
    private sealed class FieldError(string problem) : Exception(problem)
    {
        private readonly List<string> _namesOutward = [];

        public static FieldError CannotHold() => new("this value cannot be read into the field");

        public void Within(string name) => _namesOutward.Add(name);

        public string Pointer
        {
            get
            {
                var pointer = JsonPointer.Root;
                for (int i = _namesOutward.Count - 1; i >= 0; i--)
                    pointer = JsonPointer.Append(pointer, _namesOutward[i]);
                return pointer;
            }
        }
    }
}
