using System.Text.Json;

namespace OciRuntime.Validation;

/// <summary>Checks a JSON document against one of the project's schemas; the seam where a JSON Schema library could replace our own validator.</summary>
internal interface ISchemaValidator
{
    /// <param name="schemaFile">a file of schemas/, e.g. "config-schema.json", or a schema inside one: "config-schema.json#/definitions/Process"</param>
    /// <returns>no errors when the document conforms; otherwise errors sorted by path</returns>
    IReadOnlyList<ValidationError> Validate(JsonElement document, string schemaFile);
}
