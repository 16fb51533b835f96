namespace OciRuntime.Tests.Conformance.Infrastructure;

/// <summary>Where two JSON documents differ, field by field, as JSON pointers: for comparing config documents.</summary>
public static class JsonDifferences
{
    /// <summary>One line per differing field ("/process/terminal: false, expected true"); empty when they are equal.</summary>
    public static IReadOnlyList<string> Between(JsonNode? actual, JsonNode? expected)
    {
        var differences = new List<string>();
        Compare(actual, expected, "", differences);
        return differences;
    }

    private static void Compare(JsonNode? actual, JsonNode? expected, string pointer, List<string> differences)
    {
        if (actual is JsonObject a && expected is JsonObject e)
        {
            foreach (var name in a.Select(p => p.Key).Union(e.Select(p => p.Key)))
                Compare(a[name], e[name], $"{pointer}/{name}", differences);
        }
        else if (actual is JsonArray aa && expected is JsonArray ea && aa.Count == ea.Count)
        {
            for (int i = 0; i < aa.Count; i++)
                Compare(aa[i], ea[i], $"{pointer}/{i}", differences);
        }
        else if (!JsonNode.DeepEquals(actual, expected))
            differences.Add($"{(pointer.Length == 0 ? "/" : pointer)}: {Show(actual)}, expected {Show(expected)}");
    }

    private static string Show(JsonNode? node) => node?.ToJsonString() ?? "(absent)";
}
