using System.Runtime.CompilerServices;
using WeedGo.Core.Chat;
using WeedGo.Core.RateLimiting;

namespace WeedGo.Tests.Chat;

/// <summary>
/// A small, scripted <see cref="IAssistant"/> for the chat's tests only (the real one is the AI side's; this is never registered
/// in the app). It answers by keyword: "recommend" → a tool call, product cards and text in chunks; "person" → a hand-off;
/// "budget" → a staff-only note; "explode" → throws mid-reply; anything else → an echo. It counts the questions it got.
/// </summary>
public sealed class ScriptedAssistant : IAssistant
{
    private int _calls;

    public int Calls => Volatile.Read(ref _calls);

    public bool Enabled { get; set; } = true;

    /// <summary>The cards a recommendation shows (tests put real products here).</summary>
    public IReadOnlyList<AssistantProductRef> Products { get; set; } = [];

    /// <summary>Delay between chunks (the hub and SSE tests leave it at zero).</summary>
    public TimeSpan ChunkDelay { get; set; }

    public Task<AssistantProfile> ProfileAsync(Guid storeId, CancellationToken ct = default) =>
        Task.FromResult(new AssistantProfile(Enabled, Guid.Parse("0193a000-0000-7000-8000-00000000b0d1"), "Budd", null,
            "Hi, I'm Budd. What are you in the mood for?", ["Recommend something relaxing", "Store hours"]));

    public async IAsyncEnumerable<AssistantUpdate> ReplyAsync(AssistantRequest request, [EnumeratorCancellation] CancellationToken ct = default)
    {
        Interlocked.Increment(ref _calls);
        var q = request.Message.ToLowerInvariant();
        if (q.Contains("recommend"))
        {
            yield return new AssistantToolCall("search_products", "{\"effect\":\"relaxing\"}", $"{{\"count\":{Products.Count}}}", false);
            yield return new AssistantProducts(Products);
            foreach (var chunk in new[] { "Here ", "are ", "two ", "relaxing ", "picks." })
            {
                if (ChunkDelay > TimeSpan.Zero)
                {
                    await Task.Delay(ChunkDelay, ct);
                }
                yield return new AssistantText(chunk);
            }
        }
        else if (q.Contains("person"))
        {
            yield return new AssistantText("Sure, I'll get someone from the store.");
            yield return new AssistantHandOff("The customer asked for a person.");
        }
        else if (q.Contains("budget"))
        {
            yield return new AssistantStaffNote("Monthly AI budget reached: the built-in assistant answers now.");
            yield return new AssistantText("Happy to help.");
        }
        else if (q.Contains("explode"))
        {
            yield return new AssistantText("Let me ");
            throw new InvalidOperationException("The scripted assistant failed on purpose.");
        }
        else
        {
            yield return new AssistantText("You said: " + request.Message + $" ({request.History.Count} earlier)");
        }
        await Task.Yield();
        yield return new AssistantUsage("scripted", "script-1", 12, 7, 0.0001m, TimeSpan.FromMilliseconds(3), false);
    }
}

/// <summary>An <see cref="IOperationLimiter"/> double for tests: allows everything until told to refuse.</summary>
public sealed class SwitchableLimiter : IOperationLimiter
{
    public TimeSpan? RefuseFor { get; set; }
    public List<string> Operations { get; } = [];

    public ValueTask<RateDecision> TryAcquireAsync(string operation, CancellationToken ct = default)
    {
        lock (Operations)
        {
            Operations.Add(operation);
        }
        return ValueTask.FromResult(RefuseFor is { } wait ? RateDecision.Refuse(wait) : RateDecision.Allow);
    }
}
