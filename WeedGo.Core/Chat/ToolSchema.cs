using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace WeedGo.Core.Chat;

/// <summary>
/// The JSON schema of a tool's arguments, written as a small fluent description, and the validator that checks a call's arguments
/// against it before the tool runs: types, required properties, enums, number ranges, string lengths, uuid format, and no
/// properties the schema does not name. The problems come back as sentences the model can act on.
/// </summary>
public sealed class ToolSchema
{
    private readonly List<Property> _properties = [];

    public sealed record Property(string Name, string Type, string Description, bool Required, IReadOnlyList<string>? Enum,
        decimal? Minimum, decimal? Maximum, int? MaxLength, string? Format);

    public IReadOnlyList<Property> Properties => _properties;

    public ToolSchema String(string name, string description, bool required = false, IReadOnlyList<string>? oneOf = null, int maxLength = 200, string? format = null)
    {
        _properties.Add(new(name, "string", description, required, oneOf, null, null, maxLength, format));
        return this;
    }

    public ToolSchema Integer(string name, string description, bool required = false, int? min = null, int? max = null)
    {
        _properties.Add(new(name, "integer", description, required, null, min, max, null, null));
        return this;
    }

    public ToolSchema Number(string name, string description, bool required = false, decimal? min = null, decimal? max = null)
    {
        _properties.Add(new(name, "number", description, required, null, min, max, null, null));
        return this;
    }

    public ToolSchema Boolean(string name, string description)
    {
        _properties.Add(new(name, "boolean", description, false, null, null, null, null, null));
        return this;
    }

    /// <summary>The schema as JSON (what the model is told).</summary>
    public JsonElement ToJson()
    {
        var props = new JsonObject();
        foreach (var p in _properties)
        {
            var o = new JsonObject { ["type"] = p.Type, ["description"] = p.Description };
            if (p.Enum is { } values)
            {
                o["enum"] = new JsonArray(values.Select(v => (JsonNode)JsonValue.Create(v)!).ToArray());
            }
            if (p.Minimum is { } min)
            {
                o["minimum"] = min;
            }
            if (p.Maximum is { } max)
            {
                o["maximum"] = max;
            }
            if (p.MaxLength is { } len)
            {
                o["maxLength"] = len;
            }
            if (p.Format is { } format)
            {
                o["format"] = format;
            }
            props[p.Name] = o;
        }
        var schema = new JsonObject
        {
            ["type"] = "object",
            ["properties"] = props,
            ["required"] = new JsonArray(_properties.Where(p => p.Required).Select(p => (JsonNode)JsonValue.Create(p.Name)!).ToArray()),
            ["additionalProperties"] = false,
        };
        return JsonSerializer.SerializeToElement(schema);
    }

    /// <summary>Checks <paramref name="args"/>; returns the problems (empty when valid) and the arguments as JSON values.</summary>
    public (IReadOnlyList<string> Problems, Dictionary<string, JsonElement> Values) Validate(IEnumerable<KeyValuePair<string, object?>> args)
    {
        var problems = new List<string>();
        var values = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var (name, raw) in args)
        {
            var p = _properties.FirstOrDefault(x => x.Name == name);
            if (p is null)
            {
                problems.Add($"'{name}' is not an argument of this tool (it takes {string.Join(", ", _properties.Select(x => x.Name))}).");
                continue;
            }
            var value = raw switch
            {
                JsonElement e => e,
                null => JsonSerializer.SerializeToElement<object?>(null),
                _ => JsonSerializer.SerializeToElement(raw, raw.GetType()),
            };
            if (value.ValueKind == JsonValueKind.Null)
            {
                if (p.Required)
                {
                    problems.Add($"'{name}' is required.");
                }
                continue;
            }
            if (Check(p, value) is { } problem)
            {
                problems.Add(problem);
                continue;
            }
            values[name] = value;
        }
        foreach (var missing in _properties.Where(p => p.Required && !values.ContainsKey(p.Name) && !problems.Any(x => x.StartsWith($"'{p.Name}'", StringComparison.Ordinal))))
        {
            problems.Add($"'{missing.Name}' is required.");
        }
        return (problems, values);
    }

    private static string? Check(Property p, JsonElement v)
    {
        switch (p.Type)
        {
            case "string":
                if (v.ValueKind != JsonValueKind.String)
                {
                    return $"'{p.Name}' must be a string.";
                }
                var s = v.GetString()!;
                if (p.MaxLength is { } len && s.Length > len)
                {
                    return $"'{p.Name}' must be at most {len} characters.";
                }
                if (p.Enum is { } allowed && !allowed.Contains(s, StringComparer.Ordinal))
                {
                    return $"'{p.Name}' must be one of: {string.Join(", ", allowed)} (got '{s}').";
                }
                if (p.Format == "uuid" && !Guid.TryParse(s, out _))
                {
                    return $"'{p.Name}' must be a product id (a uuid), got '{s}'.";
                }
                return null;
            case "integer":
            case "number":
                if (v.ValueKind != JsonValueKind.Number || !v.TryGetDecimal(out var n))
                {
                    return $"'{p.Name}' must be a number.";
                }
                if (p.Type == "integer" && n != decimal.Truncate(n))
                {
                    return $"'{p.Name}' must be a whole number.";
                }
                if (p.Minimum is { } min && n < min)
                {
                    return $"'{p.Name}' must be at least {min.ToString(CultureInfo.InvariantCulture)}.";
                }
                if (p.Maximum is { } max && n > max)
                {
                    return $"'{p.Name}' must be at most {max.ToString(CultureInfo.InvariantCulture)}.";
                }
                return null;
            case "boolean":
                return v.ValueKind is JsonValueKind.True or JsonValueKind.False ? null : $"'{p.Name}' must be true or false.";
            default:
                return null;
        }
    }
}
