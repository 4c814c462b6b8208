namespace WeedGo.Core.Chat;

/// <summary>Configuration of the assistant (<c>WeedGo:Assistant</c>). Keys and prices live here, never in the database.</summary>
public sealed class AssistantOptions
{
    public const string Section = "WeedGo:Assistant";

    /// <summary>API keys by name: a store's settings name one (<c>WeedGo:Assistant:Keys:openai-main</c>). Keep them in user secrets
    /// or the environment (<c>WeedGo__Assistant__Keys__openai-main</c>).</summary>
    public Dictionary<string, string> Keys { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Price per model (CAD per million tokens); a model not listed costs <see cref="DefaultPrice"/>.</summary>
    public Dictionary<string, ModelPrice> Prices { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>What a model missing from <see cref="Prices"/> costs (CAD per million tokens).</summary>
    public ModelPrice DefaultPrice { get; set; } = new() { InputPerMillion = 1m, OutputPerMillion = 4m };

    /// <summary>How long an answer is reused for the same question in the same context (0: no caching).</summary>
    public TimeSpan CacheFor { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Where an Ollama store's server is when its settings leave the base URL empty.</summary>
    public string OllamaBaseUrl { get; set; } = "http://127.0.0.1:11434";

    /// <summary>How long one model request may take before the built-in assistant answers instead.</summary>
    public TimeSpan ModelTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Most products one search returns to the assistant.</summary>
    public int SearchLimit { get; set; } = 5;

    public decimal CostOf(string model, int inputTokens, int outputTokens)
    {
        var price = Prices.TryGetValue(model, out var p) ? p : DefaultPrice;
        return Math.Round((inputTokens * price.InputPerMillion + outputTokens * price.OutputPerMillion) / 1_000_000m, 6, MidpointRounding.AwayFromZero);
    }
}

public sealed class ModelPrice
{
    public decimal InputPerMillion { get; set; }
    public decimal OutputPerMillion { get; set; }
}
