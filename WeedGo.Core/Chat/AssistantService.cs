using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WeedGo.Core.Common;
using WeedGo.Core.Data;
using WeedGo.Core.RateLimiting;
using WeedGo.Core.Tenancy;

namespace WeedGo.Core.Chat;

// The chat model's message, not the conversation entity of the same name in this namespace.
using AiChatMessage = Microsoft.Extensions.AI.ChatMessage;

/// <summary>
/// The store's AI budtender (<see cref="IAssistant"/>). Per reply: reads the store's settings and personality, picks the client
/// (OpenAI-compatible, Ollama, or the built-in assistant when nothing is configured, the monthly budget is spent, the
/// customer's model-call limit is reached or the provider fails), wraps it the same way for every provider (cache, usage meter,
/// function invocation, OpenTelemetry), streams the answer with tool calls, product cards and hand-off, checks the text for
/// compliance, and records one usage row.
/// </summary>
public sealed class AssistantService(
    IDbContextFactory<WeedGoDbContext> contexts, AssistantTools tools, CustomerMemoryService memory, ChatClientFactory clients,
    IOptionsMonitor<AssistantOptions> options, ICurrentUser user, TimeProvider clock, ILoggerFactory loggers, IServiceProvider services) : IAssistant
{
    public const string TelemetrySource = "WeedGo.Assistant";
    /// <summary>Words held back while streaming, so a phrase the post-check refuses never reaches the customer.</summary>
    public const int HoldBackWords = 8;
    public const int MaxMessageLength = 2000;
    public const int MaxHistoryTurns = 20;

    private readonly ILogger _log = loggers.CreateLogger<AssistantService>();

    public async Task<AssistantProfile> ProfileAsync(Guid storeId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var (settings, personality) = await AssistantSettingsService.ResolveAsync(db, storeId, ct);
        return new AssistantProfile(settings.Enabled && await db.Stores.AnyAsync(s => s.Id == storeId, ct), personality.Id, personality.Name, personality.Avatar, personality.Greeting, personality.QuickReplies);
    }

    public IAsyncEnumerable<AssistantUpdate> ReplyAsync(AssistantRequest request, CancellationToken ct = default) => RunAsync(request, null, ct);

    /// <summary>A reply as <paramref name="personality"/> would give it (the admin preview); recorded like any reply, without a conversation.</summary>
    public IAsyncEnumerable<AssistantUpdate> PreviewAsync(Guid storeId, AiPersonality personality, string message, CancellationToken ct = default) =>
        RunAsync(new AssistantRequest(storeId, Guid.Empty, [], message), personality, ct);

    private sealed record Plan(IChatClient Client, string Provider, string Model, bool FellBack, string? StaffNote, string? HandOff);

    private async IAsyncEnumerable<AssistantUpdate> RunAsync(AssistantRequest request, AiPersonality? personalityOverride, [EnumeratorCancellation] CancellationToken ct)
    {
        var started = clock.GetTimestamp();
        var o = options.CurrentValue;
        StoreAiSettings settings;
        AiPersonality personality;
        string storeName, timeZone;
        Guid tenantId;
        await using (var db = await contexts.CreateDbContextAsync(ct))
        {
            var store = await db.Stores.AsNoTracking().Where(s => s.Id == request.StoreId).Select(s => new { s.Name, s.TimeZoneId, s.TenantId }).FirstOrDefaultAsync(ct);
            if (store is null)
            {
                yield return new AssistantText("This store was not found.");
                yield return new AssistantUsage("none", "", 0, 0, 0m, TimeSpan.Zero, false);
                yield break;
            }
            (storeName, timeZone, tenantId) = (store.Name, store.TimeZoneId, store.TenantId);
            (settings, personality) = await AssistantSettingsService.ResolveAsync(db, request.StoreId, ct);
            personality = personalityOverride ?? personality;
        }
        var message = (request.Message ?? "").Trim();
        if (message.Length > MaxMessageLength)
        {
            message = message[..MaxMessageLength];
        }
        if (!settings.Enabled && personalityOverride is null)
        {
            yield return new AssistantText("Our assistant is off at this store right now; a budtender will answer you here.");
            yield return new AssistantHandOff("The assistant is turned off at this store.");
            yield return new AssistantUsage("off", "", 0, 0, 0m, clock.GetElapsedTime(started), false);
            yield break;
        }
        if (settings.HandOffKeywords.FirstOrDefault(k => k.Length > 0 && message.Contains(k, StringComparison.OrdinalIgnoreCase)) is { } keyword)
        {
            yield return new AssistantText("I'll get a budtender to help you with that. Someone will be with you shortly.");
            yield return new AssistantHandOff($"The customer wrote \"{keyword}\" (a hand-off keyword of this store).");
            await RecordAsync(tenantId, request, "builtin", BuiltInAssistantClient.ModelId, new UsageMeter(), 0m, started, cached: false, answered: true, blocked: false, fellBack: false, ct);
            yield return new AssistantUsage("builtin", BuiltInAssistantClient.ModelId, 0, 0, 0m, clock.GetElapsedTime(started), false);
            yield break;
        }

        var plan = await PlanAsync(request, settings, timeZone, ct);
        if (plan.StaffNote is not null)
        {
            yield return new AssistantStaffNote(plan.StaffNote);
        }
        if (plan.HandOff is not null)
        {
            yield return new AssistantText("Let me get a budtender for you. Someone will be with you shortly.");
            yield return new AssistantHandOff(plan.HandOff);
            await RecordAsync(tenantId, request, "builtin", BuiltInAssistantClient.ModelId, new UsageMeter(), 0m, started, false, true, false, true, ct);
            yield return new AssistantUsage("builtin", BuiltInAssistantClient.ModelId, 0, 0, 0m, clock.GetElapsedTime(started), false);
            yield break;
        }

        var memories = user.IsAuthenticated ? await memory.TextsAsync(ct) : [];
        var toolset = await tools.ForStoreAsync(request.StoreId, request.ConversationId == Guid.Empty ? null : request.ConversationId, o.SearchLimit, ct);
        var messages = Messages(request, message, personality, storeName, memories);
        var chatOptions = new ChatOptions
        {
            Tools = [.. toolset],
            ToolMode = ChatToolMode.Auto,
            Temperature = (float)settings.Temperature,
            MaxOutputTokens = settings.MaxTokens,
            ModelId = plan.Model,
            AdditionalProperties = new()
            {
                [BuiltInAssistantClient.ToneKey] = personality.Tone,
                [BuiltInAssistantClient.StoreKey] = storeName,
                [BuiltInAssistantClient.MemoriesKey] = string.Join("; ", memories),
            },
        };
        var uncacheable = toolset.Where(t => t.ChangesState).Select(t => t.Name).ToHashSet();
        var cacheContext = $"{request.StoreId:N}|{plan.Provider}|{plan.Model}|{personality.Id:N}|{personality.UpdatedAt.UtcTicks}|{personality.Tone}|{settings.Temperature}|{settings.MaxTokens}";

        var state = new ReplyState();
        var attempt = plan;
        while (true)
        {
            var meter = new UsageMeter();
            var client = ChatClientFactory.Wrap(attempt.Client, meter, services.GetService<IDistributedCache>(), o.CacheFor, cacheContext, uncacheable, loggers, services);
            var failed = false;
            await using (var stream = client.GetStreamingResponseAsync(messages, chatOptions, ct).GetAsyncEnumerator(ct))
            {
                while (true)
                {
                    ChatResponseUpdate update;
                    try
                    {
                        if (!await stream.MoveNextAsync())
                        {
                            break;
                        }
                        update = stream.Current;
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
                    {
                        _log.LogWarning(ex, "Assistant provider {Provider} ({Model}) failed for store {Store}", attempt.Provider, attempt.Model, request.StoreId);
                        failed = true;
                        break;
                    }
                    foreach (var u in state.Take(update))
                    {
                        yield return u;
                    }
                }
            }
            if (failed && !state.AnyTextYielded && attempt.Provider != "builtin")
            {
                // The model could not answer: the built-in assistant does, and staff are told why.
                yield return new AssistantStaffNote($"The {attempt.Provider} provider ({attempt.Model}) failed; the built-in assistant answered instead.");
                attempt = new Plan(clients.BuiltIn, "builtin", BuiltInAssistantClient.ModelId, true, null, null);
                state = new ReplyState();
                continue;
            }
            if (failed)
            {
                state.Fail();
            }
            foreach (var u in state.Finish(_log, request.StoreId))
            {
                yield return u;
            }
            var cached = meter.Calls == 0;
            var cost = attempt.Provider == "builtin" || cached ? 0m : o.CostOf(attempt.Model, (int)meter.InputTokens, (int)meter.OutputTokens);
            var handOff = state.HandOffReason;
            if (handOff is null && !state.Answered && settings.HandOffAfterUnanswered is { } limit and > 0
                && await UnansweredInARowAsync(request.ConversationId, limit - 1, ct) >= limit - 1)
            {
                handOff = $"{limit} answers in a row did not help the customer.";
                yield return new AssistantText("\n\nI'm not getting this right, so I've asked a budtender to join.");
            }
            if (handOff is not null)
            {
                yield return new AssistantHandOff(handOff);
            }
            await RecordAsync(tenantId, request, attempt.Provider, attempt.Model, meter, cost, started, cached, state.Answered, state.Blocked, attempt.FellBack, ct);
            yield return new AssistantUsage(attempt.Provider, attempt.Model, cached ? 0 : (int)meter.InputTokens, cached ? 0 : (int)meter.OutputTokens,
                cost, clock.GetElapsedTime(started), cached);
            yield break;
        }
    }

    private async Task<Plan> PlanAsync(AssistantRequest request, StoreAiSettings settings, string timeZone, CancellationToken ct)
    {
        var builtIn = new Plan(clients.BuiltIn, "builtin", BuiltInAssistantClient.ModelId, false, null, null);
        if (settings.Provider == AssistantProvider.BuiltIn)
        {
            return builtIn;
        }
        var provider = settings.Provider == AssistantProvider.OpenAI ? "openai" : "ollama";
        if (settings.MonthlyBudget is { } budget)
        {
            var spent = await SpentThisMonthAsync(request.StoreId, timeZone, ct);
            if (spent >= budget)
            {
                var note = $"The monthly AI budget of {Ordering.OrderMath.Money(budget)} is spent ({Ordering.OrderMath.Money(spent)} this month)";
                return settings.HandOffWhenBudgetExhausted
                    ? builtIn with { FellBack = true, StaffNote = note + ": this store hands chats to staff until next month.", HandOff = "The store's monthly AI budget is spent." }
                    : builtIn with { FellBack = true, StaffNote = note + ": the built-in assistant answers until next month." };
            }
        }
        if (services.GetService<IOperationLimiter>() is { } limiter)
        {
            var decision = await limiter.TryAcquireAsync(RateOperations.AiModel, ct);
            if (!decision.Allowed)
            {
                return builtIn with { FellBack = true, StaffNote = "This customer reached the hourly limit of AI model calls: the built-in assistant answers for now." };
            }
        }
        var (client, model, problem) = clients.Create(settings);
        if (client is null)
        {
            _log.LogWarning("Assistant for store {Store} cannot use {Provider}: {Problem}", request.StoreId, provider, problem);
            return builtIn with { FellBack = true, StaffNote = $"The {provider} provider is not usable ({problem}): the built-in assistant answers." };
        }
        return new Plan(client, provider, model, false, null, null);
    }

    private static List<AiChatMessage> Messages(AssistantRequest request, string message, AiPersonality personality, string storeName, IReadOnlyList<string> memories)
    {
        var list = new List<AiChatMessage>
        {
            new(ChatRole.System, AssistantCompliance.SystemPrompt(personality.SystemPrompt, personality.Language, storeName, memories)),
        };
        foreach (var turn in request.History.TakeLast(MaxHistoryTurns))
        {
            switch (turn.Author)
            {
                case ChatAuthorKind.Customer:
                    list.Add(new AiChatMessage(ChatRole.User, turn.Text));
                    break;
                case ChatAuthorKind.Assistant:
                    list.Add(new AiChatMessage(ChatRole.Assistant, turn.Text));
                    break;
                case ChatAuthorKind.Staff:
                    list.Add(new AiChatMessage(ChatRole.Assistant, "(A staff member wrote:) " + turn.Text));
                    break;
            }
        }
        list.Add(new AiChatMessage(ChatRole.User, message));
        return list;
    }

    /// <summary>Model spend of the store since the first of this month, store time.</summary>
    public async Task<decimal> SpentThisMonthAsync(Guid storeId, string timeZone, CancellationToken ct = default)
    {
        var since = MonthStart(timeZone, clock.GetUtcNow());
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.AiUsage.Where(u => u.StoreId == storeId && u.CreatedAt >= since).SumAsync(u => u.Cost, ct);
    }

    public static DateTimeOffset MonthStart(string timeZone, DateTimeOffset now)
    {
        var local = StoreHours.AtStore(timeZone, now);
        var first = new DateTime(local.Year, local.Month, 1, 0, 0, 0, DateTimeKind.Unspecified);
        return new DateTimeOffset(first, StoreHours.Zone(timeZone).GetUtcOffset(first)).ToUniversalTime();
    }

    private async Task<int> UnansweredInARowAsync(Guid conversationId, int take, CancellationToken ct)
    {
        if (conversationId == Guid.Empty || take <= 0)
        {
            return take <= 0 ? 0 : -1;
        }
        await using var db = await contexts.CreateDbContextAsync(ct);
        var recent = await db.AiUsage.AsNoTracking().Where(u => u.ConversationId == conversationId).OrderByDescending(u => u.CreatedAt).ThenByDescending(u => u.Id)
            .Take(take).Select(u => u.Answered).ToListAsync(ct);
        return recent.TakeWhile(a => !a).Count();
    }

    private async Task RecordAsync(Guid tenantId, AssistantRequest request, string provider, string model, UsageMeter meter, decimal cost, long started, bool cached,
        bool answered, bool blocked, bool fellBack, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        db.AiUsage.Add(new AiUsage
        {
            TenantId = tenantId,
            StoreId = request.StoreId, ConversationId = request.ConversationId == Guid.Empty ? null : request.ConversationId, UserId = user.UserId,
            Provider = provider, Model = model, InputTokens = cached ? 0 : (int)meter.InputTokens, OutputTokens = cached ? 0 : (int)meter.OutputTokens,
            Cost = cost, LatencyMs = (int)Math.Min(int.MaxValue, clock.GetElapsedTime(started).TotalMilliseconds), Cached = cached, Answered = answered,
            Blocked = blocked, FellBack = fellBack,
        });
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Turns a client's updates into assistant updates: streamed text (with a hold-back window for the post-check), tool
    /// calls with their results, product cards, hand-off.</summary>
    private sealed class ReplyState
    {
        private readonly StringBuilder _text = new();
        private readonly Dictionary<string, FunctionCallContent> _calls = [];
        private readonly HashSet<Guid> _shown = [];
        private readonly List<string> _labels = [];
        private int _yielded;

        public bool AnyTextYielded => _yielded > 0;
        public bool Answered { get; private set; } = true;
        public bool Blocked { get; private set; }
        public string? HandOffReason { get; private set; }
        private bool _failed;

        public void Fail() => _failed = true;

        public IEnumerable<AssistantUpdate> Take(ChatResponseUpdate update)
        {
            if (update.AdditionalProperties?.TryGetValue(BuiltInAssistantClient.UnansweredKey, out var flag) == true
                && (flag is true || flag is JsonElement { ValueKind: JsonValueKind.True }))
            {
                Answered = false;
            }
            foreach (var content in update.Contents)
            {
                switch (content)
                {
                    case FunctionCallContent call:
                        _calls[call.CallId] = call;
                        break;
                    case FunctionResultContent result:
                        foreach (var u in ToolResult(result))
                        {
                            yield return u;
                        }
                        break;
                    case TextContent text when update.Role != ChatRole.Tool && !string.IsNullOrEmpty(text.Text):
                        _text.Append(text.Text);
                        if (!Blocked && AssistantCompliance.Check(_text.ToString(), _labels) is { Passed: false })
                        {
                            Blocked = true;
                        }
                        if (!Blocked && SafeUpTo() is { } chunk)
                        {
                            yield return new AssistantText(chunk);
                        }
                        break;
                }
            }
        }

        /// <summary>The text that may be shown now: everything but the last <see cref="HoldBackWords"/> words.</summary>
        private string? SafeUpTo()
        {
            var all = _text.ToString();
            var cut = all.Length;
            for (var words = 0; words < HoldBackWords && cut > _yielded; words++)
            {
                var space = all.LastIndexOfAny([' ', '\n'], Math.Max(0, cut - 1));
                if (space < _yielded)
                {
                    return null;
                }
                cut = space;
            }
            if (cut <= _yielded)
            {
                return null;
            }
            var chunk = all[_yielded..cut];
            _yielded = cut;
            return chunk;
        }

        private IEnumerable<AssistantUpdate> ToolResult(FunctionResultContent result)
        {
            var call = _calls.GetValueOrDefault(result.CallId);
            var json = result.Result switch
            {
                JsonElement e => e,
                string s => JsonSerializer.SerializeToElement(s),
                null => JsonSerializer.SerializeToElement(new { }),
                var other => JsonSerializer.SerializeToElement(other, AssistantTools.Json),
            };
            var refused = json.ValueKind == JsonValueKind.Object && json.TryGetProperty("refused", out var r) && r.ValueKind == JsonValueKind.True;
            yield return new AssistantToolCall(call?.Name ?? "unknown", JsonSerializer.Serialize(call?.Arguments ?? new Dictionary<string, object?>(), AssistantTools.Json),
                json.GetRawText(), refused);
            if (json.ValueKind != JsonValueKind.Object)
            {
                yield break;
            }
            if (json.TryGetProperty("products", out var list) && list.ValueKind == JsonValueKind.Array)
            {
                var products = list.Deserialize<List<ToolProduct>>(AssistantTools.Json) ?? [];
                foreach (var p in products)
                {
                    _labels.AddRange(new[] { p.ThcLabel, p.CbdLabel }.OfType<string>());
                }
                var fresh = products.Where(p => _shown.Add(p.ProductId)).Select(p => p.ToRef()).ToList();
                if (fresh.Count > 0)
                {
                    yield return new AssistantProducts(fresh);
                }
            }
            if (json.TryGetProperty("related", out var related) && related.ValueKind == JsonValueKind.Array)
            {
                _labels.AddRange((related.Deserialize<List<ToolProduct>>(AssistantTools.Json) ?? []).SelectMany(p => new[] { p.ThcLabel, p.CbdLabel }).OfType<string>());
            }
            if (json.TryGetProperty("handoff", out var h) && h.ValueKind == JsonValueKind.True)
            {
                HandOffReason = json.TryGetProperty("reason", out var reason) ? reason.GetString() : "The customer asked for a person.";
            }
        }

        public IEnumerable<AssistantUpdate> Finish(ILogger log, Guid storeId)
        {
            var all = _text.ToString();
            if (!Blocked && all.Length > 0 && AssistantCompliance.Check(all, _labels) is { Passed: false })
            {
                Blocked = true;
            }
            if (Blocked)
            {
                var verdict = AssistantCompliance.Check(all, _labels);
                log.LogWarning("Assistant reply for store {Store} failed the compliance post-check ({Rule}: \"{Match}\") and was replaced", storeId,
                    verdict.Rule, verdict.Match);
                yield return new AssistantReplaceText(AssistantCompliance.SafeReply);
                yield break;
            }
            if (_failed)
            {
                Answered = false;
                var rest = all[_yielded..];
                _yielded = all.Length;
                yield return new AssistantText(rest + (all.Length > 0 ? "\n\n" : "") + "Sorry, I lost my connection. Please ask again, or ask for a person.");
                yield break;
            }
            if (all.Length == 0 && HandOffReason is null)
            {
                Answered = false;
                yield return new AssistantText("Sorry, I don't have an answer for that. Ask me another way, or ask for a person.");
                yield break;
            }
            if (_yielded < all.Length)
            {
                var rest = all[_yielded..];
                _yielded = all.Length;
                yield return new AssistantText(rest);
            }
        }
    }
}
