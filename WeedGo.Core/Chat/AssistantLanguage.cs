using System.Globalization;
using System.Text.RegularExpressions;

namespace WeedGo.Core.Chat;

/// <summary>What a customer's message asks for, as the built-in assistant understands it.</summary>
public enum ShoppingIntent
{
    Unknown,
    Greeting,
    Thanks,
    HandOff,
    Minor,
    Medical,
    PurchaseLimit,
    StoreHours,
    OrderStatus,
    Remember,
    AddToCart,
    Stock,
    Compare,
    Details,
    Recommend,
}

/// <summary>A message read by <see cref="AssistantLanguage.Parse"/>: the intent and the search it implies.</summary>
public sealed record ParsedMessage(
    ShoppingIntent Intent, string? Query = null, string? Category = null, string? StrainType = null, string? Effect = null, string? Terpene = null,
    decimal? MinPrice = null, decimal? MaxPrice = null, decimal? MinThc = null, decimal? MaxThc = null, decimal? MinCbd = null, string? Sort = null,
    int Quantity = 1, string? OrderNumber = null, string? CompareA = null, string? CompareB = null, string? Preference = null, string? Size = null)
{
    public bool HasFilters => Size is not null || Category is not null || StrainType is not null || Terpene is not null || MinPrice is not null || MaxPrice is not null
                              || MinThc is not null || MaxThc is not null || MinCbd is not null || Sort is not null;
}

/// <summary>
/// Deterministic reading of customers' shopping questions (English): normalisation (case, curly quotes, contractions,
/// punctuation), then intent rules in a fixed order, then the search the words imply: category, strain type or the effect
/// customers associate with one, terpene, price range, potency wishes, sort, quantity, order number, and the remaining words
/// as product-name words. The same message always reads the same way.
/// </summary>
public static partial class AssistantLanguage
{
    private static readonly (string[] Words, string Category, bool KeepAsQuery)[] CategoryWords =
    [
        (["flower", "flowers", "bud", "buds", "dried flower", "herb"], "Flower", false),
        (["pre-roll", "pre-rolls", "preroll", "prerolls", "pre roll", "pre rolls", "joint", "joints"], "Pre-Rolls", false),
        (["vape", "vapes", "vape pen", "vape pens", "cart", "carts", "cartridge", "cartridges", "disposable", "disposables", "pen", "pens"], "Vapes", false),
        (["extract", "extracts", "concentrate", "concentrates", "wax"], "Extracts", false),
        (["hash", "shatter", "rosin", "live resin", "resin", "oil", "oils"], "Extracts", true),
        (["edible", "edibles", "candy", "candies"], "Edibles", false),
        (["gummy", "gummies", "soft chews", "chews", "chocolate", "chocolates", "baked goods", "cookie", "cookies"], "Edibles", true),
        (["drink", "drinks", "beverage", "beverages", "soda", "sodas"], "Beverages", false),
        (["topical", "topicals", "cream", "lotion", "balm"], "Topicals", false),
        (["capsule", "capsules", "softgel", "softgels", "pill", "pills"], "Capsules", false),
        (["seed", "seeds"], "Seeds", false),
        (["accessory", "accessories", "grinder", "grinders", "rolling papers", "papers", "pipe", "pipes", "lighter", "lighters"], "Accessories", false),
    ];

    private static readonly (string[] Words, string Strain, string Effect)[] EffectWords =
    [
        (["relax", "relaxing", "relaxed", "relaxation", "calm", "calming", "chill", "chilled", "sleep", "sleepy", "bedtime", "night", "nighttime",
          "evening", "unwind", "unwinding", "wind down", "mellow", "couch", "body high", "sedating"], "Indica", "winding down"),
        (["energy", "energetic", "energizing", "energising", "uplifting", "uplift", "creative", "creativity", "focus", "focused", "daytime",
          "morning", "social", "active", "euphoric", "giggly", "party"], "Sativa", "an uplifting daytime feel"),
        (["balanced", "balance", "in between", "middle", "best of both"], "Hybrid", "a balanced feel"),
    ];

