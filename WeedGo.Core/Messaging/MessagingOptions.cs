namespace WeedGo.Core.Messaging;

/// <summary>Settings under <c>WeedGo:Messaging</c>.</summary>
public sealed class MessagingOptions
{
    public const string Section = "WeedGo:Messaging";

    /// <summary>Keep a copy of every message in the in-memory <see cref="DevOutbox"/> (on in Development; shown at /dev/outbox).</summary>
    public bool DevOutbox { get; set; }

    public SmtpOptions Smtp { get; set; } = new();
}

/// <summary>Settings under <c>WeedGo:Messaging:Smtp</c>. Email is sent over SMTP only when <see cref="Host"/> is set.</summary>
public sealed class SmtpOptions
{
    public string? Host { get; set; }
    public int Port { get; set; } = 587;
    /// <summary>Empty: no authentication.</summary>
    public string? User { get; set; }
    public string? Password { get; set; }
    /// <summary>The sender, e.g. <c>WeedGo &lt;no-reply@example.com&gt;</c>.</summary>
    public string From { get; set; } = "WeedGo <no-reply@weedgo.local>";
    public SmtpTls Tls { get; set; } = SmtpTls.StartTls;
    public int TimeoutSeconds { get; set; } = 30;

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Host);
}

/// <summary>How the SMTP connection is protected.</summary>
public enum SmtpTls
{
    /// <summary>Plain text (a local relay or a test server only).</summary>
    None,
    /// <summary>Upgrade with STARTTLS, and refuse a server that does not offer it (port 587).</summary>
    StartTls,
    /// <summary>TLS from the first byte (port 465).</summary>
    SslOnConnect,
    /// <summary>STARTTLS when the server offers it, else plain text.</summary>
    Auto,
}
