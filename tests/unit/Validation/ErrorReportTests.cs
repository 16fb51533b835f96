using OciRuntime.Validation;

namespace OciRuntime.Tests.Unit.Validation;

public class ErrorReportTests
{
    [Fact]
    public void Paths_are_json_pointers_with_escaped_tokens()
    {
        const string schema = """{ "additionalProperties": { "items": { "type": "string" } } }""";

        InlineSchema.Validate(schema, """{ "a/b~c": [1] }""")
            .Should().Equal(new ValidationError("/a~1b~0c/0", "must be of type string, got number"));
    }

    [Fact]
    public void Errors_are_sorted_by_path_with_indexes_in_numeric_order()
    {
        var document = "[" + string.Join(", ", Enumerable.Repeat("1", 11)) + "]";

        InlineSchema.Validate("""{ "items": { "type": "string" } }""", document)
            .Select(e => e.Path)
            .Should().Equal("/0", "/1", "/2", "/3", "/4", "/5", "/6", "/7", "/8", "/9", "/10");
    }

    [Fact]
    public void Root_errors_come_first_and_identical_errors_are_reported_once()
    {
        const string schema = """
            { "allOf": [{ "required": ["a"] }, { "required": ["a"] }], "properties": { "b": { "type": "string" } } }
            """;

        InlineSchema.Validate(schema, """{ "b": 1 }""").Should().Equal(
            new ValidationError("/", "missing required property \"a\""),
            new ValidationError("/b", "must be of type string, got number"));
    }

    [Fact]
    public void Error_prints_as_path_then_message()
    {
        new ValidationError("/process/args", "must be of type array, got string").ToString()
            .Should().Be("/process/args: must be of type array, got string");
    }

    [Fact]
    public void A_long_quoted_value_is_cut_so_the_error_stays_readable()
    {
        var message = $"must be an absolute path, got \"{new string('a', 100_000)}\"";

        new ValidationError("/process/cwd", message).ToString().Should().Be(
            $"/process/cwd: {message[..ValidationError.MaxPrintedMessage]}… ({message.Length - ValidationError.MaxPrintedMessage} more characters)");
    }
}