    private static readonly string[] Terpenes =
        ["myrcene", "limonene", "caryophyllene", "beta-caryophyllene", "pinene", "alpha-pinene", "linalool", "terpinolene", "humulene", "ocimene", "bisabolol"];

    private static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    {
        "a", "an", "the", "i", "me", "my", "mine", "we", "us", "our", "you", "your", "yours", "it", "its", "is", "am", "are", "was", "be", "been",
        "do", "does", "did", "have", "has", "had", "having", "any", "some", "something", "anything", "please", "pls", "plz", "thanks", "thank",
        "can", "could", "would", "will", "should", "shall", "may", "might", "to", "for", "of", "in", "on", "at", "with", "from", "by", "about",
        "and", "or", "but", "so", "if", "that", "this", "these", "those", "there", "here", "what", "which", "who", "whom", "how", "why", "when",
        "where", "want", "wanna", "need", "looking", "look", "find", "show", "search", "get", "got", "give", "recommend", "recommendation",
        "recommendations", "suggest", "suggestion", "suggestions", "like", "love", "prefer", "good", "great", "nice", "best", "better", "top",
        "tell", "know", "let", "much", "many", "more", "most", "very", "really", "just", "also", "too", "not", "no", "yes", "ok", "okay",
        "hey", "hi", "hello", "stock", "available", "availability", "carry", "sell", "selling", "buy", "add", "put", "cart", "basket", "bag",
        "into", "onto", "left", "sold", "out", "info", "information", "details", "detail", "describe", "compare", "difference", "differences",
        "between", "vs", "versus", "than", "under", "below", "over", "above", "less", "cheaper", "cheap", "cheapest", "affordable", "budget",
        "inexpensive", "value", "premium", "expensive", "pricey", "dollars", "dollar", "bucks", "price", "priced", "cost", "costs", "strong",
        "strongest", "stronger", "potent", "potency", "high", "highest", "low", "lowest", "mild", "milder", "light", "gentle", "beginner",
        "beginners", "first", "time", "new", "newest", "latest", "popular", "thc", "cbd", "strain", "strains", "type", "kind", "kinds", "product",
        "products", "item", "items", "one", "ones", "option", "options", "something", "stuff", "g", "gram", "grams", "ml", "mg", "x", "units",
        "unit", "pack", "packs", "each", "now", "today", "currently", "store", "shop", "here", "feel", "feeling", "effect", "effects", "help",
        "indica", "sativa", "hybrid", "blend", "up", "max", "maximum", "min", "minimum", "least", "at", "around", "approximately", "roughly",
        "two", "three", "four", "five", "into", "take", "ill", "id", "im", "weed", "cannabis", "marijuana", "hits", "hard", "heavy", "shelf",
        "quality", "smooth", "try", "trying", "again", "someone", "else", "any", "whats", "available?", "other",
    };

    private static readonly Dictionary<string, int> NumberWords = new(StringComparer.Ordinal)
    {
        ["a"] = 1, ["an"] = 1, ["one"] = 1, ["two"] = 2, ["three"] = 3, ["four"] = 4, ["five"] = 5, ["six"] = 6,
    };

    /// <summary>Lower case, straight quotes, contractions expanded, punctuation to spaces (keeps $ . % # - /), single spaces.</summary>
    public static string Normalize(string text)
    {
        var s = (text ?? "").ToLowerInvariant().Replace('’', '\'').Replace('‘', '\'').Replace('“', '"').Replace('”', '"').Replace('–', '-');
        foreach (var (from, to) in Contractions)
        {
            s = s.Replace(from, to, StringComparison.Ordinal);
        }
        s = NotKept().Replace(s, " ");
        s = TrailingDot().Replace(s, " ");
        return Spaces().Replace(s, " ").Trim();
    }

