using OciRuntime.Validation;

namespace OciRuntime.Tests.Unit.Validation;

public class ObjectKeywordTests
{
    [Fact]
    public void Properties_validate_each_named_property_at_its_path()
    {
        const string schema = """{ "properties": { "cwd": { "type": "string" }, "args": { "type": "array" } } }""";

        InlineSchema.Validate(schema, """{ "cwd": 1, "args": "sh" }""").Should().Equal(
            new ValidationError("/args", "must be of type array, got string"),
            new ValidationError("/cwd", "must be of type string, got number"));
    }

    [Fact]
    public void Properties_not_described_are_allowed_by_default()
    {
        InlineSchema.Validate("""{ "properties": { "a": { "type": "string" } } }""", """{ "a": "x", "b": 1 }""")
            .Should().BeEmpty();
    }

    [Fact]
    public void Required_names_each_missing_property_at_the_object()
    {
        InlineSchema.Validate("""{ "required": ["cwd", "args", "env"] }""", """{ "args": [] }""").Should().Equal(
            new ValidationError("/", "missing required property \"cwd\""),
            new ValidationError("/", "missing required property \"env\""));
    }

    [Fact]
    public void Required_is_satisfied_by_a_null_value()
    {
        InlineSchema.Validate("""{ "required": ["a"] }""", """{ "a": null }""").Should().BeEmpty();
    }

    [Fact]
    public void Additional_properties_false_rejects_undescribed_properties_at_their_path()
    {
        const string schema = """
            { "properties": { "a": {} }, "patternProperties": { "^x-": {} }, "additionalProperties": false }
            """;

        InlineSchema.Validate(schema, """{ "a": 1, "x-b": 2, "c": 3 }""")
            .Should().Equal(new ValidationError("/c", "property is not allowed"));
    }

    [Fact]
    public void Additional_properties_schema_applies_only_to_undescribed_properties()
    {
        const string schema = """{ "properties": { "a": { "type": "integer" } }, "additionalProperties": { "type": "string" } }""";

        InlineSchema.Validate(schema, """{ "a": 1, "eth0": "x", "ens4": 4 }""")
            .Should().Equal(new ValidationError("/ens4", "must be of type string, got number"));
    }

    [Fact]
    public void Pattern_properties_apply_to_every_matching_name()
    {
        const string schema = """{ "patternProperties": { ".{1,}": { "type": "string" }, "^num": { "minLength": 2 } } }""";

        InlineSchema.Validate(schema, """{ "key": "v", "num": "1", "": 5 }""")
            .Should().Equal(new ValidationError("/num", "must be at least 2 characters long"));
    }

    [Fact]
    public void Min_properties_counts_the_members()
    {
        const string schema = """{ "minProperties": 2 }""";

        InlineSchema.Validate(schema, """{ "a": 1, "b": 2 }""").Should().BeEmpty();
        InlineSchema.Validate(schema, """{ "a": 1 }""")
            .Should().Equal(new ValidationError("/", "must have at least 2 properties"));
    }

    [Fact]
    public void Object_keywords_ignore_values_that_are_not_objects()
    {
        InlineSchema.Validate("""{ "required": ["a"], "minProperties": 1 }""", "[]").Should().BeEmpty();
    }
}
