using System.Text.Json;
using WeedGo.Core.Common;

namespace WeedGo.Core.Settings;

/// <summary>A platform setting: (category, key) is unique, the value is a JSON document (jsonb).</summary>
public sealed class SystemSetting : Entity
{
    public string Category { get; set; } = "";
    public string Key { get; set; } = "";
    /// <summary>Raw JSON text; read it with <see cref="Read{T}"/>.</summary>
    public string Value { get; set; } = "null";
    public string? Description { get; set; }

    public T? Read<T>() => JsonSerializer.Deserialize<T>(Value);
    public void Write<T>(T value) => Value = JsonSerializer.Serialize(value);
}
