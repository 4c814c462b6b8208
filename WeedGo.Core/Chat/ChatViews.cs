using System.Text.Json.Serialization;
using WeedGo.Core.Common;

namespace WeedGo.Core.Chat;

/// <summary>A message as the chat shows it. <see cref="ToolCalls"/> is filled for staff only.</summary>
public sealed record ChatMessageView(
    Guid Id, Guid ConversationId, [property: JsonConverter(typeof(JsonStringEnumConverter<ChatAuthorKind>))] ChatAuthorKind Author, string? AuthorName, string Text, bool StaffOnly,
    IReadOnlyList<AssistantProductRef> Products, IReadOnlyList<ChatToolCall> ToolCalls, DateTimeOffset At);

/// <summary>A conversation as its customer sees it: who answers now and the messages so far (staff-only notes left out).</summary>
public sealed record ChatConversationView(
    Guid Id, Guid StoreId, ChatStatus Status, string? StaffName, DateTimeOffset StartedAt, IReadOnlyList<ChatMessageView> Messages);

/// <summary>A row of the staff console's list.</summary>
public sealed record ChatConversationSummary(
    Guid Id, Guid StoreId, Guid? CustomerId, string CustomerName, bool IsGuest, ChatStatus Status, Guid? ClaimedById, string? ClaimedByName,
    string? LastMessage, DateTimeOffset? LastMessageAt, DateTimeOffset? WaitingSince, string? HandOffReason, DateTimeOffset StartedAt);

/// <summary>A conversation as staff see it: the summary and every message, staff-only notes and tool calls included.</summary>
public sealed record ChatStaffView(ChatConversationSummary Summary, IReadOnlyList<ChatMessageView> Messages);

/// <summary>The customer beside a staff chat: their cart at the store (guests' too) and their recent orders there.</summary>
public sealed record ChatCustomerContext(
    string CustomerName, string? Email, bool IsGuest, IReadOnlyList<ChatCartLine> Cart, decimal CartSubtotal, decimal CartGrams, decimal LimitGrams,
    IReadOnlyList<ChatRecentOrder> RecentOrders);

public sealed record ChatCartLine(Guid ProductId, string Sku, string Name, int Quantity, decimal? UnitPrice, decimal LineTotal, decimal Grams);

public sealed record ChatRecentOrder(Guid Id, string Number, DateTimeOffset PlacedAt, Ordering.OrderStatus Status, decimal Total, int Items);

/// <summary>A customer message was stored; <see cref="Reply"/> streams the assistant's answer (null while staff answer or the
/// conversation waits for them). Enumerate <see cref="Reply"/> to the end in the caller's scope: the assistant runs its tools
/// as the caller, and the reply is stored and fanned out live as it streams.</summary>
public sealed record ChatPosted(Guid ConversationId, ChatMessageView Message, IAsyncEnumerable<ChatUpdate>? Reply);

/// <summary>The outcome of posting a message: <see cref="Result"/> plus, when a rate limit refused it, how long to wait.</summary>
public sealed class ChatPostResult : Result
{
    private ChatPostResult(ChatPosted? posted, Error? error, TimeSpan? retryAfter) : base(error)
    {
        Posted = posted;
        RetryAfter = retryAfter;
    }

    public ChatPosted? Posted { get; }

    /// <summary>Set when a rate limit refused the message.</summary>
    public TimeSpan? RetryAfter { get; }

    public static ChatPostResult Ok(ChatPosted posted) => new(posted, null, null);
    public static new ChatPostResult Fail(Error error) => new(null, error, null);
    public static ChatPostResult Limited(TimeSpan retryAfter, string message) =>
        new(null, new Error(ChatErrors.RateLimited, message, ErrorKind.Conflict), retryAfter);

    public static implicit operator ChatPostResult(Error error) => Fail(error);
}

public static class ChatErrors
{
    public const string RateLimited = "rate_limited";
    public const string TooLong = "message_too_long";
    public const string Closed = "conversation_closed";
}

/// <summary>A piece of a streamed reply, as the caller of <see cref="ChatService.PostAsync"/> sees it.</summary>
public abstract record ChatUpdate;

/// <summary>Text appended to the reply <see cref="MessageId"/> (which becomes the stored message's id).</summary>
/// <summary>A piece of the reply; with <paramref name="Replace"/> it replaces what was shown so far (the compliance check).</summary>
public sealed record ChatReplyText(Guid MessageId, string Chunk, bool Replace = false) : ChatUpdate;

public sealed record ChatReplyProductsFound(Guid MessageId, IReadOnlyList<AssistantProductRef> Products) : ChatUpdate;

/// <summary>The conversation now waits for a person.</summary>
public sealed record ChatHandedOff(string Reason) : ChatUpdate;

/// <summary>The reply was stored (null when the assistant said nothing); <see cref="Usage"/> is what it cost.</summary>
public sealed record ChatReplyDone(ChatMessageView? Message, AssistantUsage? Usage) : ChatUpdate;
