using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using WeedGo.Core.Ordering;

namespace WeedGo.Core.Chat;

// The chat model's message, not the conversation entity of the same name in this namespace.
using AiChatMessage = Microsoft.Extensions.AI.ChatMessage;

/// <summary>
/// The built-in offline assistant, as an <see cref="IChatClient"/> like any model: it reads the customer's last message with
/// <see cref="AssistantLanguage"/>, and answers by calling the same tools a model would (it returns
/// <see cref="FunctionCallContent"/>, which the function-invocation layer runs and sends back as results), then writes its
/// answer only from those results. It never names a product a tool did not return. No network, no cost, deterministic.
/// </summary>
public sealed class BuiltInAssistantClient : IChatClient
{
    public const string ModelId = "weedgo-builtin-1";

    /// <summary>ChatOptions.AdditionalProperties keys the assistant service sets (tone, store name, remembered preferences).</summary>
    public const string ToneKey = "weedgo_tone";
    public const string StoreKey = "weedgo_store";
    public const string MemoriesKey = "weedgo_memories";
    /// <summary>Set on the answer's last update when the answer did not help (not understood, nothing found).</summary>
    public const string UnansweredKey = "weedgo_unanswered";

    private sealed record Step(IReadOnlyList<FunctionCallContent>? Calls, string? Text, bool Answered = true);

    private sealed record ToolResult(string Name, JsonElement Args, JsonElement Result);

    public Task<ChatResponse> GetResponseAsync(IEnumerable<AiChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var step = Next(messages.ToList(), options);
        var message = new AiChatMessage(ChatRole.Assistant, step.Calls is { } calls ? [.. calls] : [new TextContent(step.Text)]);
        var response = new ChatResponse(message)
        {
            ModelId = ModelId,
            FinishReason = step.Calls is null ? ChatFinishReason.Stop : ChatFinishReason.ToolCalls,
            Usage = new UsageDetails { InputTokenCount = 0, OutputTokenCount = 0, TotalTokenCount = 0 },
        };
        if (!step.Answered)
        {
            response.AdditionalProperties = new() { [UnansweredKey] = true };
        }
        return Task.FromResult(response);
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<AiChatMessage> messages, ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var step = Next(messages.ToList(), options);
        var id = Guid.NewGuid().ToString("N");
        if (step.Calls is { } calls)
        {
            yield return new ChatResponseUpdate(ChatRole.Assistant, [.. calls]) { ModelId = ModelId, MessageId = id, FinishReason = ChatFinishReason.ToolCalls };
            yield break;
        }
        // Word by word, as a model streams tokens.
        var text = step.Text!;
        var start = 0;
        while (start < text.Length)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var next = text.IndexOf(' ', start);
            var end = next < 0 ? text.Length : next + 1;
            yield return new ChatResponseUpdate(ChatRole.Assistant, text[start..end]) { ModelId = ModelId, MessageId = id };
            start = end;
        }
        await Task.CompletedTask;
        var last = new ChatResponseUpdate(ChatRole.Assistant, [new UsageContent(new UsageDetails { InputTokenCount = 0, OutputTokenCount = 0, TotalTokenCount = 0 })])
        {
            ModelId = ModelId, MessageId = id, FinishReason = ChatFinishReason.Stop,
        };
        if (!step.Answered)
        {
            last.AdditionalProperties = new() { [UnansweredKey] = true };
        }
        yield return last;
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType.IsInstanceOfType(this) ? this
        : serviceType == typeof(ChatClientMetadata) ? new ChatClientMetadata("weedgo-builtin", null, ModelId) : null;

    public void Dispose()
    {
    }

