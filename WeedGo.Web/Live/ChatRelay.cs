using Microsoft.AspNetCore.SignalR;
using WeedGo.Core.Live;
using WeedGo.Web.Hubs;

namespace WeedGo.Web.Live;

/// <summary>Forwards the chat's live events to <c>/hubs/chat</c>: the conversation's group (its customer's connections) and the
/// store's and tenant's staff groups. Staff-only notes go to the staff groups only.</summary>
/// <remarks>Listens to this instance's in-process fan-out, so with Redis each instance relays to its own connections.</remarks>
public sealed class ChatRelay(InProcessLiveEvents events, IHubContext<ChatHub> hub) : IHostedService
{
    private readonly List<IDisposable> _subscriptions = [];

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _subscriptions.Add(events.Subscribe<ChatMessageAdded>(null, e => SendAsync(ChatHub.MessageMethod, e, toCustomer: !e.Message.StaffOnly)));
        _subscriptions.Add(events.Subscribe<ChatReplyChunk>(null, e => SendAsync(ChatHub.ChunkMethod, e)));
        _subscriptions.Add(events.Subscribe<ChatReplyProducts>(null, e => SendAsync(ChatHub.ProductsMethod, e)));
        _subscriptions.Add(events.Subscribe<ChatConversationChanged>(null, e => SendAsync(ChatHub.ConversationMethod, e)));
        _subscriptions.Add(events.Subscribe<ChatTyping>(null, e => SendAsync(ChatHub.TypingMethod, e)));
        return Task.CompletedTask;
    }

    private Task SendAsync<T>(string method, T e, bool toCustomer = true) where T : LiveEvent, IChatEvent
    {
        var groups = new List<string>(3) { ChatHub.TenantGroup(e.TenantId) };
        if (e.StoreId is { } store)
        {
            groups.Add(ChatHub.StoreGroup(store));
        }
        if (toCustomer)
        {
            groups.Add(ChatHub.ConversationGroup(e.ConversationId));
        }
        return hub.Clients.Groups(groups).SendAsync(method, e);
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        foreach (var s in _subscriptions)
        {
            s.Dispose();
        }
        return Task.CompletedTask;
    }
}
