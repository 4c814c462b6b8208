using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;

namespace WeedGo.Core.Messaging;

/// <summary>Sends email over SMTP with MailKit, one connection per message (codes are rare; no pool to keep healthy).</summary>
public sealed class SmtpEmailTransport(IOptions<MessagingOptions> options, ILogger<SmtpEmailTransport> logger) : IEmailTransport
{
    public async Task SendAsync(OutgoingMessage message, CancellationToken ct = default)
    {
        var smtp = options.Value.Smtp;
        var mime = Compose(message, smtp);
        using var client = new SmtpClient { Timeout = smtp.TimeoutSeconds * 1000 };
        var host = smtp.Host ?? throw new InvalidOperationException("WeedGo:Messaging:Smtp:Host is not set.");
        await client.ConnectAsync(host, smtp.Port, SocketOptions(smtp.Tls), ct);
        if (!string.IsNullOrEmpty(smtp.User))
        {
            await client.AuthenticateAsync(smtp.User, smtp.Password ?? "", ct);
        }
        await client.SendAsync(mime, ct);
        await client.DisconnectAsync(quit: true, ct);
        logger.LogInformation("Email to {To} sent through {Host}: {Subject}", message.To, smtp.Host, message.Subject);
    }

    /// <summary>The MIME message for <paramref name="message"/>: plain text, UTF-8, from the configured sender.</summary>
    public static MimeMessage Compose(OutgoingMessage message, SmtpOptions smtp)
    {
        if (message.Channel != MessageChannel.Email)
        {
            throw new ArgumentException("Only email travels over SMTP.", nameof(message));
        }
        var mime = new MimeMessage();
        mime.From.Add(MailboxAddress.Parse(smtp.From));
        mime.To.Add(MailboxAddress.Parse(message.To));
        mime.Subject = message.Subject;
        mime.Body = new TextPart(MimeKit.Text.TextFormat.Plain) { Text = message.Body };
        return mime;
    }

    public static SecureSocketOptions SocketOptions(SmtpTls tls) => tls switch
    {
        SmtpTls.None => SecureSocketOptions.None,
        SmtpTls.StartTls => SecureSocketOptions.StartTls,
        SmtpTls.SslOnConnect => SecureSocketOptions.SslOnConnect,
        _ => SecureSocketOptions.StartTlsWhenAvailable,
    };
}
