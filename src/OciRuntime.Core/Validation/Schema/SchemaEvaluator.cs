using System.Collections.Concurrent;
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

    public void Evaluate(JsonElement value, string path, SchemaNode schema, List<ValidationError> errors)
    {
        var keywords = schema.Element;
        if (keywords.TryGetProperty("$ref", out var reference))
        {
            // Draft-04: "$ref" stands for the whole schema object, its sibling keywords are ignored.
            Evaluate(value, path, store.Resolve(schema.File, reference.GetString()!), errors);
            return;
        }
        if (keywords.TryGetProperty("type", out var type) && !MatchesType(value, type))
        {
            // The remaining keywords describe a value of the expected type: their errors would only repeat this one.
            errors.Add(new(path, $"must be of type {string.Join(" or ", TypeNames(type))}, got {JsonValues.TypeName(value)}"));
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
        if (keywords.TryGetProperty("enum", out var allowed) && !allowed.EnumerateArray().Any(a => JsonElement.DeepEquals(a, value)))
        {
            errors.Add(new(path, "must be one of: " + string.Join(", ", allowed.EnumerateArray().Select(a => a.GetRawText()))));
        }
        EvaluateCombinators(value, path, schema, errors);
    }

    private void EvaluateObject(JsonElement value, string path, SchemaNode schema, List<ValidationError> errors)
    {
        var keywords = schema.Element;
        if (keywords.TryGetProperty("required", out var required))
        {
            foreach (var name in required.EnumerateArray().Select(n => n.GetString()!))
            {
                if (!value.TryGetProperty(name, out _))
                {
                    errors.Add(new(path, $"missing required property \"{name}\""));
                }
            }
        }
        if (Limit(keywords, "minProperties") is int minProperties && value.EnumerateObject().Count() < minProperties)
        {
            errors.Add(new(path, $"must have at least {Quantity(minProperties, "property", "properties")}"));
        }
        var hasProperties = keywords.TryGetProperty("properties", out var properties);
        var hasPatterns = keywords.TryGetProperty("patternProperties", out var patterns);
        var hasAdditional = keywords.TryGetProperty("additionalProperties", out var additional);
        foreach (var property in value.EnumerateObject())
        {
            var propertyPath = JsonPointer.Append(path, property.Name);
            var described = false;
            if (hasProperties && properties.TryGetProperty(property.Name, out var propertySchema))
            {
                described = true;
                Evaluate(property.Value, propertyPath, schema.Child(propertySchema), errors);
            }
            if (hasPatterns)
            {
                foreach (var pattern in patterns.EnumerateObject().Where(p => Pattern(p.Name).IsMatch(property.Name)))
                {
                    described = true;
                    Evaluate(property.Value, propertyPath, schema.Child(pattern.Value), errors);
                }
            }
            if (described || !hasAdditional)
            {
                continue;
            }
            if (additional.ValueKind == JsonValueKind.False)
            {
                errors.Add(new(propertyPath, "property is not allowed"));
            }
            else if (additional.ValueKind == JsonValueKind.Object)
            {
                Evaluate(property.Value, propertyPath, schema.Child(additional), errors);
            }
        }
    }

    private void EvaluateArray(JsonElement value, string path, SchemaNode schema, List<ValidationError> errors)
    {
        var keywords = schema.Element;
        if (keywords.TryGetProperty("items", out var items))
        {
            var index = 0;
            foreach (var item in value.EnumerateArray())
            {
                // Tuple form: one schema per position; positions beyond the tuple are unconstrained.
                if (items.ValueKind == JsonValueKind.Object)
                {
                    Evaluate(item, JsonPointer.Append(path, index), schema.Child(items), errors);
                }
                else if (index < items.GetArrayLength())
                {
                    Evaluate(item, JsonPointer.Append(path, index), schema.Child(items[index]), errors);
                }
                index++;
            }
        }
        var count = value.GetArrayLength();
        if (Limit(keywords, "minItems") is int minItems && count < minItems)
        {
            errors.Add(new(path, $"must have at least {Quantity(minItems, "item", "items")}"));
        }
        if (Limit(keywords, "maxItems") is int maxItems && count > maxItems)
        {
            errors.Add(new(path, $"must have at most {Quantity(maxItems, "item", "items")}"));
        }
        if (keywords.TryGetProperty("uniqueItems", out var unique) && unique.ValueKind == JsonValueKind.True
            && FirstDuplicate(value) is (int first, int second))
        {
            errors.Add(new(path, $"must not contain duplicates: items {first} and {second} are equal"));
        }
    }

    private void EvaluateString(JsonElement value, string path, JsonElement keywords, List<ValidationError> errors)
    {
        var text = value.GetString()!;
        // Draft-04 counts characters as code points, not UTF-16 units.
        if (Limit(keywords, "minLength") is int minLength && text.EnumerateRunes().Count() < minLength)
        {
            errors.Add(new(path, $"must be at least {Quantity(minLength, "character", "characters")} long"));
        }
        if (keywords.TryGetProperty("pattern", out var pattern) && !Pattern(pattern.GetString()!).IsMatch(text))
        {
            errors.Add(new(path, $"must match pattern {pattern.GetString()}"));
        }
    }

    private static void EvaluateNumber(JsonElement value, string path, JsonElement keywords, List<ValidationError> errors)
    {
        // Draft-04 form: exclusiveMinimum/exclusiveMaximum are booleans that make the bound strict.
        if (keywords.TryGetProperty("minimum", out var minimum))
        {
            var exclusive = IsTrue(keywords, "exclusiveMinimum");
            var order = JsonValues.CompareNumbers(value, minimum);
            if (order < 0 || (exclusive && order == 0))
            {
                errors.Add(new(path, $"must be {(exclusive ? ">" : ">=")} {minimum.GetRawText()}"));
            }
        }
        if (keywords.TryGetProperty("maximum", out var maximum))
        {
            var exclusive = IsTrue(keywords, "exclusiveMaximum");
            var order = JsonValues.CompareNumbers(value, maximum);
            if (order > 0 || (exclusive && order == 0))
            {
                errors.Add(new(path, $"must be {(exclusive ? "<" : "<=")} {maximum.GetRawText()}"));
            }
        }
    }

    private void EvaluateCombinators(JsonElement value, string path, SchemaNode schema, List<ValidationError> errors)
    {
        var keywords = schema.Element;
        if (keywords.TryGetProperty("allOf", out var allOf))
        {
            foreach (var branch in allOf.EnumerateArray())
            {
                Evaluate(value, path, schema.Child(branch), errors);
            }
        }
        if (keywords.TryGetProperty("anyOf", out var anyOf))
        {
            var outcomes = EvaluateEach(value, path, schema, anyOf);
            if (outcomes.All(o => o.Count > 0))
            {
                errors.AddRange(MostUsefulFailure(path, outcomes));
            }
        }
        if (keywords.TryGetProperty("oneOf", out var oneOf))
        {
            var outcomes = EvaluateEach(value, path, schema, oneOf);
            var matching = Enumerable.Range(0, outcomes.Count).Where(i => outcomes[i].Count == 0).ToList();
            if (matching.Count == 0)
            {
                errors.AddRange(MostUsefulFailure(path, outcomes));
            }
            else if (matching.Count > 1)
            {
                errors.Add(new(path, $"must match exactly one alternative, but matches alternatives {string.Join(", ", matching)}"));
            }
        }
        if (keywords.TryGetProperty("not", out var not))
        {
            var notErrors = new List<ValidationError>();
            Evaluate(value, path, schema.Child(not), notErrors);
            if (notErrors.Count == 0)
            {
                errors.Add(new(path, "must not match the schema given in \"not\""));
            }
        }
    }

    private List<List<ValidationError>> EvaluateEach(JsonElement value, string path, SchemaNode schema, JsonElement alternatives) =>
        alternatives.EnumerateArray().Select(alternative =>
        {
            var errors = new List<ValidationError>();
            Evaluate(value, path, schema.Child(alternative), errors);
            return errors;
        }).ToList();

    /// <summary>
    /// The alternative that got furthest into the value before failing is most likely the one that was meant,
    /// so its errors are reported (the fewest, on a tie). When every alternative failed on the value itself,
    /// one error names what each of them expected.
    /// </summary>
    private static IEnumerable<ValidationError> MostUsefulFailure(string path, List<List<ValidationError>> failures)
    {
        if (failures.Count == 1)
        {
            return failures[0];
        }
        var reach = failures.Select(f => f.Max(e => JsonPointer.Depth(e.Path))).ToList();
        var deepest = reach.Max();
        if (deepest > JsonPointer.Depth(path))
        {
            return failures.Where((_, i) => reach[i] == deepest).MinBy(f => f.Count)!;
        }
        var expectations = failures.SelectMany(f => f).Select(e => e.Message).Distinct();
        return [new ValidationError(path, "matches no alternative: " + string.Join("; ", expectations))];
    }

    private static bool MatchesType(JsonElement value, JsonElement type) =>
        TypeNames(type).Any(name => JsonValues.HasType(value, name));

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

    private static int? Limit(JsonElement keywords, string name) =>
        keywords.TryGetProperty(name, out var limit) ? limit.GetInt32() : null;

    private static bool IsTrue(JsonElement keywords, string name) =>
        keywords.TryGetProperty(name, out var flag) && flag.ValueKind == JsonValueKind.True;

    private static string Quantity(int count, string singular, string plural) => $"{count} {(count == 1 ? singular : plural)}";
}
