namespace WeedGo.Core.Live;

/// <summary>
/// Something that happened which open screens and connected clients should see at once.
/// Every event names its tenant; listeners only ever receive events of their own tenant.
/// </summary>
public abstract record LiveEvent(Guid TenantId, Guid? StoreId)
{
    /// <summary>Stable name sent to external clients (SignalR method argument "type").</summary>
    public virtual string Type => GetType().Name;
}

/// <summary>A short notice for staff (used by the foundation; later features add their own event records).</summary>
public sealed record StaffNotice(Guid TenantId, Guid? StoreId, string Message, string Severity = "info")
    : LiveEvent(TenantId, StoreId);

/// <summary>Publish/subscribe for live updates. Core publishes; Web fans out to components and SignalR hubs.</summary>
public interface ILiveEvents
{
    Task PublishAsync(LiveEvent liveEvent, CancellationToken cancellationToken = default);

    /// <summary>Listen to events of one type for one tenant (or all tenants when <paramref name="tenantId"/> is null,
    /// reserved for platform-level relays). Dispose the result to stop listening.</summary>
    IDisposable Subscribe<T>(Guid? tenantId, Func<T, Task> handler) where T : LiveEvent;
}
