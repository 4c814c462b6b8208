namespace WeedGo.Core.Chat;

/// <summary>Chat limits (<c>WeedGo:Chat</c>).</summary>
public sealed class ConversationOptions
{
    public const string Section = "WeedGo:Chat";

    /// <summary>Longest customer or staff message, in characters.</summary>
    public int MaxMessageLength { get; set; } = 1000;

    /// <summary>Customer messages one conversation (session) may send per <see cref="SessionWindow"/>.</summary>
    public int SessionMessagesPerWindow { get; set; } = 10;

    public TimeSpan SessionWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Earlier messages given to the assistant with each question.</summary>
    public int HistoryTurns { get; set; } = 20;
}
