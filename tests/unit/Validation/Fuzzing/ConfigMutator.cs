using System.Text;
using System.Text.Json.Nodes;

namespace OciRuntime.Tests.Fuzzing;

/// <summary>One mutated document: what was done, the bytes, and the JSON Pointer an error must start with, when one must.</summary>
public sealed record ConfigMutation(int Seed, string Description, byte[] Bytes, string? MustName)
{
    public override string ToString() => $"seed {Seed}: {Description}";
}

/// <summary>
/// A seeded, deterministic config fuzzer: each seed picks one value of a valid base document and one way to break
/// it (wrong type, out-of-range number, long or control-character string, NUL, invalid UTF-8, duplicate or broken key,
/// deep nesting, removal, truncation, a stray byte). The same seed always gives the same bytes, so a failure is
/// reproduced by its seed. Shared by the unit tests (in-process loader) and the conformance tests (the binary).
/// </summary>
/// <param name="mayMutate">which JSON Pointers of the base may be touched (the conformance tests keep cgroupsPath)</param>
public sealed class ConfigMutator(string baseJson, Func<string, bool>? mayMutate = null)
{
    // Stands for a raw token the node API cannot write (invalid UTF-8, 1e400): replaced in the serialized bytes.
    private const string Placeholder = "@@fuzz@@";

    private static readonly string[] Numbers =
        ["-1", "0", "4294967296", "18446744073709551616", "-9223372036854775809", "9223372036854775808", "1e400", "-1e400", "1.5", "1e2", "-0", "99999999999999999999999999"];

    private static readonly byte[][] InvalidUtf8 =
        [[0x22, 0x78, 0xFF, 0x22], [0x22, 0xC3, 0x22], [0x22, 0xED, 0xA0, 0x80, 0x22], [0x22, 0xC0, 0xAF, 0x22], [0x22, 0x61, 0xF4, 0x90, 0x80, 0x80, 0x22], [0x22, 0xFE, 0xFF, 0x22]];

    private static readonly byte[] StrayBytes = [.. "{}[],:\"\\ 0-e"u8, 0xFF, 0x00];

    private static readonly Func<JsonNode?>[] WrongTypes =
        [() => "text", () => 42, () => -7, () => true, () => null, () => new JsonArray(), () => new JsonObject(), () => new JsonArray(1, "a", null), () => new JsonObject { ["k"] = 1 }];

