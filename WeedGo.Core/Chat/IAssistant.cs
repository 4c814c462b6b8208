namespace WeedGo.Core.Chat;

/// <summary>
/// The store's AI budtender, as the conversation (chat) side sees it. The implementation picks the client from the store's AI
/// settings (OpenAI-compatible, Ollama, or the built-in offline assistant), runs the tools (search, product details, stock,
/// add to cart, order status, store hours, request a person) as the current user of the calling scope (circuit or request),
/// and records usage. The conversation side stores what it yields and fans it out live.
/// </summary>
public interface IAssistant
{
    /// <summary>What the widget shows before the first message: whether the assistant is on, its personality and greeting.</summary>
    Task<AssistantProfile> ProfileAsync(Guid storeId, CancellationToken ct = default);

    /// <summary>Streams one reply to <paramref name="request"/>'s message, given the conversation so far.</summary>
    IAsyncEnumerable<AssistantUpdate> ReplyAsync(AssistantRequest request, CancellationToken ct = default);
}

/// <summary>Who speaks in a conversation.</summary>
public enum ChatAuthorKind
{
    Customer = 0,
    Assistant = 1,
    Staff = 2,
    System = 3,
}

/// <summary>One earlier message of the conversation, oldest first.</summary>
public sealed record AssistantTurn(ChatAuthorKind Author, string Text);

/// <summary>A customer's message to answer. The caller (customer or guest shopper) is the ambient user of the scope.</summary>
public sealed record AssistantRequest(
    Guid StoreId,
    Guid ConversationId,
    IReadOnlyList<AssistantTurn> History,
    string Message);

/// <summary>The store's assistant as customers first meet it.</summary>
public sealed record AssistantProfile(
    bool Enabled,
    Guid? PersonalityId,
    string PersonalityName,
    string? Avatar,
    string Greeting,
    IReadOnlyList<string> QuickReplies);

/// <summary>A piece of a streamed reply.</summary>
public abstract record AssistantUpdate;

/// <summary>Text to append to the reply (token or word chunks).</summary>
public sealed record AssistantText(string Chunk) : AssistantUpdate;

/// <summary>Products the reply refers to; the widget shows them as cards with add-to-cart.</summary>
public sealed record AssistantProducts(IReadOnlyList<AssistantProductRef> Products) : AssistantUpdate;

/// <summary>A tool the assistant called, its arguments and result (JSON); Refused when the arguments failed validation.</summary>
public sealed record AssistantToolCall(string Name, string ArgumentsJson, string ResultJson, bool Refused) : AssistantUpdate;

/// <summary>The customer asked for a person, or the assistant cannot help: the conversation should wait for staff.</summary>
public sealed record AssistantHandOff(string Reason) : AssistantUpdate;

/// <summary>A note for staff only (e.g. "monthly budget reached: the built-in assistant answers now").</summary>
public sealed record AssistantStaffNote(string Text) : AssistantUpdate;

/// <summary>Replaces all text of this reply so far (added for the compliance post-check: a streamed reply that turns out to make a
/// medical claim, advise a minor or state a potency no label gives is replaced by a safe one; the offending words themselves are
/// held back and never streamed).</summary>
public sealed record AssistantReplaceText(string Text) : AssistantUpdate;

/// <summary>The last update of a reply: what it cost and which client answered.</summary>
public sealed record AssistantUsage(
    string Provider,
    string Model,
    int InputTokens,
    int OutputTokens,
    decimal Cost,
    TimeSpan Latency,
    bool Cached) : AssistantUpdate;

/// <summary>A product as a chat card shows it.</summary>
public sealed record AssistantProductRef(
    Guid ProductId,
    string Sku,
    string Name,
    string? Brand,
    string Category,
    decimal? Price,
    string? ThcLabel,
    string? CbdLabel,
    bool InStock,
    string? ImageUrl);
