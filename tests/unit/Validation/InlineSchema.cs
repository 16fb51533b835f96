using OciRuntime.Validation.Schema;
using System.Text;
using System.Text.Json;
using OciRuntime.Validation;

namespace OciRuntime.Tests.Unit.Validation;

/// <summary>Runs the validator on schemas written in the test itself, so each keyword is tested apart from the project's schemas.</summary>
internal static class InlineSchema
{
    public const string File = "test.json";

    public static IReadOnlyList<ValidationError> Validate(string schema, string document, params (string File, string Json)[] otherSchemas)
    {
        var files = otherSchemas.ToDictionary(s => s.File, s => s.Json);
        files[File] = schema;
        var validator = new JsonSchemaValidator(file =>
            files.TryGetValue(file, out var json) ? Encoding.UTF8.GetBytes(json) : ReadOnlyMemory<byte>.Empty);
        using var parsed = JsonDocument.Parse(document);
        return validator.Validate(parsed.RootElement, File);
    }
}