    private static readonly (string, string)[] Contractions =
    [
        ("what's", "what is"), ("where's", "where is"), ("when's", "when is"), ("how's", "how is"), ("who's", "who is"), ("it's", "it is"),
        ("that's", "that is"), ("there's", "there is"), ("i'm", "i am"), ("i've", "i have"), ("i'd", "i would"), ("i'll", "i will"),
        ("you're", "you are"), ("don't", "do not"), ("doesn't", "does not"), ("didn't", "did not"), ("can't", "cannot"), ("won't", "will not"),
        ("isn't", "is not"), ("aren't", "are not"), ("wasn't", "was not"), ("let's", "let us"), ("dont", "do not"), ("cant", "cannot"),
        ("whats", "what is"), ("wheres", "where is"), ("'", ""),
    ];

    [GeneratedRegex(@"[^a-z0-9$%#./\-\s]")]
    private static partial Regex NotKept();

    [GeneratedRegex(@"(?<![0-9])\.|\.(?![0-9])")]
    private static partial Regex TrailingDot();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();

    [GeneratedRegex(@"\b(i am|im|i m)\s+(1[0-8]|[1-9])\b|\bfor my (son|daughter|kid|kids|child|children|teen|teenager|nephew|niece)\b|\b(teen|teens|teenager|teenagers|minor|minors|underage|under 19|high school|highschool)\b")]
    private static partial Regex MinorRx();

    [GeneratedRegex(@"\b(talk|speak|chat|connect me)\s+(to|with)\s+(a |an |the |some )?(real )?(person|human|someone|somebody|staff|budtender|agent|employee|manager|people|rep|representative)\b|\b(real person|live agent|live person|human being|customer service|representative)\b|\b(hand me|transfer me|put me through)\b|^(a )?(human|person|agent|budtender)( please)?$")]
    private static partial Regex HandOffRx();

    [GeneratedRegex(@"\b(cure|cures|curing|treat my|treat the|treat a|treats my|treatment|medical|medicinal|medicine|medication|prescription|doctor|chronic pain|pain|anxiety|insomnia|depression|ptsd|epilepsy|seizure|seizures|arthritis|nausea|migraine|migraines|cancer|illness|disease|symptom|symptoms|heal|healing)\b")]
    private static partial Regex MedicalRx();

    [GeneratedRegex(@"\b(30 ?g|30 ?grams|thirty grams|purchase limit|buying limit|the limit|how much can i (buy|order|get|purchase)|maximum (i can|amount)|max (i can|amount)|possession limit|equivalen(t|cy|ce))\b")]
    private static partial Regex LimitRx();

    [GeneratedRegex(@"\b(hours|opening|closing|open|close|closed|address|location|located|phone number|directions)\b")]
    private static partial Regex HoursRx();

    [GeneratedRegex(@"\b(my order|my orders|order status|status of my order|track|tracking|my delivery|my pickup|order number|status of (my |the |an )?order|order #?(wg-)?\d{4,}|#(wg-)?\d{4,})\b")]
    private static partial Regex OrderRx();

    [GeneratedRegex(@"#?\b((wg-)?\d{5,})\b")]
    private static partial Regex OrderNumberRx();

    [GeneratedRegex(@"^(please )?remember (that )?(?<p>.+)$|\b(?<p>i (really |usually |always )?(like|love|prefer|enjoy|do not like|hate|dislike|avoid) .+)$|\b(?<p>my favou?rite .+ is .+)$")]
    private static partial Regex RememberRx();

    [GeneratedRegex(@"^(thanks|thank you|thx|ty|cheers|bye|goodbye|good bye|great thanks|perfect thanks|awesome thanks)( so much| a lot| very much)?$")]
    private static partial Regex ThanksRx();

    [GeneratedRegex(@"^(hi|hello|hey|hiya|yo|good (morning|afternoon|evening)|bonjour|salut|greetings)( there| bud| sage)?$")]
    private static partial Regex GreetingRx();

