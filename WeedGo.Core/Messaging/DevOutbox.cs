namespace WeedGo.Core.Messaging;

/// <summary>A message as the development outbox keeps it.</summary>
public sealed record OutboxMessage(long Number, MessageChannel Channel, string To, string Subject, string Body, DateTimeOffset SentAt, string Delivery);

/// <summary>
/// The development outbox: the last <see cref="Capacity"/> messages, in memory, newest first. Kept in memory on purpose:
/// it holds message bodies (one-time codes in clear), which must never land in the database, it vanishes with the process,
/// and it needs no schema. One per process, so with several web instances each shows its own (Development runs one).
/// </summary>
public sealed class DevOutbox(TimeProvider clock)
{
    public const int Capacity = 200;
    private readonly LinkedList<OutboxMessage> _messages = new();
    private readonly Lock _gate = new();
    private long _number;

    public OutboxMessage Add(OutgoingMessage message, string delivery)
    {
        lock (_gate)
        {
            var kept = new OutboxMessage(++_number, message.Channel, message.To, message.Subject, message.Body, clock.GetUtcNow(), delivery);
            _messages.AddFirst(kept);
            while (_messages.Count > Capacity)
            {
                _messages.RemoveLast();
            }
            return kept;
        }
    }

    /// <summary>Newest first.</summary>
    public IReadOnlyList<OutboxMessage> Recent(int take = Capacity)
    {
        lock (_gate)
        {
            return _messages.Take(take).ToList();
        }
    }

    /// <summary>Newest first, to one address (case-insensitive; a phone's leading + is optional, as a URL may turn it into a space).</summary>
    public IReadOnlyList<OutboxMessage> To(string address)
    {
        var wanted = address.Trim().TrimStart('+');
        return Recent().Where(m => string.Equals(m.To.TrimStart('+'), wanted, StringComparison.OrdinalIgnoreCase)).ToList();
    }
}