    private static Step Next(List<AiChatMessage> messages, ChatOptions? options)
    {
        var lastUser = messages.FindLastIndex(m => m.Role == ChatRole.User);
        var text = lastUser >= 0 ? messages[lastUser].Text : "";
        var calls = messages.Skip(lastUser + 1).SelectMany(m => m.Contents.OfType<FunctionCallContent>()).ToDictionary(c => c.CallId);
        var results = messages.Skip(lastUser + 1).SelectMany(m => m.Contents.OfType<FunctionResultContent>())
            .Where(r => calls.ContainsKey(r.CallId))
            .Select(r => new ToolResult(calls[r.CallId].Name, JsonSerializer.SerializeToElement(calls[r.CallId].Arguments, AssistantTools.Json), AsJson(r.Result)))
            .ToList();
        var ctx = new Context(options);
        var parsed = AssistantLanguage.Parse(text);
        if (parsed.StrainType is null && parsed.Intent == ShoppingIntent.Recommend && ctx.PreferredStrain is { } preferred)
        {
            parsed = parsed with { StrainType = preferred, Effect = null };
            ctx.UsedPreference = true;
        }
        if (results.FirstOrDefault(r => r.Result.TryGetProperty("refused", out var refused) && refused.ValueKind == JsonValueKind.True) is { } bad)
        {
            return new(null, ctx.Open() + $"Sorry, I could not look that up ({Str(bad.Result, "error")}). A budtender can help: just ask for a person.", false);
        }
        return parsed.Intent switch
        {
            ShoppingIntent.Greeting => new(null, ctx.Open() + $"Hello! I can recommend products by effect, strain, potency or price, check what {ctx.StoreName} has in stock, "
                                                 + "tell you our hours, look up your order, or get you a budtender."),
            ShoppingIntent.Thanks => new(null, "You're welcome! Enjoy, and remember to start low and go slow."),
            ShoppingIntent.Minor => new(null, "I'm sorry, I can't help with that. Cannabis is only for adults 19 and older in Ontario, and I can't give advice for anyone younger."),
            ShoppingIntent.Medical => new(null, ctx.Open() + "I can't give medical advice or say that a product treats a condition. A healthcare practitioner is the right person "
                                                + "to ask. I can show you products with what their labels say (strain, THC and CBD), or get you a budtender."),
            ShoppingIntent.PurchaseLimit => new(null, ctx.Open() + "In Ontario one order may hold at most 30 g of dried cannabis or its equivalent. Other products count by "
                                                      + "equivalency: 1 g of dried flower equals 5 g fresh, 15 g of edibles, 70 g of liquid products, 0.25 g of extracts, "
                                                      + "or 1 seed; accessories don't count. Your cart shows a meter and refuses anything that would go over."),
            ShoppingIntent.HandOff => results.Count == 0
                ? Call(AssistantTools.RequestPerson, new() { ["reason"] = "The customer asked to talk to a person." })
                : new(null, "I've asked a budtender to join this chat. Someone will be with you shortly; you can keep typing here."),
            ShoppingIntent.StoreHours => results.Count == 0 ? Call(AssistantTools.StoreHours, new()) : new(null, ctx.Open() + Hours(results[0].Result)),
            ShoppingIntent.OrderStatus => results.Count == 0
                ? Call(AssistantTools.OrderStatus, parsed.OrderNumber is { } n ? new() { ["order_number"] = n } : new())
                : Orders(results[0].Result, ctx),
            ShoppingIntent.Remember => results.Count == 0
                ? Call(AssistantTools.RememberPreference, new() { ["preference"] = parsed.Preference ?? text })
                : Remembered(results[0].Result, ctx),
            ShoppingIntent.AddToCart => AddToCart(parsed, results, ctx),
            ShoppingIntent.Stock => Stock(parsed, results, ctx),
            ShoppingIntent.Details => Details(parsed, results, ctx),
            ShoppingIntent.Compare => Compare(parsed, results, ctx),
            ShoppingIntent.Recommend => Recommend(parsed, results, ctx),
            _ => new(null, ctx.Open() + "I'm not sure I understood. I can recommend something (try \"something relaxing under $30\"), find a product, "
                           + "check stock, give our hours, look up your order, or get you a person.", false),
        };
    }

    private sealed class Context(ChatOptions? options)
    {
        private string? Prop(string key) => options?.AdditionalProperties?.TryGetValue(key, out var v) == true ? v?.ToString() : null;
        private readonly IReadOnlyList<AIFunctionDeclaration> _tools = options?.Tools?.OfType<AIFunctionDeclaration>().ToList() ?? [];
        private int _calls;

        public string StoreName => Prop(StoreKey) ?? "this store";
        public bool UsedPreference { get; set; }