    [GeneratedRegex(@"\b(add|put|throw|drop)\b.*\b(cart|basket|bag|order)\b|^(add|buy|i will take|i would like to buy|i want to buy|get me|grab me) ")]
    private static partial Regex AddRx();

    [GeneratedRegex(@"\b(add|buy|take|get me|grab me|put)\s+(?<n>\d{1,2}|one|two|three|four|five|six)\b(?!\s*(g|gram|grams|ml|mg|%|\.\d))")]
    private static partial Regex QuantityRx();

    [GeneratedRegex(@"\bcompare\s+(?<a>.+?)\s+(and|with|vs|versus|to)\s+(?<b>.+)$|\b(difference|differences)\s+between\s+(?<a>.+?)\s+and\s+(?<b>.+)$|^(?<a>.+?)\s+(vs|versus)\s+(?<b>.+)$")]
    private static partial Regex CompareRx();

    [GeneratedRegex(@"\b(in stock|instock|available|availability|do you have|do you carry|do you sell|have any|got any|how many|sold out|any left|still have)\b")]
    private static partial Regex StockRx();

    [GeneratedRegex(@"\b(tell me (more )?about|what is|what are|details|describe|info on|information (on|about)|more about|how strong is)\b")]
    private static partial Regex DetailsRx();

    [GeneratedRegex(@"\b(under|below|less than|cheaper than|up to|max|maximum|no more than|at most|within)\s*\$?\s*(?<n>\d+(\.\d+)?)")]
    private static partial Regex MaxPriceRx();

    [GeneratedRegex(@"\b(over|above|more than|at least|min|minimum|from)\s*\$?\s*(?<n>\d+(\.\d+)?)(?!\s*(g|gram|grams|%|mg))")]
    private static partial Regex MinPriceRx();

    [GeneratedRegex(@"\$\s*(?<a>\d+(\.\d+)?)\s*(-|to|and)\s*\$?\s*(?<b>\d+(\.\d+)?)|between\s*\$?\s*(?<a>\d+(\.\d+)?)\s*and\s*\$?\s*(?<b>\d+(\.\d+)?)")]
    private static partial Regex PriceRangeRx();

    [GeneratedRegex(@"(?<![\d.])(?<n>\d{1,3}(\.\d{1,2})?)\s?(?<u>g|grams?|ml)\b")]
    private static partial Regex SizeRx();

    [GeneratedRegex(@"\b(strong|strongest|stronger|potent|most potent|high thc|highest thc|heavy hitter|hits hard|knock me out)\b")]
    private static partial Regex StrongRx();

    [GeneratedRegex(@"\b(mild|milder|light|low thc|lower thc|beginner|beginners|first time|new to|gentle|not too strong|microdose|low dose)\b")]
    private static partial Regex MildRx();

    [GeneratedRegex(@"\b(high cbd|cbd|cbd dominant|cbd-dominant|cbd heavy)\b")]
    private static partial Regex CbdRx();

    [GeneratedRegex(@"\b(cheap|cheapest|budget|affordable|inexpensive|value|bargain|deal|deals|lowest price)\b")]
    private static partial Regex CheapRx();

    [GeneratedRegex(@"\b(premium|expensive|top shelf|top-shelf|luxury|high end|high-end|best quality)\b")]
    private static partial Regex PremiumRx();

    [GeneratedRegex(@"\b(newest|latest|new arrivals?|just arrived|whats new|what is new)\b")]
    private static partial Regex NewestRx();

    [GeneratedRegex(@"\b(recommend|recommendation|suggest|suggestion|looking for|want|need|something|best|find|show|search|any|options|ideas?|what should i)\b")]
    private static partial Regex RecommendRx();

