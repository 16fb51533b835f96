namespace OciRuntime.Tests.Conformance.Infrastructure;

/// <summary>The output of `state &lt;id&gt;` (runtime.md "State"), with the raw document for extra fields.</summary>
public sealed record ContainerState(string? OciVersion, string? Id, string? Status, int Pid, string? Bundle, JsonObject Json)
{
    public static ContainerState Parse(string json)
    {
        var document = JsonNode.Parse(json)!.AsObject();
        return new ContainerState(
            (string?)document["ociVersion"],
            (string?)document["id"],
            (string?)document["status"],
            (int?)document["pid"] ?? 0,
            (string?)document["bundle"],
            document);
    }
}
