using Microsoft.AspNetCore.SignalR;
using WeedGo.Core.Live;
using WeedGo.Web.Hubs;

namespace WeedGo.Web.Live;

/// <summary>Forwards every live event (except the chat's) to the SignalR group of its tenant (and store) on <c>/hubs/alerts</c>.</summary>
/// <remarks>Listens to this instance's in-process fan-out, so with Redis each instance relays to its own connections.</remarks>
public sealed class HubRelay(InProcessLiveEvents events, IHubContext<AlertsHub> hub) : IHostedService
{
    private IDisposable? _subscription;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _subscription = events.Subscribe<LiveEvent>(null, async e =>
        {
            if (e is IChatEvent)
            {
                return; // customers' words: only /hubs/chat carries them (ChatRelay)
            }
            if (e is AuditAlertChanged)
            {
                return; // admin-only: AlertHubRelay sends alerts to the admin groups
            }
            await hub.Clients.Group(AlertsHub.TenantGroup(e.TenantId)).SendAsync(AlertsHub.EventMethod, e.Type, (object)e);
            if (e.StoreId is { } store)
            {
                await hub.Clients.Group(AlertsHub.StoreGroup(store)).SendAsync(AlertsHub.StoreEventMethod, e.Type, (object)e);
            }
        });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _subscription?.Dispose();
        return Task.CompletedTask;
    }
}
