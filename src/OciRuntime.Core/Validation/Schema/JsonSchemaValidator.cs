using System.Text.Json;

namespace OciRuntime.Validation.Schema;

/// <summary>
/// The project's own draft-04 JSON Schema validator (JsonSchema.Net was measured and not adopted: ARCHITECTURE.md).
/// Reflection-free, so it works under Native AOT; a schema file is parsed the first time it is needed.
/// </summary>
internal sealed class JsonSchemaValidator
{
    /// <summary>Validates against the schemas embedded in the ociruntime binary (the files of schemas/).</summary>
    public static JsonSchemaValidator Shared { get; } = new(SchemaStore.OpenEmbedded);

    private readonly SchemaStore _store;
    private readonly SchemaEvaluator _evaluator;

    /// <param name="openSchema">a schema file's UTF-8 by name, e.g. "defs.json"; empty when there is no such file</param>
    public JsonSchemaValidator(Func<string, ReadOnlyMemory<byte>> openSchema)
    {
        _store = new SchemaStore(openSchema);
        _evaluator = new SchemaEvaluator(_store);
    }

    /// <param name="schemaFile">a file of schemas/, e.g. "config-schema.json", or a schema inside one: "config-schema.json#/definitions/Process"</param>
    /// <returns>no errors when the document conforms; otherwise errors sorted by path</returns>
    public IReadOnlyList<ValidationError> Validate(JsonElement document, string schemaFile)
    {
        var errors = new List<ValidationError>();
        _evaluator.Evaluate(document, _store.Resolve(schemaFile, schemaFile), errors);
        return errors
            .Distinct()
            .Order(Comparer<ValidationError>.Create(ByPathThenMessage))
            .ToList();
    }

    private static int ByPathThenMessage(ValidationError left, ValidationError right)
    {
        var byPath = JsonPointer.Compare(left.Path, right.Path);
        return byPath != 0 ? byPath : string.CompareOrdinal(left.Message, right.Message);
    }
}
