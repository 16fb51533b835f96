using System.Text.Json;
using OciRuntime.Config;
using OciRuntime.Validation.Schema;

namespace OciRuntime.Validation;

/// <summary>
/// A config.json read into the model and checked by the semantic rules (<see cref="ConfigLoader.LoadBeforeSchema"/>),
/// whose check against the schema is still to run: before anything outside the runtime acts on the container.
/// </summary>
public sealed class ConfigBeforeSchema
{
    private JsonDocument? document;

    internal ConfigBeforeSchema(byte[] json, JsonDocument document)
    {
        Json = json;
        this.document = document;
    }

    /// <summary>The file as it was read: what create keeps in the state dir.</summary>
    public byte[] Json { get; }

    public RuntimeConfig Config { get; internal set; } = null!;

    internal JsonDocument Document => document ?? throw new InvalidOperationException("the schema check has run");

    /// <summary>The schema's check, once: a RuntimeError listing every problem as "config.json: /json/path: message"; later calls do nothing.</summary>
    public void CheckSchema()
    {
        if (document is null)
            return;
        using var checkedDocument = document;
        document = null;
        ConfigLoader.Throw(JsonSchemaValidator.Shared.Validate(checkedDocument.RootElement, "config-schema.json"));
    }
}