        public string? PreferredStrain
        {
            get
            {
                var memories = (Prop(MemoriesKey) ?? "").ToLowerInvariant();
                return new[] { "indica", "sativa", "hybrid" }.FirstOrDefault(s => memories.Contains(s, StringComparison.Ordinal) && !memories.Contains("not " + s, StringComparison.Ordinal)
                                                                                  && !memories.Contains("dislike " + s, StringComparison.Ordinal)) is { } hit
                    ? CultureInfo.InvariantCulture.TextInfo.ToTitleCase(hit) : null;
            }
        }

        public string Open() => Prop(ToneKey) switch
        {
            PersonalityTones.Playful => "Ooh, good one! ",
            PersonalityTones.Professional => "",
            PersonalityTones.Calm => "Of course. ",
            _ => "",
        };

        public string NextId() => $"builtin_{++_calls}_{Guid.NewGuid():N}";

        /// <summary>The category as the store's search tool names it (its schema's enum), or null when the store has none like it.</summary>
        public string? StoreCategory(string? category)
        {
            if (category is null)
            {
                return null;
            }
            var tool = _tools.FirstOrDefault(t => t.Name == AssistantTools.SearchProducts);
            if (tool is null || !tool.JsonSchema.TryGetProperty("properties", out var props) || !props.TryGetProperty("category", out var cat)
                || !cat.TryGetProperty("enum", out var values))
            {
                return category;
            }
            static string Key(string s) => new(s.ToLowerInvariant().Where(char.IsLetterOrDigit).ToArray());
            return values.EnumerateArray().Select(v => v.GetString()!).FirstOrDefault(v => Key(v) == Key(category));
        }
    }

    private static Step Call(string name, Dictionary<string, object?> args, Context? ctx = null) =>
        new([new FunctionCallContent(ctx?.NextId() ?? $"builtin_{name}_{Guid.NewGuid():N}", name, args)], null);

    private static Step Calls(params (string Name, Dictionary<string, object?> Args)[] calls) =>
        new(calls.Select((c, i) => new FunctionCallContent($"builtin_{i}_{Guid.NewGuid():N}", c.Name, c.Args)).ToList(), null);

    private static Dictionary<string, object?> SearchArgs(ParsedMessage p, Context ctx, int limit, bool includeSoldOut = false, bool withQuery = true)
    {
        var args = new Dictionary<string, object?> { ["limit"] = limit };
        if (withQuery && p.Query is { } q)
        {
            args["query"] = q;
        }
        if (ctx.StoreCategory(p.Category) is { } category)
        {
            args["category"] = category;
        }
        if (p.StrainType is { } st)
        {
            args["strain_type"] = st;
        }
        if (p.Terpene is { } t)
        {
            args["terpene"] = t;
        }
        if (p.MinPrice is { } minPrice)
        {
            args["min_price"] = minPrice;
        }
        if (p.MaxPrice is { } maxPrice)
        {
            args["max_price"] = maxPrice;
        }
        if (p.MaxThc is { } maxThc)
        {
            args["max_thc"] = maxThc;
        }
        if (p.MinCbd is { } minCbd)
        {
            args["min_cbd"] = minCbd;
        }
        if (p.Sort is { } sort)
        {
            args["sort"] = sort;
        }
        if (p.Size is { } size)
        {
            args["size"] = size;
        }
        if (includeSoldOut)
        {
            args["include_sold_out"] = true;
        }
        return args;
    }

