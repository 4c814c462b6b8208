namespace WeedGo.Core.Messaging;

/// <summary>How a message travels.</summary>
public enum MessageChannel
{
    Email = 0,
    Sms = 1,
}

/// <summary>One message to one person. <see cref="Subject"/> is empty for SMS.</summary>
public sealed record OutgoingMessage(MessageChannel Channel, string To, string Subject, string Body);

/// <summary>
/// Sends email and SMS. Services depend on this seam only; <see cref="MessageSender"/> routes email to SMTP (when configured),
/// SMS to <see cref="ISmsTransport"/>, and in Development keeps a copy of everything in the <see cref="DevOutbox"/>.
/// A transport failure is an infrastructure fault and throws.
/// </summary>
public interface IMessageSender
{
    /// <summary>True when a message on <paramref name="channel"/> reaches someone (a real transport or the development outbox).</summary>
    bool CanSend(MessageChannel channel);

    Task SendAsync(OutgoingMessage message, CancellationToken ct = default);
}

/// <summary>Delivers email. <see cref="SmtpEmailTransport"/> is the real one.</summary>
public interface IEmailTransport
{
    Task SendAsync(OutgoingMessage message, CancellationToken ct = default);
}

/// <summary>
/// Delivers SMS. No SMS provider is contracted yet, so the only implementation is <see cref="LoggingSmsTransport"/>, which
/// delivers nothing; a provider (Twilio, a Canadian aggregator…) plugs in here and sets <see cref="IsReal"/>.
/// </summary>
public interface ISmsTransport
{
    /// <summary>False while messages go nowhere a person can read them (outside the development outbox).</summary>
    bool IsReal { get; }

    Task SendAsync(OutgoingMessage message, CancellationToken ct = default);
}
