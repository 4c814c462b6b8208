using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace WeedGo.Core.Messaging;

/// <summary>
/// The one <see cref="IMessageSender"/>: email goes to SMTP when <c>WeedGo:Messaging:Smtp:Host</c> is set, SMS to the
/// <see cref="ISmsTransport"/>; with <c>WeedGo:Messaging:DevOutbox</c> on, every message is also kept in the
/// <see cref="DevOutbox"/>. With neither, an email is dropped with a warning (the body is never logged: it may hold a code).
/// </summary>
public sealed class MessageSender(
    IOptions<MessagingOptions> options, IEmailTransport email, ISmsTransport sms, DevOutbox outbox, ILogger<MessageSender> logger)
    : IMessageSender
{
    public bool CanSend(MessageChannel channel) =>
        options.Value.DevOutbox || channel switch
        {
            MessageChannel.Email => options.Value.Smtp.IsConfigured,
            MessageChannel.Sms => sms.IsReal,
            _ => false,
        };

    public async Task SendAsync(OutgoingMessage message, CancellationToken ct = default)
    {
        string delivery;
        if (message.Channel == MessageChannel.Email && options.Value.Smtp.IsConfigured)
        {
            await email.SendAsync(message, ct);
            delivery = "SMTP " + options.Value.Smtp.Host;
        }
        else if (message.Channel == MessageChannel.Sms)
        {
            await sms.SendAsync(message, ct);
            delivery = sms.IsReal ? "SMS" : "outbox only (no SMS provider)";
        }
        else
        {
            if (!options.Value.DevOutbox)
            {
                logger.LogWarning("Email to {To} ({Subject}) was not sent: no SMTP server is configured (WeedGo:Messaging:Smtp:Host)",
                    message.To, message.Subject);
            }
            delivery = "outbox only (no SMTP server)";
        }
        if (options.Value.DevOutbox)
        {
            outbox.Add(message, delivery);
        }
    }
}

/// <summary>The SMS seam's stand-in until a provider exists: logs that a text was due (never its body) and delivers nothing.</summary>
public sealed class LoggingSmsTransport(ILogger<LoggingSmsTransport> logger) : ISmsTransport
{
    public bool IsReal => false;

    public Task SendAsync(OutgoingMessage message, CancellationToken ct = default)
    {
        logger.LogInformation("SMS to {To} not delivered: no SMS provider is configured (body withheld from logs)", message.To);
        return Task.CompletedTask;
    }
}
