using OciRuntime.Validation;

namespace OciRuntime.Tests.Unit.Validation;

public class CombinatorKeywordTests
{
    [Fact]
    public void All_of_reports_the_errors_of_every_failing_schema()
    {
        const string schema = """{ "allOf": [{ "required": ["major"] }, { "required": ["minor"] }, { "type": "object" }] }""";

        InlineSchema.Validate(schema, """{ "major": 8, "minor": 0 }""").Should().BeEmpty();
        InlineSchema.Validate(schema, "{}").Should().Equal(
            new ValidationError("/", "missing required property \"major\""),
            new ValidationError("/", "missing required property \"minor\""));
    }

    [Fact]
    public void Any_of_passes_when_one_alternative_matches()
    {
        InlineSchema.Validate("""{ "anyOf": [{ "type": "string" }, { "minimum": 0 }] }""", "3").Should().BeEmpty();
    }

    [Fact]
    public void Any_of_reports_the_alternative_that_got_deepest_into_the_value()
    {
        const string schema = """
            {
              "anyOf": [
                { "type": "string" },
                { "type": "object", "properties": { "type": { "enum": ["pid", "network"] } } }
              ]
            }
            """;

        InlineSchema.Validate(schema, """{ "type": "pidns" }""")
            .Should().Equal(new ValidationError("/type", "must be one of: \"pid\", \"network\""));
    }

    [Fact]
    public void Any_of_prefers_the_alternative_with_fewest_errors_among_equally_deep_ones()
    {
        const string schema = """
            {
              "anyOf": [
                { "properties": { "a": { "type": "string" }, "b": { "type": "string" } } },
                { "properties": { "a": { "type": "integer" }, "b": { "type": "boolean" } } }
              ]
            }
            """;

        InlineSchema.Validate(schema, """{ "a": 1, "b": 2 }""")
            .Should().Equal(new ValidationError("/b", "must be of type boolean, got number"));
    }

    [Fact]
    public void Any_of_failing_on_the_value_itself_names_what_each_alternative_expected()
    {
        InlineSchema.Validate("""{ "anyOf": [{ "type": "string" }, { "type": "integer" }] }""", "true")
            .Should().Equal(new ValidationError("/",
                "matches no alternative: must be of type string, got boolean; must be of type integer, got boolean"));
    }

    [Fact]
    public void One_of_passes_when_exactly_one_alternative_matches()
    {
        InlineSchema.Validate("""{ "oneOf": [{ "type": "string" }, { "type": "integer" }] }""", "1").Should().BeEmpty();
    }

    [Fact]
    public void One_of_rejects_a_value_matching_several_alternatives()
    {
        InlineSchema.Validate("""{ "oneOf": [{ "type": "number" }, { "type": "string" }, { "minimum": 0 }] }""", "1")
            .Should().Equal(new ValidationError("/", "must match exactly one alternative, but matches alternatives 0, 2"));
    }

    [Fact]
    public void One_of_matching_nothing_reports_the_most_useful_alternative()
    {
        const string schema = """
            {
              "oneOf": [
                { "type": "array" },
                { "type": "object", "required": ["path"], "properties": { "path": { "type": "string" } } }
              ]
            }
            """;

        InlineSchema.Validate(schema, """{ "path": 3 }""")
            .Should().Equal(new ValidationError("/path", "must be of type string, got number"));
    }

    [Fact]
    public void Not_rejects_a_value_matching_its_schema()
    {
        const string schema = """{ "not": { "enum": ["rootfs"] } }""";

        InlineSchema.Validate(schema, "\"other\"").Should().BeEmpty();
        InlineSchema.Validate(schema, "\"rootfs\"")
            .Should().Equal(new ValidationError("/", "must not match the schema given in \"not\""));
    }
}
