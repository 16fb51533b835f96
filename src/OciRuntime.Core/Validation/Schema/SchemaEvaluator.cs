using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace OciRuntime.Validation.Schema;

/// <summary>
/// Applies the draft-04 keywords of a schema to a JSON value and collects every violation at the JSON Pointer
/// of the offending value. Keywords it does not know are ignored, as JSON Schema requires.
/// </summary>
internal sealed class SchemaEvaluator(SchemaStore store)
{
    private readonly ConcurrentDictionary<string, Regex> _patterns = new(StringComparer.Ordinal);

    /// <summary>Adds every violation of <paramref name="schema"/> by <paramref name="document"/> to <paramref name="errors"/>.</summary>
    public void Evaluate(JsonElement document, SchemaNode schema, List<ValidationError> errors) =>
        Evaluate(document, new DocumentPath(), schema, errors);

    private void Evaluate(JsonElement value, DocumentPath path, SchemaNode schema, List<ValidationError> errors)
    {
        var keywords = schema.Element;
        if (keywords.TryGetProperty("$ref"u8, out var reference))
        {
            // Draft-04: "$ref" stands for the whole schema object, its sibling keywords are ignored.
            Evaluate(value, path, store.Resolve(schema.File, reference), errors);
            return;
        }
        if (keywords.TryGetProperty("type"u8, out var type) && !MatchesType(value, type))
        {
            // The remaining keywords describe a value of the expected type: their errors would only repeat this one.
            errors.Add(new(path.Pointer(), $"must be of type {string.Join(" or ", TypeNames(type))}, got {JsonValues.TypeName(value)}"));
            return;
        }
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                EvaluateObject(value, path, schema, errors);
                break;
            case JsonValueKind.Array:
                EvaluateArray(value, path, schema, errors);
                break;
            case JsonValueKind.String:
                EvaluateString(value, path, keywords, errors);
                break;
            case JsonValueKind.Number:
                EvaluateNumber(value, path, keywords, errors);
                break;
        }
        if (keywords.TryGetProperty("enum"u8, out var allowed) && !Contains(allowed, value))
        {
            errors.Add(new(path.Pointer(), "must be one of: " + string.Join(", ", allowed.EnumerateArray().Select(a => a.GetRawText()))));
        }
        EvaluateCombinators(value, path, schema, errors);
    }

    private void EvaluateObject(JsonElement value, DocumentPath path, SchemaNode schema, List<ValidationError> errors)
    {
        var keywords = schema.Element;
        if (keywords.TryGetProperty("required"u8, out var required))
        {
            foreach (var name in required.EnumerateArray())
            {
                if (!value.TryGetProperty(name.GetString()!, out _))
                {
                    errors.Add(new(path.Pointer(), $"missing required property \"{name.GetString()}\""));
                }
            }
        }
        if (Limit(keywords, "minProperties"u8) is int minProperties && value.GetPropertyCount() < minProperties)
        {
            errors.Add(new(path.Pointer(), $"must have at least {Quantity(minProperties, "property", "properties")}"));
        }
        var hasProperties = keywords.TryGetProperty("properties"u8, out var properties);
        var hasPatterns = keywords.TryGetProperty("patternProperties"u8, out var patterns);
        var hasAdditional = keywords.TryGetProperty("additionalProperties"u8, out var additional);
        foreach (var property in value.EnumerateObject())
        {
            path.Enter(property);
            var described = false;
            if (hasProperties && TryGetSchemaOf(properties, property, out var propertySchema))
            {
                described = true;
                Evaluate(property.Value, path, schema.Child(propertySchema), errors);
            }
            if (hasPatterns)
            {
                foreach (var pattern in patterns.EnumerateObject())
                {
                    if (Pattern(pattern.Name).IsMatch(property.Name))
                    {
                        described = true;
                        Evaluate(property.Value, path, schema.Child(pattern.Value), errors);
                    }
                }
            }
            if (!described && hasAdditional)
            {
                if (additional.ValueKind == JsonValueKind.False)
                {
                    errors.Add(new(path.Pointer(), "property is not allowed"));
                }
                else if (additional.ValueKind == JsonValueKind.Object)
                {
                    Evaluate(property.Value, path, schema.Child(additional), errors);
                }
            }
            path.Leave();
        }
    }

    /// <summary>The subschema "properties" gives the property, looked up by its name as written: no string is made for it.</summary>
    private static bool TryGetSchemaOf(JsonElement properties, JsonProperty property, out JsonElement subschema)
    {
        var name = JsonMarshal.GetRawUtf8PropertyName(property);
        // An escaped name ("\u002f") is compared unescaped.
        return name.Contains((byte)'\\')
            ? properties.TryGetProperty(property.Name, out subschema)
            : properties.TryGetProperty(name, out subschema);
    }

    private void EvaluateArray(JsonElement value, DocumentPath path, SchemaNode schema, List<ValidationError> errors)
    {
        var keywords = schema.Element;
        if (keywords.TryGetProperty("items"u8, out var items))
        {
            var index = 0;
            foreach (var item in value.EnumerateArray())
            {
                // Tuple form: one schema per position; positions beyond the tuple are unconstrained.
                path.Enter(index);
                if (items.ValueKind == JsonValueKind.Object)
                {
                    Evaluate(item, path, schema.Child(items), errors);
                }
                else if (index < items.GetArrayLength())
                {
                    Evaluate(item, path, schema.Child(items[index]), errors);
                }
                path.Leave();
                index++;
            }
        }
        var count = value.GetArrayLength();
        if (Limit(keywords, "minItems"u8) is int minItems && count < minItems)
        {
            errors.Add(new(path.Pointer(), $"must have at least {Quantity(minItems, "item", "items")}"));
        }
        if (Limit(keywords, "maxItems"u8) is int maxItems && count > maxItems)
        {
            errors.Add(new(path.Pointer(), $"must have at most {Quantity(maxItems, "item", "items")}"));
        }
        if (IsTrue(keywords, "uniqueItems"u8) && FirstDuplicate(value) is (int first, int second))
        {
            errors.Add(new(path.Pointer(), $"must not contain duplicates: items {first} and {second} are equal"));
        }
    }

    private void EvaluateString(JsonElement value, DocumentPath path, JsonElement keywords, List<ValidationError> errors)
    {
        var minLength = Limit(keywords, "minLength"u8);
        var hasPattern = keywords.TryGetProperty("pattern"u8, out var pattern);
        if (minLength is null && !hasPattern)
        {
            return;
        }
        var text = value.GetString()!;
        // Draft-04 counts characters as code points, not UTF-16 units.
        if (minLength is int least && CodePoints(text) < least)
        {
            errors.Add(new(path.Pointer(), $"must be at least {Quantity(least, "character", "characters")} long"));
        }
        if (hasPattern && !Pattern(pattern.GetString()!).IsMatch(text))
        {
            errors.Add(new(path.Pointer(), $"must match pattern {pattern.GetString()}"));
        }
    }

    private static void EvaluateNumber(JsonElement value, DocumentPath path, JsonElement keywords, List<ValidationError> errors)
    {
        // Draft-04 form: exclusiveMinimum/exclusiveMaximum are booleans that make the bound strict.
        if (keywords.TryGetProperty("minimum"u8, out var minimum))
        {
            var exclusive = IsTrue(keywords, "exclusiveMinimum"u8);
            var order = JsonValues.CompareNumbers(value, minimum);
            if (order < 0 || (exclusive && order == 0))
            {
                errors.Add(new(path.Pointer(), $"must be {(exclusive ? ">" : ">=")} {minimum.GetRawText()}"));
            }
        }
        if (keywords.TryGetProperty("maximum"u8, out var maximum))
        {
            var exclusive = IsTrue(keywords, "exclusiveMaximum"u8);
            var order = JsonValues.CompareNumbers(value, maximum);
            if (order > 0 || (exclusive && order == 0))
            {
                errors.Add(new(path.Pointer(), $"must be {(exclusive ? "<" : "<=")} {maximum.GetRawText()}"));
            }
        }
    }

    private void EvaluateCombinators(JsonElement value, DocumentPath path, SchemaNode schema, List<ValidationError> errors)
    {
        var keywords = schema.Element;
        if (keywords.TryGetProperty("allOf"u8, out var allOf))
        {
            foreach (var branch in allOf.EnumerateArray())
            {
                Evaluate(value, path, schema.Child(branch), errors);
            }
        }
        if (keywords.TryGetProperty("anyOf"u8, out var anyOf))
        {
            var outcomes = EvaluateEach(value, path, schema, anyOf);
            if (outcomes.TrueForAll(o => o.Count > 0))
            {
                errors.AddRange(MostUsefulFailure(path, outcomes));
            }
        }
        if (keywords.TryGetProperty("oneOf"u8, out var oneOf))
        {
            var outcomes = EvaluateEach(value, path, schema, oneOf);
            var matching = new List<int>();
            for (var i = 0; i < outcomes.Count; i++)
            {
                if (outcomes[i].Count == 0)
                {
                    matching.Add(i);
                }
            }
            if (matching.Count == 0)
            {
                errors.AddRange(MostUsefulFailure(path, outcomes));
            }
            else if (matching.Count > 1)
            {
                errors.Add(new(path.Pointer(), $"must match exactly one alternative, but matches alternatives {string.Join(", ", matching)}"));
            }
        }
        if (keywords.TryGetProperty("not"u8, out var not))
        {
            var notErrors = new List<ValidationError>();
            Evaluate(value, path, schema.Child(not), notErrors);
            if (notErrors.Count == 0)
            {
                errors.Add(new(path.Pointer(), "must not match the schema given in \"not\""));
            }
        }
    }

    private List<List<ValidationError>> EvaluateEach(JsonElement value, DocumentPath path, SchemaNode schema, JsonElement alternatives)
    {
        var outcomes = new List<List<ValidationError>>();
        foreach (var alternative in alternatives.EnumerateArray())
        {
            var errors = new List<ValidationError>();
            Evaluate(value, path, schema.Child(alternative), errors);
            outcomes.Add(errors);
        }
        return outcomes;
    }

    /// <summary>
    /// The alternative that got furthest into the value before failing is most likely the one that was meant,
    /// so its errors are reported (the fewest, on a tie). When every alternative failed on the value itself,
    /// one error names what each of them expected.
    /// </summary>
    private static IEnumerable<ValidationError> MostUsefulFailure(DocumentPath path, List<List<ValidationError>> failures)
    {
        if (failures.Count == 1)
        {
            return failures[0];
        }
        var reach = failures.Select(f => f.Max(e => JsonPointer.Depth(e.Path))).ToList();
        var deepest = reach.Max();
        if (deepest > path.Depth)
        {
            return failures.Where((_, i) => reach[i] == deepest).MinBy(f => f.Count)!;
        }
        var expectations = failures.SelectMany(f => f).Select(e => e.Message).Distinct();
        return [new ValidationError(path.Pointer(), "matches no alternative: " + string.Join("; ", expectations))];
    }

    private static bool MatchesType(JsonElement value, JsonElement type)
    {
        if (type.ValueKind != JsonValueKind.Array)
        {
            return JsonValues.HasType(value, type);
        }
        foreach (var name in type.EnumerateArray())
        {
            if (JsonValues.HasType(value, name))
            {
                return true;
            }
        }
        return false;
    }

    private static bool Contains(JsonElement allowed, JsonElement value)
    {
        foreach (var candidate in allowed.EnumerateArray())
        {
            if (JsonElement.DeepEquals(candidate, value))
            {
                return true;
            }
        }
        return false;
    }

    // "type" is one name or an array of names.
    private static IEnumerable<string> TypeNames(JsonElement type) =>
        type.ValueKind == JsonValueKind.Array ? type.EnumerateArray().Select(t => t.GetString()!) : [type.GetString()!];

    // ECMAScript flavour: JSON Schema patterns are ECMA 262 regular expressions, matched anywhere in the string.
    private Regex Pattern(string pattern) => _patterns.GetOrAdd(pattern, static p => new Regex(p, RegexOptions.ECMAScript));

    private static (int First, int Second)? FirstDuplicate(JsonElement array)
    {
        var items = array.EnumerateArray().ToArray();
        for (var first = 0; first < items.Length; first++)
        {
            for (var second = first + 1; second < items.Length; second++)
            {
                if (JsonElement.DeepEquals(items[first], items[second]))
                {
                    return (first, second);
                }
            }
        }
        return null;
    }

    private static int CodePoints(string text)
    {
        var count = 0;
        foreach (var _ in text.EnumerateRunes())
        {
            count++;
        }
        return count;
    }

    private static int? Limit(JsonElement keywords, ReadOnlySpan<byte> name) =>
        keywords.TryGetProperty(name, out var limit) ? limit.GetInt32() : null;

    private static bool IsTrue(JsonElement keywords, ReadOnlySpan<byte> name) =>
        keywords.TryGetProperty(name, out var flag) && flag.ValueKind == JsonValueKind.True;

    private static string Quantity(int count, string singular, string plural) => $"{count} {(count == 1 ? singular : plural)}";
}
