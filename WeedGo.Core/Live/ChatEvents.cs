using System.Text.Json.Serialization;
using WeedGo.Core.Chat;

namespace WeedGo.Core.Live;

/// <summary>Marks the chat's events: they carry customers' words, so they go to the chat hub's conversation and store groups
/// only, never to the tenant-wide alerts hub.</summary>
public interface IChatEvent
{
    Guid ConversationId { get; }
}

/// <summary>A message was stored (customer, assistant, staff or system). Customers never receive <c>StaffOnly</c> ones.</summary>
public sealed record ChatMessageAdded(Guid TenantId, Guid? StoreId, Guid ConversationId, ChatMessageView Message)
    : LiveEvent(TenantId, StoreId), IChatEvent;

/// <summary>A chunk of the assistant's reply as it streams (the final text arrives as <see cref="ChatMessageAdded"/> with the
/// same message id).</summary>
public sealed record ChatReplyChunk(Guid TenantId, Guid? StoreId, Guid ConversationId, Guid MessageId, string Text, bool Replace = false)
    : LiveEvent(TenantId, StoreId), IChatEvent;

/// <summary>Products the streaming reply refers to.</summary>
public sealed record ChatReplyProducts(Guid TenantId, Guid? StoreId, Guid ConversationId, Guid MessageId, IReadOnlyList<AssistantProductRef> Products)
    : LiveEvent(TenantId, StoreId), IChatEvent;

/// <summary>A conversation started, changed hands or closed. <see cref="CustomerId"/> lets a customer's other tabs follow.</summary>
public sealed record ChatConversationChanged(Guid TenantId, Guid? StoreId, Guid ConversationId, ChatStatus Status, Guid? ClaimedById,
    string? ClaimedByName, Guid? CustomerId)
    : LiveEvent(TenantId, StoreId), IChatEvent;

/// <summary>Someone is typing (or stopped). <see cref="Author"/> is Customer or Staff.</summary>
public sealed record ChatTyping(Guid TenantId, Guid? StoreId, Guid ConversationId,
    [property: JsonConverter(typeof(JsonStringEnumConverter<ChatAuthorKind>))] ChatAuthorKind Author, string? Name, bool IsTyping)
    : LiveEvent(TenantId, StoreId), IChatEvent;
