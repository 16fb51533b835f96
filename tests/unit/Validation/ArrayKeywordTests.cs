using OciRuntime.Validation;

namespace OciRuntime.Tests.Unit.Validation;

public class ArrayKeywordTests
{
    [Fact]
    public void Items_schema_validates_every_element_at_its_index()
    {
        InlineSchema.Validate("""{ "items": { "type": "string" } }""", """["a", 1, "c", false]""").Should().Equal(
            new ValidationError("/1", "must be of type string, got number"),
            new ValidationError("/3", "must be of type string, got boolean"));
    }

    [Fact]
    public void Items_tuple_validates_by_position_and_leaves_extra_elements_alone()
    {
        const string schema = """{ "items": [{ "type": "string" }, { "type": "integer" }] }""";

        InlineSchema.Validate(schema, """["a", 1, {}]""").Should().BeEmpty();
        InlineSchema.Validate(schema, """[1]""").Should().Equal(new ValidationError("/0", "must be of type string, got number"));
    }

    [Fact]
    public void Min_items_and_max_items_bound_the_length()
    {
        const string schema = """{ "minItems": 1, "maxItems": 2 }""";

        InlineSchema.Validate(schema, """[1, 2]""").Should().BeEmpty();
        InlineSchema.Validate(schema, "[]").Should().Equal(new ValidationError("/", "must have at least 1 item"));
        InlineSchema.Validate(schema, """[1, 2, 3]""").Should().Equal(new ValidationError("/", "must have at most 2 items"));
    }

    [Fact]
    public void Unique_items_names_the_first_equal_pair()
    {
        const string schema = """{ "uniqueItems": true }""";

        InlineSchema.Validate(schema, """[1, "1", [1], {"a": 1}]""").Should().BeEmpty();
        InlineSchema.Validate(schema, """["a", {"x": [1, 2]}, "b", {"x": [1, 2]}]""")
            .Should().Equal(new ValidationError("/", "must not contain duplicates: items 1 and 3 are equal"));
    }

    [Fact]
    public void Unique_items_false_allows_duplicates()
    {
        InlineSchema.Validate("""{ "uniqueItems": false }""", """[1, 1]""").Should().BeEmpty();
    }
}