    public static ParsedMessage Parse(string message)
    {
        var s = Normalize(message);
        if (s.Length == 0)
        {
            return new(ShoppingIntent.Unknown);
        }
        if (MinorRx().IsMatch(s))
        {
            return new(ShoppingIntent.Minor);
        }
        if (HandOffRx().IsMatch(s))
        {
            return new(ShoppingIntent.HandOff);
        }
        if (ThanksRx().IsMatch(s))
        {
            return new(ShoppingIntent.Thanks);
        }
        if (GreetingRx().IsMatch(s))
        {
            return new(ShoppingIntent.Greeting);
        }
        if (MedicalRx().IsMatch(s))
        {
            return new(ShoppingIntent.Medical);
        }
        if (OrderRx().IsMatch(s))
        {
            return new(ShoppingIntent.OrderStatus, OrderNumber: OrderNumberRx().Match(s) is { Success: true } n ? n.Groups[1].Value.ToUpperInvariant() : null);
        }
        if (LimitRx().IsMatch(s))
        {
            return new(ShoppingIntent.PurchaseLimit);
        }
        if (RememberRx().Match(s) is { Success: true } remember && !AddRx().IsMatch(s) && !RecommendIntent(s))
        {
            return new ParsedMessage(ShoppingIntent.Remember, Preference: Preference(message, remember.Groups["p"].Value)) with { StrainType = Search(s).StrainType };
        }
        if (HoursRx().IsMatch(s) && !AddRx().IsMatch(s))
        {
            return new(ShoppingIntent.StoreHours);
        }
        if (CompareRx().Match(s) is { Success: true } compare)
        {
            var a = QueryWords(compare.Groups["a"].Value);
            var b = QueryWords(compare.Groups["b"].Value);
            if (a is not null && b is not null)
            {
                return new(ShoppingIntent.Compare, CompareA: a, CompareB: b);
            }
        }
        var search = Search(s);
        if (AddRx().IsMatch(s))
        {
            var quantity = QuantityRx().Match(s) is { Success: true } q
                ? NumberWords.TryGetValue(q.Groups["n"].Value, out var w) ? w : int.Parse(q.Groups["n"].Value, CultureInfo.InvariantCulture)
                : 1;
            return search with { Intent = ShoppingIntent.AddToCart, Quantity = quantity };
        }
        if (StockRx().IsMatch(s) && search.Query is not null && !search.HasFilters)
        {
            return search with { Intent = ShoppingIntent.Stock };
        }
        if (DetailsRx().IsMatch(s) && search.Query is not null && !search.HasFilters)
        {
            return search with { Intent = ShoppingIntent.Details };
        }
        if (search.HasFilters || search.Query is not null || RecommendIntent(s) || StockRx().IsMatch(s))
        {
            return search with { Intent = ShoppingIntent.Recommend };
        }
        return new(ShoppingIntent.Unknown);
    }

    private static bool RecommendIntent(string s) => RecommendRx().IsMatch(s) && (Search(s).HasFilters || Search(s).Query is not null);

    private static string Preference(string original, string normalized)
    {
        // The customer's own words where they can be found, else the normalised ones.
        var clean = original.Trim().TrimEnd('.', '!', '?').Trim();
        var index = clean.IndexOf(normalized.Split(' ')[0], StringComparison.OrdinalIgnoreCase);
        var text = index >= 0 && normalized.StartsWith("i ", StringComparison.Ordinal) ? clean[index..] : normalized;
        return text.Length > 200 ? text[..200] : text;
    }

