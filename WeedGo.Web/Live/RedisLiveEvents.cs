using System.Collections.Frozen;
using System.Text.Json;
using StackExchange.Redis;
using WeedGo.Core.Live;

namespace WeedGo.Web.Live;

/// <summary>
/// Live events across several web instances: every event is published on one Redis channel, and each instance (the sender
/// included) fans what it receives out to its own components and its own hub connections. So a hub client connected to
/// instance B sees an event raised on instance A exactly once, with no SignalR backplane: all hub traffic derives from
/// live events. Used when <c>WeedGo:Redis</c> is set; if Redis cannot be reached the event still reaches this instance.
/// </summary>
public sealed class RedisLiveEvents(
    InProcessLiveEvents local, IConnectionMultiplexer redis, ILogger<RedisLiveEvents> logger) : ILiveEvents, IHostedService
{
    public static readonly RedisChannel Channel = RedisChannel.Literal("weedgo:live-events");

    /// <summary>Event types that may arrive over the wire: records deriving from <see cref="LiveEvent"/> in WeedGo assemblies.</summary>
    private static readonly FrozenDictionary<string, Type> KnownTypes = AppDomain.CurrentDomain.GetAssemblies()
        .Where(a => a.GetName().Name?.StartsWith("WeedGo.", StringComparison.Ordinal) == true)
        .SelectMany(a => a.GetTypes())
        .Where(t => !t.IsAbstract && typeof(LiveEvent).IsAssignableFrom(t))
        .ToFrozenDictionary(t => t.FullName!, t => t);

    public async Task PublishAsync(LiveEvent liveEvent, CancellationToken cancellationToken = default)
    {
        var envelope = JsonSerializer.Serialize(new Envelope(liveEvent.GetType().FullName!,
            JsonSerializer.SerializeToElement(liveEvent, liveEvent.GetType())));
        try
        {
            await redis.GetSubscriber().PublishAsync(Channel, envelope);
        }
        catch (RedisException e)
        {
            logger.LogWarning(e, "Redis unavailable; {Type} delivered on this instance only", liveEvent.Type);
            await local.PublishAsync(liveEvent, cancellationToken);
        }
    }

    public IDisposable Subscribe<T>(Guid? tenantId, Func<T, Task> handler) where T : LiveEvent => local.Subscribe(tenantId, handler);

    public async Task StartAsync(CancellationToken cancellationToken) =>
        await redis.GetSubscriber().SubscribeAsync(Channel, (_, message) => ReceiveAsync(message).ConfigureAwait(false));

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        try
        {
            await redis.GetSubscriber().UnsubscribeAsync(Channel);
        }
        catch (Exception e) when (e is ObjectDisposedException or RedisException)
        {
            // Shutting down: the connection is already gone, and with it the subscription.
        }
    }

    private async Task ReceiveAsync(RedisValue message)
    {
        try
        {
            var envelope = JsonSerializer.Deserialize<Envelope>(message.ToString());
            if (envelope is null || !KnownTypes.TryGetValue(envelope.Type, out var type))
            {
                logger.LogWarning("Ignored a live event of unknown type from Redis");
                return;
            }
            if (envelope.Payload.Deserialize(type) is LiveEvent liveEvent)
            {
                await local.PublishAsync(liveEvent);
            }
        }
        catch (JsonException e)
        {
            logger.LogWarning(e, "Ignored a malformed live event from Redis");
        }
    }

    private sealed record Envelope(string Type, JsonElement Payload);
}
