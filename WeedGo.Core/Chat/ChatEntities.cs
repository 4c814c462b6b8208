using System.Text.Json.Serialization;
using WeedGo.Core.Common;

namespace WeedGo.Core.Chat;

/// <summary>Who answers a conversation now (named in JSON).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ChatStatus>))]
public enum ChatStatus
{
    /// <summary>The store's AI budtender answers.</summary>
    WithAssistant = 0,
    /// <summary>The customer asked for a person (or the assistant could not help); the assistant is silent.</summary>
    WaitingForStaff = 1,
    /// <summary>A staff member claimed it and answers; the assistant is silent.</summary>
    WithStaff = 2,
    Closed = 3,
}

/// <summary>
/// A chat between a shopper and one store (<c>ai_conversations</c>): a signed-in customer's, or a guest's, known by the
/// browser's shopper key (cookie) or an API client's session id until they sign in. At most one open conversation per
/// shopper and store.
/// </summary>
public sealed class ChatConversation : TenantEntity
{
    public Guid StoreId { get; set; }
    public Guid? CustomerId { get; set; }
    /// <summary>The guest's key (the shopper cookie, or an API session id); null once the conversation belongs to an account.</summary>
    public string? ShopperKey { get; set; }
    /// <summary>The assistant personality that greeted the customer (owned by the AI settings; no foreign key here).</summary>
    public Guid? PersonalityId { get; set; }
    public ChatStatus Status { get; set; }
    /// <summary>The staff member answering (status <see cref="ChatStatus.WithStaff"/>).</summary>
    public Guid? ClaimedById { get; set; }
    public DateTimeOffset? ClaimedAt { get; set; }
    /// <summary>When it started waiting for a person, and why.</summary>
    public DateTimeOffset? WaitingSince { get; set; }
    public string? HandOffReason { get; set; }
    /// <summary>The latest message's time; null until the customer has said something (staff lists skip empty ones).</summary>
    public DateTimeOffset? LastMessageAt { get; set; }
    public DateTimeOffset? ClosedAt { get; set; }
    public Guid? ClosedById { get; set; }
}

/// <summary>One message of a conversation (<c>ai_messages</c>).</summary>
public sealed class ChatMessage : TenantEntity
{
    public Guid ConversationId { get; set; }
    public ChatAuthorKind Author { get; set; }
    /// <summary>The customer or staff member who wrote it (null for the assistant, system notes and guests).</summary>
    public Guid? AuthorUserId { get; set; }
    public string Text { get; set; } = "";
    /// <summary>A note for staff only (the assistant's staff notes, hand-off reasons); never shown to the customer.</summary>
    public bool StaffOnly { get; set; }
    /// <summary>jsonb: the tools the assistant called, their arguments and results (<see cref="ChatToolCall"/>[]).</summary>
    public string? ToolCalls { get; set; }
    /// <summary>jsonb: the products the reply showed as cards (<see cref="AssistantProductRef"/>[]).</summary>
    public string? Products { get; set; }
    public int? InputTokens { get; set; }
    public int? OutputTokens { get; set; }
}

/// <summary>A tool call as stored with an assistant message.</summary>
public sealed record ChatToolCall(string Name, string Arguments, string Result, bool Refused);
