using System.Text.RegularExpressions;

namespace WeedGo.Core.Chat;

/// <summary>The verdict of the post-check on one reply.</summary>
public sealed record ComplianceVerdict(bool Passed, string? Rule, string? Match)
{
    public static ComplianceVerdict Pass { get; } = new(true, null, null);
}

/// <summary>
/// What every assistant must and must not say in a licensed Ontario store: the rules go into the system prompt, and every reply
/// is checked afterwards. A reply that makes a medical claim, advises a minor, or states a potency that no product label of
/// this reply gives is replaced by <see cref="SafeReply"/> (and logged).
/// </summary>
public static partial class AssistantCompliance
{
    public const string Rules = """
        Rules you must always follow:
        - Only mention products returned by your tools for this store; never invent products, prices, stock or potencies.
        - State potency exactly as the product label gives it (the thc/cbd fields), never rounded or estimated.
        - Make no medical or health claims: never say a product cures, treats, heals, prevents or relieves a condition. Suggest a
          healthcare practitioner for medical questions.
        - Customers must be 19 or older. Never give advice to, or for, anyone under 19.
        - A customer may buy at most 30 g of dried cannabis or its equivalent per order; the cart enforces it.
        - Use the tools to search, show details, check stock, add to the cart, look up the customer's own orders, give store hours,
          remember a preference the customer states, and hand the conversation to a person when asked or when you cannot help.
        """;

    public const string SafeReply =
        "I'm sorry, I can't help with that in the way I put it. I can share what the product labels say, check stock, or hand you to a budtender.";

    [GeneratedRegex(@"\b(cure[sd]?|curing|heal(s|ed|ing)?|remed(y|ies)|prevents?|treat(s|ed|ing|ment)?\s+(?!yourself)(your\s+|the\s+|my\s+)?(anxiety|pain|insomnia|depression|cancer|ptsd|epilepsy|seizures?|nausea|arthritis|migraines?|adhd|illness|disease|condition|symptoms?)|reliev(e|es|ing)\s+(your\s+|the\s+)?(anxiety|pain|insomnia|depression|nausea|stress|symptoms?)|medical\s+benefits?|clinically\s+proven|prescri(be|ption))\b",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex MedicalClaim();

    [GeneratedRegex(@"\b(for|to|give|giving)\s+(your\s+|my\s+|a\s+)?(kids?|child(ren)?|teens?|teenagers?|minors?|son|daughter|students?)\b|\b(under|younger than)\s+(1[0-8]|the age of 19)\b.*\b(try|use|start|recommend)",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex MinorAdvice();

    [GeneratedRegex(@"(?<!\$)\b\d+(?:\.\d+)?\s*(?:–|-|to)?\s*(?:\d+(?:\.\d+)?\s*)?(?:%|mg(?:/g|/ml|/mL)?)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex PotencyFigure();

    /// <summary>The system prompt a model gets: the personality's own, the compliance rules, the store and what the customer
    /// asked the assistant to remember.</summary>
    public static string SystemPrompt(string personalityPrompt, string language, string storeName, IReadOnlyList<string> memories)
    {
        var lines = new List<string> { personalityPrompt.Trim(), "", $"You work for the store \"{storeName}\". Answer in language '{language}' unless the customer writes in another.", "", Rules };
        if (memories.Count > 0)
        {
            lines.Add("");
            lines.Add("The customer asked you to remember: " + string.Join("; ", memories) + ".");
        }
        return string.Join('\n', lines);
    }

    /// <summary>Checks a reply. <paramref name="labels"/> are the potency labels of the products this reply's tools returned:
    /// a potency figure (% or mg) in the reply must appear in one of them.</summary>
    public static ComplianceVerdict Check(string reply, IReadOnlyCollection<string> labels)
    {
        if (MedicalClaim().Match(reply) is { Success: true } medical)
        {
            return new(false, "medical-claim", medical.Value);
        }
        if (MinorAdvice().Match(reply) is { Success: true } minor)
        {
            return new(false, "minor", minor.Value);
        }
        var normalizedLabels = labels.Select(Normalize).ToList();
        foreach (Match figure in PotencyFigure().Matches(reply))
        {
            var f = Normalize(figure.Value);
            if (!normalizedLabels.Any(l => l.Contains(f, StringComparison.Ordinal)))
            {
                return new(false, "potency-not-on-label", figure.Value.Trim());
            }
        }
        return ComplianceVerdict.Pass;
    }

    private static string Normalize(string s) => new string(s.ToLowerInvariant().Replace("to", "–").Replace("-", "–")
        .Where(c => !char.IsWhiteSpace(c)).ToArray());
}