    /// <summary>The search a message implies (intent Recommend until the caller decides).</summary>
    public static ParsedMessage Search(string normalized)
    {
        var s = " " + normalized + " ";
        string? category = null;
        var keep = new List<string>();
        var consumed = new List<string>();
        foreach (var (words, cat, keepAsQuery) in CategoryWords)
        {
            foreach (var w in words.OrderByDescending(w => w.Length))
            {
                if (s.Contains(" " + w + " ", StringComparison.Ordinal))
                {
                    category ??= cat;
                    (keepAsQuery ? keep : consumed).Add(w);
                    break;
                }
            }
        }
        string? strain = null, effect = null;
        foreach (var name in new[] { "indica", "sativa", "hybrid", "blend" })
        {
            if (s.Contains(" " + name, StringComparison.Ordinal))
            {
                strain = CultureInfo.InvariantCulture.TextInfo.ToTitleCase(name);
                break;
            }
        }
        foreach (var (words, st, eff) in EffectWords)
        {
            if (words.FirstOrDefault(w => s.Contains(" " + w + " ", StringComparison.Ordinal)) is { } hit)
            {
                strain ??= st;
                effect = eff;
                consumed.Add(hit);
                break;
            }
        }
        var terpene = Terpenes.FirstOrDefault(t => s.Contains(" " + t, StringComparison.Ordinal)) is { } tp
            ? CultureInfo.InvariantCulture.TextInfo.ToTitleCase(tp.Split('-').Last()) : null;
        if (terpene is not null)
        {
            consumed.Add(terpene.ToLowerInvariant());
        }
        decimal? minPrice = null, maxPrice = null;
        if (PriceRangeRx().Match(normalized) is { Success: true } range)
        {
            minPrice = decimal.Parse(range.Groups["a"].Value, CultureInfo.InvariantCulture);
            maxPrice = decimal.Parse(range.Groups["b"].Value, CultureInfo.InvariantCulture);
        }
        else
        {
            if (MaxPriceRx().Match(normalized) is { Success: true } max)
            {
                maxPrice = decimal.Parse(max.Groups["n"].Value, CultureInfo.InvariantCulture);
            }
            if (MinPriceRx().Match(normalized) is { Success: true } min && (normalized.Contains('$') || normalized.Contains("dollar") || normalized.Contains("buck")))
            {
                minPrice = decimal.Parse(min.Groups["n"].Value, CultureInfo.InvariantCulture);
            }
        }
        string? sort = null;
        decimal? maxThc = null, minCbd = null;
        if (StrongRx().IsMatch(normalized))
        {
            sort = "potency";
        }
        else if (MildRx().IsMatch(normalized))
        {
            maxThc = category is "Edibles" or "Beverages" or "Capsules" ? 5m : 15m;
        }
        if (CbdRx().IsMatch(normalized))
        {
            minCbd = category is "Edibles" or "Beverages" or "Capsules" ? 2m : 5m;
        }
        if (sort is null && CheapRx().IsMatch(normalized))
        {
            sort = "price_low";
        }
        else if (sort is null && PremiumRx().IsMatch(normalized))
        {
            sort = "price_high";
        }
        else if (sort is null && NewestRx().IsMatch(normalized))
        {
            sort = "newest";
        }
        string? size = null;
        if (SizeRx().Match(normalized) is { Success: true } sz && !LimitRx().IsMatch(normalized))
        {
            size = sz.Groups["u"].Value == "ml" ? $"{sz.Groups["n"].Value} mL" : $"{sz.Groups["n"].Value} g";
        }
        var rest = normalized;
        foreach (var c in consumed.Concat(keep).OrderByDescending(c => c.Length))
        {
            rest = (" " + rest + " ").Replace(" " + c + " ", keep.Contains(c) ? " " + c + " " : " ", StringComparison.Ordinal).Trim();
        }
        return new ParsedMessage(ShoppingIntent.Recommend, QueryWords(rest), category, strain, effect, terpene, minPrice, maxPrice, null, maxThc, minCbd, sort, Size: size);
    }

    /// <summary>The words of <paramref name="text"/> that could name a product (stop words, numbers, prices and units removed).</summary>
    public static string? QueryWords(string text)
    {
        var words = Normalize(text).Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Where(w => !StopWords.Contains(w) && !w.StartsWith('$') && !w.StartsWith('#') && !decimal.TryParse(w.TrimEnd('%', 'g'), NumberStyles.Number, CultureInfo.InvariantCulture, out _)
                        && !EffectWords.Any(e => e.Words.Contains(w)) && w.Length > 1)
            .ToList();
        return words.Count == 0 ? null : string.Join(' ', words);
    }
}