    private static Step Recommend(ParsedMessage p, List<ToolResult> results, Context ctx)
    {
        if (results.Count == 0)
        {
            return Call(AssistantTools.SearchProducts, SearchArgs(p, ctx, 3), ctx);
        }
        var products = Products(results[^1].Result);
        if (products.Count == 0 && results.Count == 1 && p.Query is not null && p.HasFilters)
        {
            // Nothing with those words: the same wishes without them.
            return Call(AssistantTools.SearchProducts, SearchArgs(p, ctx, 3, withQuery: false), ctx);
        }
        if (products.Count == 0)
        {
            return new(null, ctx.Open() + $"I couldn't find anything in stock at {ctx.StoreName} matching {Describe(p)}. Try fewer wishes "
                             + "(a category, a strain type or a price), or ask for a person.", false);
        }
        var sb = new StringBuilder(ctx.Open());
        var corrected = results[^1].Result.TryGetProperty("corrected", out var c) && c.ValueKind == JsonValueKind.True;
        if (corrected && p.Query is not null)
        {
            sb.Append($"Nothing at {ctx.StoreName} matches \"{p.Query}\" exactly; the closest {(products.Count == 1 ? "match is" : "matches are")}:");
        }
        else if (results.Count > 1 && p.Query is not null)
        {
            sb.Append($"I couldn't find \"{p.Query}\", but ");
            sb.Append($"here {(products.Count == 1 ? "is" : "are")} {Count(products.Count)} {Describe(p with { Query = null })} in stock at {ctx.StoreName}:");
        }
        else
        {
            sb.Append($"Here {(products.Count == 1 ? "is" : "are")} {Count(products.Count)} {Describe(p)} in stock at {ctx.StoreName}:");
        }
        foreach (var x in products)
        {
            sb.Append("\n• ").Append(Line(x));
        }
        if (ctx.UsedPreference)
        {
            sb.Append($"\n(I picked {p.StrainType!.ToLowerInvariant()} because you told me you prefer it.)");
        }
        else if (p.Effect is not null && p.StrainType is not null)
        {
            sb.Append($"\n{p.StrainType} strains are often chosen for {p.Effect}; everyone reacts differently, so start low and go slow.");
        }
        return new(null, sb.ToString());
    }

    private static Step Stock(ParsedMessage p, List<ToolResult> results, Context ctx)
    {
        if (results.Count == 0)
        {
            return Call(AssistantTools.SearchProducts, SearchArgs(p, ctx, 3, includeSoldOut: true), ctx);
        }
        var found = Products(results[0].Result);
        if (found.Count == 0)
        {
            return new(null, ctx.Open() + $"{ctx.StoreName} doesn't carry anything called \"{p.Query}\". Want me to suggest something similar? Tell me the kind of product you like.", false);
        }
        if (results.Count == 1)
        {
            return Call(AssistantTools.StockAtStore, new() { ["sku"] = found[0].Sku }, ctx);
        }
        var stock = results[1].Result;
        var product = found[0];
        var available = stock.TryGetProperty("available", out var a) ? a.GetInt32() : 0;
        var sb = new StringBuilder(ctx.Open());
        sb.Append(available > 0
            ? $"Yes: {ctx.StoreName} has {available} of {product.Name}{Size(product)} available right now ({Money(product.Price)})."
            : $"{product.Name}{Size(product)} is sold out at {ctx.StoreName} right now.");
        var others = found.Skip(1).Where(x => x.InStock).ToList();
        if (others.Count > 0)
        {
            sb.Append(" Also in stock:");
            foreach (var x in others)
            {
                sb.Append("\n• ").Append(Line(x));
            }
        }
        return new(null, sb.ToString());
    }

