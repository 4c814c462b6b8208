using Microsoft.EntityFrameworkCore;
using WeedGo.Core.Data;

namespace WeedGo.Core.Chat;

/// <summary>The personalities every tenant starts with (read-only; duplicate one to change it).</summary>
public static class BuiltInPersonalities
{
    public const string BudKey = "bud";
    public const string SageKey = "sage";
    public const string ChloeKey = "chloe";

    public static readonly IReadOnlyList<string> DefaultQuickReplies =
        ["Recommend something relaxing", "What's in stock under $30?", "What are your hours?", "Where is my order?", "Talk to a person"];

    public static IReadOnlyList<AiPersonality> Templates { get; } =
    [
        new()
        {
            BuiltInKey = BudKey, Name = "Bud", Avatar = "🌿", Tone = PersonalityTones.Friendly, Language = "en",
            Greeting = "Hi, I'm Bud, this store's budtender assistant. Ask me for a recommendation, about a product, our hours or your order.",
            SystemPrompt = "You are Bud, a friendly, knowledgeable budtender assistant for a licensed Ontario cannabis store. Keep answers short and warm.",
            QuickReplies = [.. DefaultQuickReplies],
        },
        new()
        {
            BuiltInKey = SageKey, Name = "Sage", Avatar = "🧭", Tone = PersonalityTones.Professional, Language = "en",
            Greeting = "Welcome. I'm Sage. I can help you compare products, check stock at this store, or find your order.",
            SystemPrompt = "You are Sage, a precise, professional product specialist for a licensed Ontario cannabis store. Prefer facts from the product labels; be concise.",
            QuickReplies = ["Compare two products", "Highest THC flower", "Is it in stock?", "What is the 30 g limit?", "Talk to a person"],
        },
        new()
        {
            BuiltInKey = ChloeKey, Name = "Chloé", Avatar = "🍁", Tone = PersonalityTones.Calm, Language = "fr",
            Greeting = "Bonjour ! Je suis Chloé. Je peux vous conseiller un produit, vérifier le stock ou vos commandes. (I answer in English too.)",
            SystemPrompt = "You are Chloé, a calm, bilingual (French and English) budtender assistant for a licensed Ontario cannabis store. Answer in the customer's language.",
            QuickReplies = ["Quelque chose pour me détendre", "Heures d'ouverture", "Talk to a person"],
        },
    ];

    /// <summary>Adds the built-in personalities a tenant does not have yet (by key); returns how many were added.</summary>
    public static async Task<int> EnsureAsync(WeedGoDbContext db, Guid tenantId, CancellationToken ct = default)
    {
        var have = await db.AiPersonalities.IgnoreQueryFilters().Where(p => p.TenantId == tenantId && p.BuiltInKey != null)
            .Select(p => p.BuiltInKey!).ToListAsync(ct);
        var added = 0;
        foreach (var t in Templates.Where(t => !have.Contains(t.BuiltInKey!)))
        {
            db.AiPersonalities.Add(Copy(t, tenantId));
            added++;
        }
        if (added > 0)
        {
            await db.SaveChangesAsync(ct);
        }
        return added;
    }

    /// <summary>Deterministic id of a built-in personality in a tenant.</summary>
    public static Guid IdFor(Guid tenantId, string key)
    {
        var bytes = System.Security.Cryptography.MD5.HashData(System.Text.Encoding.UTF8.GetBytes($"weedgo-personality:{tenantId:N}:{key}"));
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }

    private static AiPersonality Copy(AiPersonality t, Guid tenantId) => new()
    {
        Id = IdFor(tenantId, t.BuiltInKey!), TenantId = tenantId, BuiltIn = true, BuiltInKey = t.BuiltInKey, Name = t.Name, Avatar = t.Avatar,
        Tone = t.Tone, Greeting = t.Greeting, SystemPrompt = t.SystemPrompt, Language = t.Language, QuickReplies = [.. t.QuickReplies],
    };
}
