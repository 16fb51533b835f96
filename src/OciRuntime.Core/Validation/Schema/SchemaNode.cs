using System.Text.Json;

namespace OciRuntime.Validation.Schema;

/// <summary>A schema object together with the file it lives in, which is what a local "#/..." $ref is relative to.</summary>
internal readonly record struct SchemaNode(string File, JsonElement Element)
{
    public SchemaNode Child(JsonElement subschema) => new(File, subschema);
}
