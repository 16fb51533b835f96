using OciRuntime.Validation;

namespace OciRuntime.Tests.Unit.Validation;

public class NumberAndStringKeywordTests
{
    private const string Uint64 = """{ "type": "integer", "minimum": 0, "maximum": 18446744073709551615 }""";

    [Theory]
    [InlineData("0")]
    [InlineData("18446744073709551615")]
    public void Minimum_and_maximum_are_inclusive_and_exact_at_64_bit_limits(string value)
    {
        InlineSchema.Validate(Uint64, value).Should().BeEmpty();
    }

    [Theory]
    [InlineData("-1", "must be >= 0")]
    [InlineData("18446744073709551616", "must be <= 18446744073709551615")]
    [InlineData("100000000000000000000000000000000000000000", "must be <= 18446744073709551615")]
    public void Minimum_and_maximum_reject_values_outside(string value, string message)
    {
        InlineSchema.Validate(Uint64, value).Should().Equal(new ValidationError("/", message));
    }

    [Fact]
    public void Exclusive_bounds_in_draft_04_boolean_form_make_the_bound_strict()
    {
        const string schema = """{ "minimum": 0, "exclusiveMinimum": true, "maximum": 1.5, "exclusiveMaximum": true }""";

        InlineSchema.Validate(schema, "0.5").Should().BeEmpty();
        InlineSchema.Validate(schema, "0").Should().Equal(new ValidationError("/", "must be > 0"));
        InlineSchema.Validate(schema, "1.5").Should().Equal(new ValidationError("/", "must be < 1.5"));
    }

    [Fact]
    public void Number_keywords_ignore_values_that_are_not_numbers()
    {
        InlineSchema.Validate("""{ "minimum": 5 }""", "\"1\"").Should().BeEmpty();
    }

    [Fact]
    public void Pattern_matches_anywhere_unless_anchored()
    {
        InlineSchema.Validate("""{ "pattern": "MB" }""", "\"64MB\"").Should().BeEmpty();
        InlineSchema.Validate("""{ "pattern": "^[1-9][0-9]*[KMG]B$" }""", "\"64kB\"")
            .Should().Equal(new ValidationError("/", "must match pattern ^[1-9][0-9]*[KMG]B$"));
    }

    [Fact]
    public void Pattern_digit_class_is_ascii_as_in_ecmascript()
    {
        InlineSchema.Validate("""{ "pattern": "^\\d+$" }""", "\"١٢\"")
            .Should().Equal(new ValidationError("/", "must match pattern ^\\d+$"));
    }

    [Fact]
    public void Min_length_counts_code_points()
    {
        const string schema = """{ "minLength": 2 }""";

        InlineSchema.Validate(schema, "\"ab\"").Should().BeEmpty();
        InlineSchema.Validate(schema, "\"😀\"").Should().Equal(new ValidationError("/", "must be at least 2 characters long"));
        InlineSchema.Validate("""{ "minLength": 1 }""", "\"\"").Should().Equal(new ValidationError("/", "must be at least 1 character long"));
    }

    [Fact]
    public void String_keywords_ignore_values_that_are_not_strings()
    {
        InlineSchema.Validate("""{ "pattern": "^a$", "minLength": 3 }""", "12").Should().BeEmpty();
    }
}
