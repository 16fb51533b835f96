using System.Text.Json;
using OciRuntime.Spec;

namespace OciRuntime.Validation;

/// <summary>Reads a bundle's config.json: JSON syntax, the project's schema, the model, then the semantic rules.</summary>
public static class ConfigLoader
{
    public const string FileName = "config.json";

    /// <summary>The parsed config, or a RuntimeError listing every problem as "config.json: /json/path: message".</summary>
    public static RuntimeConfig Load(string bundle)
    {
        string path = Path.Combine(bundle, FileName);
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new RuntimeError($"{path}: no such file (is --bundle the bundle directory?)");
        }
        return Parse(bytes);
    }

    public static RuntimeConfig Parse(byte[] bytes)
    {
        RuntimeConfig? config;
        try
        {
            using var document = JsonDocument.Parse(bytes, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            Throw(JsonSchemaValidator.Shared.Validate(document.RootElement, "config-schema.json"));
            config = document.Deserialize(RuntimeJsonContext.Default.RuntimeConfig);
        }
        catch (JsonException e)
        {
            throw new RuntimeError($"{FileName}: invalid JSON: {e.Message}");
        }
        Throw(SemanticValidator.Validate(config ?? throw new RuntimeError($"{FileName}: empty document")));
        return config;
    }

    private static void Throw(IReadOnlyList<ValidationError> errors)
    {
        if (errors.Count > 0)
            throw new RuntimeError(string.Join("\n", errors.Select(e => $"{FileName}: {e}")));
    }
}
