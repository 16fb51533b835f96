using OciRuntime.Validation;

namespace OciRuntime.Tests.Unit.Validation;

public class ReferenceKeywordTests
{
    private const string Defs = """
        {
          "definitions": {
            "uint32": { "type": "integer", "minimum": 0, "maximum": 4294967295 },
            "UID": { "$ref": "#/definitions/uint32" },
            "a/b~c": { "type": "string" }
          }
        }
        """;

    [Fact]
    public void Local_reference_resolves_in_the_same_file()
    {
        const string schema = """
            { "properties": { "uid": { "$ref": "#/definitions/id" } }, "definitions": { "id": { "minimum": 0 } } }
            """;

        InlineSchema.Validate(schema, """{ "uid": -1 }""").Should().Equal(new ValidationError("/uid", "must be >= 0"));
    }

    [Fact]
    public void Cross_file_reference_resolves_and_further_local_references_stay_in_that_file()
    {
        const string schema = """{ "properties": { "uid": { "$ref": "defs.json#/definitions/UID" } } }""";

        InlineSchema.Validate(schema, """{ "uid": 4294967296 }""", ("defs.json", Defs))
            .Should().Equal(new ValidationError("/uid", "must be <= 4294967295"));
    }

    [Fact]
    public void Reference_to_a_file_without_fragment_means_its_root()
    {
        InlineSchema.Validate("""{ "$ref": "string.json" }""", "1", ("string.json", """{ "type": "string" }"""))
            .Should().Equal(new ValidationError("/", "must be of type string, got number"));
    }

    [Fact]
    public void Reference_tokens_are_unescaped()
    {
        InlineSchema.Validate("""{ "$ref": "defs.json#/definitions/a~1b~0c" }""", "1", ("defs.json", Defs))
            .Should().Equal(new ValidationError("/", "must be of type string, got number"));
    }

    [Fact]
    public void Keywords_beside_a_reference_are_ignored_as_in_draft_04()
    {
        InlineSchema.Validate("""{ "$ref": "#/definitions/any", "type": "string", "definitions": { "any": {} } }""", "1")
            .Should().BeEmpty();
    }

    [Fact]
    public void Unresolvable_reference_is_a_schema_bug_and_throws()
    {
        var validate = () => InlineSchema.Validate("""{ "$ref": "defs.json#/definitions/Nope" }""", "1", ("defs.json", Defs));

        validate.Should().Throw<InvalidOperationException>().WithMessage("*defs.json#/definitions/Nope*");
    }

    [Fact]
    public void Missing_schema_file_throws()
    {
        var validate = () => InlineSchema.Validate("""{ "$ref": "absent.json" }""", "1");

        validate.Should().Throw<InvalidOperationException>().WithMessage("*absent.json*");
    }
}