    private static Step Details(ParsedMessage p, List<ToolResult> results, Context ctx)
    {
        if (results.Count == 0)
        {
            return Call(AssistantTools.SearchProducts, SearchArgs(p, ctx, 1, includeSoldOut: true), ctx);
        }
        var found = Products(results[0].Result);
        if (found.Count == 0)
        {
            return new(null, ctx.Open() + $"I couldn't find \"{p.Query}\" on {ctx.StoreName}'s menu.", false);
        }
        if (results.Count == 1)
        {
            return Call(AssistantTools.ProductDetails, new() { ["sku"] = found[0].Sku }, ctx);
        }
        var d = results[1].Result;
        var x = Products(d).FirstOrDefault() ?? found[0];
        var sb = new StringBuilder(ctx.Open());
        sb.Append($"{x.Name}{(x.Brand is null ? "" : " by " + x.Brand)}{Size(x)}: {x.Category}");
        if (x.StrainType is not null)
        {
            sb.Append($", {x.StrainType.ToLowerInvariant()}");
        }
        sb.Append('.');
        if (x.ThcLabel is not null || x.CbdLabel is not null)
        {
            sb.Append($" The label says THC {x.ThcLabel ?? "—"}, CBD {x.CbdLabel ?? "—"}.");
        }
        if (Str(d, "terpenes") is { } terps)
        {
            sb.Append($" Terpenes: {terps}.");
        }
        if (d.TryGetProperty("equivalency_grams_per_unit", out var eq) && eq.GetDecimal() > 0)
        {
            sb.Append($" Each unit counts {eq.GetDecimal().ToString("0.###", CultureInfo.InvariantCulture)} g toward the 30 g limit.");
        }
        sb.Append(x.InStock ? $" {Money(x.Price)}, {x.Available} available here." : $" {Money(x.Price)}, sold out here right now.");
        if (Str(d, "description") is { } description)
        {
            sb.Append(' ').Append(description);
        }
        return new(null, sb.ToString());
    }

    private static Step Compare(ParsedMessage p, List<ToolResult> results, Context ctx)
    {
        if (results.Count == 0)
        {
            return Calls(
                (AssistantTools.SearchProducts, new() { ["query"] = p.CompareA, ["limit"] = 1, ["include_sold_out"] = true }),
                (AssistantTools.SearchProducts, new() { ["query"] = p.CompareB, ["limit"] = 1, ["include_sold_out"] = true }));
        }
        var a = results.Count > 0 ? Products(results[0].Result).FirstOrDefault() : null;
        var b = results.Count > 1 ? Products(results[1].Result).FirstOrDefault() : null;
        if (a is null || b is null)
        {
            return new(null, ctx.Open() + $"I couldn't find {(a is null ? $"\"{p.CompareA}\"" : $"\"{p.CompareB}\"")} on {ctx.StoreName}'s menu, so I can't compare them.", false);
        }
        var sb = new StringBuilder(ctx.Open());
        sb.Append("Side by side, as the labels give them:");
        foreach (var x in new[] { a, b })
        {
            sb.Append("\n• ").Append(Line(x));
        }
        if (a.Price is { } pa && b.Price is { } pb && pa != pb)
        {
            sb.Append($"\n{(pa < pb ? a.Name : b.Name)} costs {Money(Math.Abs(pa - pb))} less.");
        }
        return new(null, sb.ToString());
    }

    private static Step AddToCart(ParsedMessage p, List<ToolResult> results, Context ctx)
    {
        if (results.Count == 0)
        {
            if (p.Query is null && !p.HasFilters)
            {
                return new(null, "Which product should I add? Tell me its name, for example \"add Blue Dream 3.5 g to my cart\".", false);
            }
            return Call(AssistantTools.SearchProducts, SearchArgs(p, ctx, 1), ctx);
        }
        var found = Products(results[0].Result);
        if (found.Count == 0)
        {
            return new(null, ctx.Open() + $"I couldn't find {Describe(p)} in stock at {ctx.StoreName}, so nothing was added.", false);
        }
        if (results.Count == 1)
        {
            return Call(AssistantTools.AddToCart, new() { ["product_id"] = found[0].ProductId.ToString(), ["quantity"] = p.Quantity }, ctx);
        }
        var r = results[1].Result;
        if (r.TryGetProperty("added", out var added) && added.ValueKind == JsonValueKind.True)
        {
            return new(null, ctx.Open() + $"Added {p.Quantity} × {found[0].Name}{Size(found[0])} to your cart. Your cart now holds {Str(r, "limit_meter")} "
                             + "of the 30 g limit.");
        }
        return new(null, ctx.Open() + $"I couldn't add {found[0].Name}: {Str(r, "reason")}", false);
    }

    private static Step Orders(JsonElement r, Context ctx)
    {
        if (r.TryGetProperty("signed_in", out var signedIn) && signedIn.ValueKind == JsonValueKind.False)
        {
            return new(null, "Please sign in and ask again: I can only look up orders on your own account.", false);
        }
        if (r.TryGetProperty("found", out var found) && found.ValueKind == JsonValueKind.False)
        {
            return new(null, ctx.Open() + (Str(r, "message") ?? "I couldn't find any orders on your account.")
                             + " I can only see orders placed on your own account.", false);
        }
        var sb = new StringBuilder(ctx.Open());
        var list = r.GetProperty("orders").EnumerateArray().ToList();
        sb.Append(list.Count == 1 ? "Here is your order:" : "Your most recent orders:");
        foreach (var o in list)
        {
            sb.Append($"\n• #{Str(o, "number")} at {Str(o, "store")} ({Str(o, "placed")}): {Str(o, "status")}, {o.GetProperty("items").GetInt32()} item(s), "
                      + $"{Money(o.GetProperty("total").GetDecimal())}");
        }
        return new(null, sb.ToString());
    }

