using System.Text.Json;

namespace OciRuntime.Validation.Schema;

/// <summary>
/// Parses each schema file on first use and keeps it for the life of the process, and resolves
/// "$ref" values ("#/definitions/X", "defs.json#/definitions/X") across those files.
/// </summary>
internal sealed class SchemaStore(Func<string, Stream?> openSchema)
{
    private readonly Dictionary<string, JsonDocument> _documents = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>Opens a schema embedded in the ociruntime binary by OciRuntime.csproj.</summary>
    public static Stream? OpenEmbedded(string file) =>
        typeof(SchemaStore).Assembly.GetManifestResourceStream("schemas/" + file);

    public SchemaNode Root(string file)
    {
        lock (_lock)
        {
            return new SchemaNode(file, Document(file).RootElement);
        }
    }

    /// <param name="baseFile">the file holding the "$ref", which a reference without a file name points into</param>
    public SchemaNode Resolve(string baseFile, string reference)
    {
        var hash = reference.IndexOf('#');
        var file = hash switch
        {
            0 => baseFile,
            < 0 => reference,
            _ => reference[..hash],
        };
        var fragment = hash < 0 ? "" : reference[(hash + 1)..];
        var element = Root(file).Element;
        // The fragment is a JSON Pointer inside a URI: percent-decoded first, then "~1" and "~0" unescaped.
        foreach (var token in fragment.Split('/').Skip(1))
        {
            var name = Uri.UnescapeDataString(token).Replace("~1", "/").Replace("~0", "~");
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out element))
            {
                throw new InvalidOperationException($"schema {baseFile}: cannot resolve $ref \"{reference}\"");
            }
        }
        return new SchemaNode(file, element);
    }

    private JsonDocument Document(string file)
    {
        if (!_documents.TryGetValue(file, out var document))
        {
            using var stream = openSchema(file) ?? throw new InvalidOperationException($"schema \"{file}\" does not exist");
            document = JsonDocument.Parse(stream);
            _documents[file] = document;
        }
        return document;
    }
}
