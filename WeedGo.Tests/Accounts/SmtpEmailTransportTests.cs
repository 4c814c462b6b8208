using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using WeedGo.Core.Messaging;

namespace WeedGo.Tests.Accounts;

public sealed class SmtpEmailTransportTests
{
    private static readonly OutgoingMessage Mail = new(MessageChannel.Email, "casey@example.com", "Your WeedGo sign-in code",
        "Your WeedGo sign-in code is 123456\n\nIt works once, for 10 minutes.");

    [Fact]
    public void The_mime_message_is_plain_text_from_the_configured_sender_to_the_one_recipient()
    {
        var mime = SmtpEmailTransport.Compose(Mail, new SmtpOptions { Host = "mail.example.com", From = "WeedGo <no-reply@weedgo.example>" });

        Assert.Equal("\"WeedGo\" <no-reply@weedgo.example>", mime.From.ToString());
        Assert.Equal("casey@example.com", mime.To.ToString());
        Assert.Equal("Your WeedGo sign-in code", mime.Subject);
        Assert.Equal("text/plain", mime.Body!.ContentType.MimeType);
        Assert.Equal(Mail.Body, mime.TextBody);
    }

    [Fact]
    public void Only_email_is_composed_for_smtp() =>
        Assert.Throws<ArgumentException>(() => SmtpEmailTransport.Compose(Mail with { Channel = MessageChannel.Sms }, new SmtpOptions()));

    [Theory]
    [InlineData(SmtpTls.None, MailKit.Security.SecureSocketOptions.None)]
    [InlineData(SmtpTls.StartTls, MailKit.Security.SecureSocketOptions.StartTls)]
    [InlineData(SmtpTls.SslOnConnect, MailKit.Security.SecureSocketOptions.SslOnConnect)]
    [InlineData(SmtpTls.Auto, MailKit.Security.SecureSocketOptions.StartTlsWhenAvailable)]
    public void Tls_settings_map_to_mailkit(SmtpTls setting, MailKit.Security.SecureSocketOptions expected) =>
        Assert.Equal(expected, SmtpEmailTransport.SocketOptions(setting));

    [Fact]
    public async Task With_a_host_configured_the_sender_delivers_over_smtp_and_the_dev_outbox_notes_it()
    {
        using var server = new TinySmtpServer();
        var options = Options.Create(new MessagingOptions
        {
            DevOutbox = true,
            Smtp = new SmtpOptions { Host = "127.0.0.1", Port = server.Port, Tls = SmtpTls.None, From = "WeedGo <no-reply@weedgo.example>" },
        });
        var outbox = new DevOutbox(new FakeTimeProvider());
        var sender = new MessageSender(options, new SmtpEmailTransport(options, NullLogger<SmtpEmailTransport>.Instance),
            new LoggingSmsTransport(NullLogger<LoggingSmsTransport>.Instance), outbox, NullLogger<MessageSender>.Instance);

        Assert.True(sender.CanSend(MessageChannel.Email));
        await sender.SendAsync(Mail);
        var received = await server.Received.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal("<no-reply@weedgo.example>", received.From);
        Assert.Equal(["<casey@example.com>"], received.To);
        Assert.Contains("Subject: Your WeedGo sign-in code", received.Data);
        Assert.Contains("Your WeedGo sign-in code is 123456", received.Data);
        Assert.Equal("SMTP 127.0.0.1", Assert.Single(outbox.Recent()).Delivery);
    }

    [Fact]
    public void Without_smtp_or_outbox_email_and_sms_are_not_offered()
    {
        var options = Options.Create(new MessagingOptions());
        var sender = new MessageSender(options, new SmtpEmailTransport(options, NullLogger<SmtpEmailTransport>.Instance),
            new LoggingSmsTransport(NullLogger<LoggingSmsTransport>.Instance), new DevOutbox(TimeProvider.System), NullLogger<MessageSender>.Instance);

        Assert.False(sender.CanSend(MessageChannel.Email));
        Assert.False(sender.CanSend(MessageChannel.Sms));
    }

    /// <summary>Just enough SMTP on loopback to accept one message (no TLS, no auth): proves MailKit really talks to a server.</summary>
    private sealed class TinySmtpServer : IDisposable
    {
        public sealed record Envelope(string From, IReadOnlyList<string> To, string Data);

        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly TaskCompletionSource<Envelope> _received = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TinySmtpServer()
        {
            _listener.Start();
            _ = Task.Run(ServeAsync);
        }

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        public Task<Envelope> Received => _received.Task;

        private async Task ServeAsync()
        {
            try
            {
                using var client = await _listener.AcceptTcpClientAsync();
                await using var stream = client.GetStream();
                using var reader = new StreamReader(stream, Encoding.ASCII);
                await using var writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
                await writer.WriteLineAsync("220 localhost tiny SMTP");
                string from = "";
                var to = new List<string>();
                while (await reader.ReadLineAsync() is { } line)
                {
                    var verb = line.Split(' ', 2)[0].ToUpperInvariant();
                    switch (verb)
                    {
                        case "EHLO" or "HELO":
                            await writer.WriteLineAsync("250 localhost");
                            break;
                        case "MAIL":
                            from = line[(line.IndexOf(':') + 1)..].Trim();
                            await writer.WriteLineAsync("250 OK");
                            break;
                        case "RCPT":
                            to.Add(line[(line.IndexOf(':') + 1)..].Trim());
                            await writer.WriteLineAsync("250 OK");
                            break;
                        case "DATA":
                            await writer.WriteLineAsync("354 End data with <CR><LF>.<CR><LF>");
                            var data = new StringBuilder();
                            while (await reader.ReadLineAsync() is { } dataLine && dataLine != ".")
                            {
                                data.AppendLine(dataLine);
                            }
                            await writer.WriteLineAsync("250 OK queued");
                            _received.TrySetResult(new Envelope(from, to, data.ToString()));
                            break;
                        case "QUIT":
                            await writer.WriteLineAsync("221 Bye");
                            return;
                        default:
                            await writer.WriteLineAsync("250 OK");
                            break;
                    }
                }
            }
            catch (Exception e)
            {
                _received.TrySetException(e);
            }
        }

        public void Dispose() => _listener.Stop();
    }
}