    private static Step Remembered(JsonElement r, Context ctx) =>
        r.TryGetProperty("remembered", out var ok) && ok.ValueKind == JsonValueKind.True
            ? new(null, ctx.Open() + $"Got it, I'll remember that: \"{Str(r, "preference")}\". You can see or delete what I remember under My account → Assistant memory.")
            : new(null, Str(r, "reason") ?? "I couldn't remember that.", false);

    private static string Hours(JsonElement r)
    {
        var sb = new StringBuilder();
        sb.Append($"{Str(r, "store")} is {(r.GetProperty("open_now").GetBoolean() ? "open now" : "closed right now")}; today: {Str(r, "today")}.");
        sb.Append(" This week:");
        foreach (var d in r.GetProperty("week").EnumerateArray())
        {
            sb.Append($"\n• {Str(d, "day")}: {Str(d, "hours")}");
        }
        if (Str(r, "address") is { } address)
        {
            sb.Append($"\nWe're at {address}{(Str(r, "phone") is { } phone ? $", {phone}" : "")}.");
        }
        return sb.ToString();
    }

    private static List<ToolProduct> Products(JsonElement r) =>
        r.ValueKind == JsonValueKind.Object && r.TryGetProperty("products", out var list) && list.ValueKind == JsonValueKind.Array
            ? list.Deserialize<List<ToolProduct>>(AssistantTools.Json) ?? []
            : [];

    private static JsonElement AsJson(object? value) => value switch
    {
        JsonElement e => e,
        string s when s.TrimStart().StartsWith('{') => JsonDocument.Parse(s).RootElement.Clone(),
        null => JsonSerializer.SerializeToElement(new { }),
        _ => JsonSerializer.SerializeToElement(value, AssistantTools.Json),
    };

    private static string? Str(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static string Money(decimal? amount) => amount is { } a ? OrderMath.Money(a) : "price on request";

    private static string Size(ToolProduct x) => x.Size is null ? "" : $" ({x.Size})";

    private static string Count(int n) => n switch { 1 => "one", 2 => "two", 3 => "three", 4 => "four", 5 => "five", _ => n.ToString(CultureInfo.InvariantCulture) };

    public static string Line(ToolProduct x)
    {
        var parts = new List<string> { $"{x.Name}{(x.Brand is null ? "" : " – " + x.Brand)}{Size(x)}" };
        if (x.StrainType is not null)
        {
            parts.Add(x.StrainType);
        }
        if (x.ThcLabel is not null)
        {
            parts.Add("THC " + x.ThcLabel);
        }
        if (x.CbdLabel is not null)
        {
            parts.Add("CBD " + x.CbdLabel);
        }
        parts.Add(Money(x.Price));
        parts.Add(x.Available <= 0 ? "sold out here" : x.Available < 5 ? $"only {x.Available} left" : "in stock");
        return string.Join(" · ", parts);
    }

    private static string Describe(ParsedMessage p)
    {
        var words = new List<string>();
        if (p.Sort == "potency")
        {
            words.Add("high-THC");
        }
        else if (p.MaxThc is not null)
        {
            words.Add("milder");
        }
        if (p.MinCbd is not null)
        {
            words.Add("CBD-rich");
        }
        if (p.Sort == "price_low")
        {
            words.Add("budget");
        }
        if (p.StrainType is { } st)
        {
            words.Add(st.ToLowerInvariant());
        }
        if (p.Terpene is { } t)
        {
            words.Add(t.ToLowerInvariant() + "-rich");
        }
        if (p.Query is { } q)
        {
            words.Add($"\"{q}\"");
        }
        if (p.Size is { } size)
        {
            words.Add(size);
        }
        if (p.Category is { } c)
        {
            words.Add(c.ToLowerInvariant());
        }
        else if (p.Query is null || words.Count > 1)
        {
            words.Add("picks");
        }
        var text = string.Join(' ', words);
        if (p.MaxPrice is { } max && p.MinPrice is { } min)
        {
            text += $" between {OrderMath.Money(min)} and {OrderMath.Money(max)}";
        }
        else if (p.MaxPrice is { } m)
        {
            text += $" under {OrderMath.Money(m)}";
        }
        else if (p.MinPrice is { } n)
        {
            text += $" over {OrderMath.Money(n)}";
        }
        return text;
    }
}
