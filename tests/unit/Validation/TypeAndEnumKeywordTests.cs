using OciRuntime.Validation;

namespace OciRuntime.Tests.Unit.Validation;

public class TypeAndEnumKeywordTests
{
    [Theory]
    [InlineData("object", "{}")]
    [InlineData("array", "[]")]
    [InlineData("string", "\"x\"")]
    [InlineData("number", "1.5")]
    [InlineData("number", "7")]
    [InlineData("integer", "7")]
    [InlineData("integer", "-9223372036854775808")]
    [InlineData("boolean", "false")]
    [InlineData("null", "null")]
    public void Type_accepts_a_value_of_that_type(string type, string value)
    {
        InlineSchema.Validate($$"""{ "type": "{{type}}" }""", value).Should().BeEmpty();
    }

    [Theory]
    [InlineData("array", "\"x\"", "must be of type array, got string")]
    [InlineData("object", "[]", "must be of type object, got array")]
    [InlineData("string", "1", "must be of type string, got number")]
    [InlineData("boolean", "null", "must be of type boolean, got null")]
    [InlineData("null", "true", "must be of type null, got boolean")]
    public void Type_rejects_another_type_and_names_both(string type, string value, string message)
    {
        InlineSchema.Validate($$"""{ "type": "{{type}}" }""", value)
            .Should().Equal(new ValidationError("/", message));
    }

    [Theory]
    [InlineData("1.5")]
    [InlineData("1.0")]
    [InlineData("1e3")]
    public void Integer_is_a_number_written_without_fraction_or_exponent(string value)
    {
        InlineSchema.Validate("""{ "type": "integer" }""", value)
            .Should().Equal(new ValidationError("/", "must be of type integer, got number"));
    }

    [Fact]
    public void Type_list_accepts_any_listed_type()
    {
        const string schema = """{ "type": ["array", "null"] }""";

        InlineSchema.Validate(schema, "[]").Should().BeEmpty();
        InlineSchema.Validate(schema, "null").Should().BeEmpty();
        InlineSchema.Validate(schema, "{}").Should().Equal(new ValidationError("/", "must be of type array or null, got object"));
    }

    [Fact]
    public void Type_mismatch_is_reported_alone_not_with_the_keywords_for_that_type()
    {
        InlineSchema.Validate("""{ "type": "string", "enum": ["a"], "minLength": 3 }""", "5")
            .Should().Equal(new ValidationError("/", "must be of type string, got number"));
    }

    [Fact]
    public void Enum_accepts_a_listed_value_by_json_equality()
    {
        const string schema = """{ "enum": ["pid", 1, { "a": [true] }] }""";

        InlineSchema.Validate(schema, "\"pid\"").Should().BeEmpty();
        InlineSchema.Validate(schema, "1.0").Should().BeEmpty();
        InlineSchema.Validate(schema, """{ "a": [true] }""").Should().BeEmpty();
    }

    [Fact]
    public void Enum_rejects_other_values_listing_the_allowed_ones()
    {
        InlineSchema.Validate("""{ "enum": ["pid", "network", 3] }""", "\"pidns\"")
            .Should().Equal(new ValidationError("/", "must be one of: \"pid\", \"network\", 3"));
    }

    [Fact]
    public void Unknown_keywords_are_ignored()
    {
        InlineSchema.Validate("""{ "format": "date-time", "x-vendor": 1, "description": "d" }""", "\"anything\"")
            .Should().BeEmpty();
    }
}
