using Microsoft.AspNetCore.SignalR;
using WeedGo.Core.Live;
using WeedGo.Web.Hubs;

namespace WeedGo.Web.Live;

/// <summary>Forwards <see cref="DriverMoved"/>, <see cref="DeliveryChanged"/> and <see cref="DeliveryOutAtClosing"/> (staff groups only) to <c>/hubs/tracking</c>: the store's group
/// (staff), the tenant's group (tenant admins) and the per-order groups (the customer following their order).</summary>
/// <remarks>Listens to this instance's in-process fan-out, so with Redis each instance relays to its own connections.</remarks>
public sealed class TrackingRelay(InProcessLiveEvents events, IHubContext<TrackingHub> hub) : IHostedService
{
    private readonly List<IDisposable> _subscriptions = [];

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _subscriptions.Add(events.Subscribe<DriverMoved>(null, e =>
            SendAsync(TrackingHub.DriverMovedMethod, e, e.OrderIds)));
        _subscriptions.Add(events.Subscribe<DeliveryChanged>(null, e =>
            SendAsync(TrackingHub.DeliveryChangedMethod, e, [e.OrderId])));
        _subscriptions.Add(events.Subscribe<DeliveryOutAtClosing>(null, e =>
            SendAsync(TrackingHub.DeliveryOutAtClosingMethod, e, [])));
        return Task.CompletedTask;
    }

    private async Task SendAsync(string method, LiveEvent e, IEnumerable<Guid> orders)
    {
        var groups = new List<string> { TrackingHub.TenantGroup(e.TenantId) };
        if (e.StoreId is { } store)
        {
            groups.Add(TrackingHub.StoreGroup(store));
        }
        groups.AddRange(orders.Select(TrackingHub.OrderGroup));
        // A connection in several of these groups (staff also watching one order) gets one copy per group.
        await hub.Clients.Groups(groups).SendAsync(method, (object)e);
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
