namespace WeedGo.Core.RateLimiting;

/// <summary>
/// Rate limits inside services, for work that never passes HTTP middleware (clicks in a Blazor circuit): sign-in, one-time
/// codes, checkout, chat, search. The implementation finds the rules for the operation (global, tenant, user, IP), takes a
/// token from each bucket and records violations. The caller and where they come from are ambient (ICurrentUser,
/// ITenantContext, IAuditRequestContext).
/// </summary>
public interface IOperationLimiter
{
    ValueTask<RateDecision> TryAcquireAsync(string operation, CancellationToken ct = default);
}

/// <summary>Operation names shared by services and rules.</summary>
public static class RateOperations
{
    public const string SignIn = "sign-in";
    public const string OneTimeCode = "one-time-code";
    public const string Checkout = "checkout";
    /// <summary>A message a customer posts in a chat (to the assistant or to staff).</summary>
    public const string Chat = "chat";
    /// <summary>A call to an external AI model (OpenAI-compatible, Ollama) for the assistant's reply; the built-in assistant
    /// takes none. Refused, the built-in assistant answers instead.</summary>
    public const string AiModel = "ai-model";
    public const string Search = "search";
}

/// <summary>Allowed, or refused with how long to wait and a message a person understands.</summary>
public readonly record struct RateDecision(bool Allowed, TimeSpan RetryAfter, string? Message)
{
    public static RateDecision Allow { get; } = new(true, TimeSpan.Zero, null);

    public static RateDecision Refuse(TimeSpan retryAfter) => new(false, retryAfter,
        $"Too many attempts. Please wait {Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))} s and try again.");
}
