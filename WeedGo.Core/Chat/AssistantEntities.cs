using WeedGo.Core.Common;

namespace WeedGo.Core.Chat;

/// <summary>Which client answers a store's customers.</summary>
public enum AssistantProvider
{
    /// <summary>The built-in offline assistant: no model, no cost, answers common shopping intents through the same tools.</summary>
    BuiltIn = 0,
    /// <summary>Any OpenAI-compatible chat-completions endpoint (base URL, model, key from configuration).</summary>
    OpenAI = 1,
    /// <summary>An Ollama server, through its OpenAI-compatible endpoint (<c>{base}/v1</c>), no key.</summary>
    Ollama = 2,
}

/// <summary>
/// How the assistant speaks: name, avatar, tone, greeting, the system prompt that shapes a model's answers, language and the
/// quick replies the widget offers. Built-in personalities (<see cref="BuiltIn"/>) are copied into every tenant and are
/// read-only; a tenant adds its own (or duplicates a built-in to change it).
/// </summary>
public sealed class AiPersonality : TenantEntity
{
    public string Name { get; set; } = "";
    /// <summary>An emoji or an image URL.</summary>
    public string? Avatar { get; set; }
    /// <summary>friendly, professional, playful, calm (the built-in assistant opens its answers in this tone).</summary>
    public string Tone { get; set; } = PersonalityTones.Friendly;
    public string Greeting { get; set; } = "";
    public string SystemPrompt { get; set; } = "";
    /// <summary>BCP-47 language the assistant answers in (e.g. <c>en</c>, <c>fr</c>).</summary>
    public string Language { get; set; } = "en";
    public List<string> QuickReplies { get; set; } = [];
    /// <summary>One of the built-in personalities (read-only; the same key in every tenant).</summary>
    public bool BuiltIn { get; set; }
    /// <summary>Stable key of a built-in personality (null for custom ones).</summary>
    public string? BuiltInKey { get; set; }
}

public static class PersonalityTones
{
    public const string Friendly = "friendly";
    public const string Professional = "professional";
    public const string Playful = "playful";
    public const string Calm = "calm";
    public static IReadOnlyList<string> All { get; } = [Friendly, Professional, Playful, Calm];
}

/// <summary>
/// A store's AI settings (one row per store; a store without one uses the defaults: on, built-in assistant, the tenant's
/// first built-in personality). API keys are never stored: <see cref="ApiKeyName"/> names an entry of
/// <c>WeedGo:Assistant:Keys</c> in configuration (user secrets, environment).
/// </summary>
public sealed class StoreAiSettings : TenantEntity
{
    public Guid StoreId { get; set; }
    public bool Enabled { get; set; } = true;
    public Guid? PersonalityId { get; set; }
    public AssistantProvider Provider { get; set; } = AssistantProvider.BuiltIn;
    public string? BaseUrl { get; set; }
    public string? Model { get; set; }
    public string? ApiKeyName { get; set; }
    public decimal Temperature { get; set; } = 0.3m;
    public int MaxTokens { get; set; } = 600;
    /// <summary>Most the store spends on model calls per calendar month (store time), CAD; null: no limit.</summary>
    public decimal? MonthlyBudget { get; set; }
    /// <summary>Hand the conversation to staff after this many answers in a row that did not help (null: never).</summary>
    public int? HandOffAfterUnanswered { get; set; } = 3;
    /// <summary>Words or phrases in a customer's message that hand the conversation to staff at once.</summary>
    public List<string> HandOffKeywords { get; set; } = [];
    /// <summary>When the monthly budget is spent: true hands to staff; false lets the built-in assistant answer (with a staff note).</summary>
    public bool HandOffWhenBudgetExhausted { get; set; }
}

/// <summary>Something a signed-in customer told the assistant about themselves ("I prefer indica"), kept so later answers fit;
/// the customer sees and deletes these on their account.</summary>
public sealed class CustomerMemory : TenantEntity
{
    public Guid UserId { get; set; }
    public string Text { get; set; } = "";
    public Guid? StoreId { get; set; }
    public Guid? ConversationId { get; set; }
}

/// <summary>One assistant reply: who answered, tokens, cost, latency, whether it came from the cache, whether it helped.</summary>
public sealed class AiUsage : TenantEntity
{
    public Guid StoreId { get; set; }
    public Guid? ConversationId { get; set; }
    public Guid? UserId { get; set; }
    public string Provider { get; set; } = "";
    public string Model { get; set; } = "";
    public int InputTokens { get; set; }
    public int OutputTokens { get; set; }
    public decimal Cost { get; set; }
    public int LatencyMs { get; set; }
    public bool Cached { get; set; }
    /// <summary>False when the reply did not help (the built-in assistant did not understand, or nothing was found).</summary>
    public bool Answered { get; set; } = true;
    /// <summary>True when the compliance post-check replaced the reply.</summary>
    public bool Blocked { get; set; }
    /// <summary>The store's configured provider could not be used (budget spent, rate limit, failure): the built-in answered.</summary>
    public bool FellBack { get; set; }
}