    public ConfigMutation Mutate(int seed)
    {
        var random = new Random(seed);
        var root = JsonNode.Parse(baseJson)!;
        var targets = Pointers(root, "").Where(p => mayMutate?.Invoke(p) ?? true).ToList();
        var target = targets[random.Next(targets.Count)];
        var node = Find(root, target);
        byte[]? raw = null;
        string? mustName = null;
        string description;
        switch (random.Next(14))
        {
            case 0:
                var wrong = WrongTypes[random.Next(WrongTypes.Length)]();
                description = $"{target} = {wrong?.ToJsonString() ?? "null"}";
                root = Replace(root, target, wrong);
                break;
            case 1:
                var number = Numbers[random.Next(Numbers.Length)];
                description = $"{target} = {number}";
                root = Replace(root, target, Placeholder);
                raw = Encoding.ASCII.GetBytes(number);
                break;
            case 2:
                int length = new[] { 300, 5000, 200_000 }[random.Next(3)];
                description = $"{target} = a string of {length} characters";
                root = Replace(root, target, new string((char)('a' + random.Next(26)), length));
                break;
            case 3:
                description = $"{target} = a string with a NUL";
                root = Replace(root, target, Text(node) + "\0x");
                mustName = target;
                break;
            case 4:
                description = $"{target} = a string with control characters";
                root = Replace(root, target, Text(node) + "\n\r\t\u001b[31m\u007f");
                break;
            case 5:
                raw = InvalidUtf8[random.Next(InvalidUtf8.Length)];
                description = $"{target} = invalid UTF-8 {Convert.ToHexString(raw)}";
                root = Replace(root, target, Placeholder);
                mustName = target;
                break;
            case 6:
                description = $"{target} = \"\\ud800\" (a lone surrogate escape)";
                root = Replace(root, target, Placeholder);
                raw = "\"\\ud800\""u8.ToArray();
                mustName = target;
                break;
            case 7 when node?.Parent is JsonObject parent:
                description = $"{target}: duplicate key";
                var name = node.GetPropertyName();
                parent[Placeholder] = node.DeepClone();
                raw = Encoding.UTF8.GetBytes($"\"{name}\"");
                mustName = target;
                // Here the placeholder is a key: its token becomes the existing key again.
                return Build(seed, description, root, raw, mustName);
            case 8 when node is JsonObject container:
                description = $"{target}: a key of invalid UTF-8";
                container[Placeholder] = 1;
                return Build(seed, description, root, [0x22, 0x6B, 0xFF, 0x22], target);
            case 9:
                int depth = new[] { 10, 40, 63, 64, 65, 100, 5000 }[random.Next(7)];
                bool arrays = random.Next(2) == 0;
                description = $"{target} = {(arrays ? "arrays" : "objects")} nested {depth} deep";
                root = Replace(root, target, Placeholder);
                raw = Encoding.ASCII.GetBytes(arrays
                    ? new string('[', depth) + new string(']', depth)
                    : string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth));
                if (Depth(target) + depth > 64)
                    mustName = target;
                break;
            case 10 when node?.Parent is not null:
                description = $"remove {target}";
                Remove(node);
                break;
            case 11 when node is JsonObject unknown:
                description = $"{target}: an unknown key";
                unknown["fuzzUnknownKey"] = new JsonArray(1, "two", new JsonObject());
                break;
            case 12:
                var bytes = Serialize(root);
                int cut = random.Next(bytes.Length);
                return new ConfigMutation(seed, $"truncated at byte {cut} of {bytes.Length}", bytes[..cut], null);
            default:
                var flipped = Serialize(root);
                int at = random.Next(flipped.Length);
                byte value = StrayBytes[random.Next(StrayBytes.Length)];
                flipped[at] = value;
                return new ConfigMutation(seed, $"byte {at} set to 0x{value:x2}", flipped, null);
        }
        return Build(seed, description, root, raw, mustName);
    }

    private static ConfigMutation Build(int seed, string description, JsonNode? root, byte[]? raw, string? mustName)
    {
        var bytes = Serialize(root);
        if (raw is not null)
            bytes = ReplaceOnce(bytes, Encoding.UTF8.GetBytes($"\"{Placeholder}\""), raw);
        return new ConfigMutation(seed, description, bytes, mustName);
    }

    private static byte[] Serialize(JsonNode? root) => Encoding.UTF8.GetBytes(root?.ToJsonString() ?? "null");

    private static byte[] ReplaceOnce(byte[] bytes, byte[] find, byte[] with)
    {
        int at = bytes.AsSpan().IndexOf(find);
        return [.. bytes[..at], .. with, .. bytes[(at + find.Length)..]];
    }

    private static string Text(JsonNode? node) => node is JsonValue value && value.TryGetValue(out string? text) ? text : "value";

    private static int Depth(string pointer) => pointer.Count(c => c == '/');

    /// <summary>Every value's pointer, the document itself as "/".</summary>
    private static IEnumerable<string> Pointers(JsonNode? node, string pointer)
    {
        yield return pointer == "" ? "/" : pointer;
        var children = node switch
        {
            JsonObject obj => obj.Select(p => (Token: p.Key.Replace("~", "~0").Replace("/", "~1"), Node: p.Value)),
            JsonArray array => array.Select((child, i) => (Token: i.ToString(), Node: child)),
            _ => [],
        };
        foreach (var (token, child) in children.ToList())
        {
            foreach (var inner in Pointers(child, pointer + "/" + token))
                yield return inner;
        }
    }

    private static JsonNode? Find(JsonNode root, string pointer)
    {
        JsonNode? node = root;
        foreach (var token in pointer == "/" ? [] : pointer[1..].Split('/'))
        {
            var name = token.Replace("~1", "/").Replace("~0", "~");
            node = node is JsonArray array ? array[int.Parse(name)] : node![name];
        }
        return node;
    }

    /// <returns>the new root: replacing "/" replaces the whole document</returns>
    private static JsonNode? Replace(JsonNode root, string pointer, JsonNode? value)
    {
        if (pointer == "/")
            return value;
        int slash = pointer.LastIndexOf('/');
        var parent = Find(root, slash == 0 ? "/" : pointer[..slash]);
        var token = pointer[(slash + 1)..].Replace("~1", "/").Replace("~0", "~");
        if (parent is JsonArray array)
            array[int.Parse(token)] = value;
        else
            parent![token] = value;
        return root;
    }

    private static void Remove(JsonNode node)
    {
        if (node.Parent is JsonArray array)
            array.Remove(node);
        else
            ((JsonObject)node.Parent!).Remove(node.GetPropertyName());
    }
}
