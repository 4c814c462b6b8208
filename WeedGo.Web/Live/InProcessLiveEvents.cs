using System.Collections.Immutable;
using WeedGo.Core.Live;

namespace WeedGo.Web.Live;

/// <summary>
/// In-process fan-out of <see cref="LiveEvent"/>s to subscribed components and to the hub relay.
/// A failing subscriber is logged and never stops the others or the publisher.
/// </summary>
public sealed class InProcessLiveEvents(ILogger<InProcessLiveEvents> logger) : ILiveEvents
{
    private ImmutableList<Subscription> _subscriptions = [];

    public async Task PublishAsync(LiveEvent liveEvent, CancellationToken cancellationToken = default)
    {
        foreach (var s in _subscriptions)
        {
            if (!s.Type.IsInstanceOfType(liveEvent) || (s.TenantId is { } t && t != liveEvent.TenantId))
            {
                continue;
            }
            try
            {
                await s.Handler(liveEvent);
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "A live-event subscriber failed on {Type}", liveEvent.Type);
            }
        }
    }

    public IDisposable Subscribe<T>(Guid? tenantId, Func<T, Task> handler) where T : LiveEvent
    {
        var subscription = new Subscription(typeof(T), tenantId, e => handler((T)e));
        ImmutableInterlocked.Update(ref _subscriptions, list => list.Add(subscription));
        return new Unsubscriber(() => ImmutableInterlocked.Update(ref _subscriptions, list => list.Remove(subscription)));
    }

    public int SubscriberCount => _subscriptions.Count;

    private sealed record Subscription(Type Type, Guid? TenantId, Func<LiveEvent, Task> Handler);

    private sealed class Unsubscriber(Action dispose) : IDisposable
    {
        private int _done;
        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0)
            {
                dispose();
            }
        }
    }
}
