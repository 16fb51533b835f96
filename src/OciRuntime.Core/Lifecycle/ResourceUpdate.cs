using System.Text.Json;
using System.Text.Json.Nodes;
using OciRuntime.Config;

namespace OciRuntime.Lifecycle;

/// <summary>What `update` keeps: the container's linux.resources with every field the update gave replaced.</summary>
internal static class ResourceUpdate
{
    /// <summary>A field-by-field merge: objects merge recursively, values and arrays given in the update replace the old ones.</summary>
    public static LinuxResources Overlay(LinuxResources? current, LinuxResources changes)
    {
        var merged = JsonSerializer.SerializeToNode(current ?? new LinuxResources(), RuntimeJsonContext.Default.LinuxResources)!.AsObject();
        Merge(merged, JsonSerializer.SerializeToNode(changes, RuntimeJsonContext.Default.LinuxResources)!.AsObject());
        // Read back as every config is, so the serializer's metadata only ever writes.
        using var document = JsonDocument.Parse(merged.ToJsonString());
        return ConfigReader.Resources(document.RootElement, "the updated resources");
    }

    private static void Merge(JsonObject target, JsonObject changes)
    {
        foreach (var (name, value) in changes.ToList())
        {
            if (value is JsonObject changed && target[name] is JsonObject existing)
                Merge(existing, changed);
            else
                target[name] = value?.DeepClone();
        }
    }
}
