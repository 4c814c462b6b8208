using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.Options;
using Microsoft.JSInterop;
using WeedGo.Core.Chat;
using WeedGo.Core.Common;
using WeedGo.Core.Live;
using WeedGo.Core.Tenancy;

namespace WeedGo.Web.Components.Shop.Chat;

/// <summary>
/// The storefront's chat: the store's assistant greets, answers stream in as they are written (with product cards that add to
/// the cart), quick replies, "Talk to a person", the staff member's messages and typing live, and earlier chats for signed-in
/// customers. Everything arrives through <see cref="ILiveEvents"/>, so a second tab shows the same conversation.
/// </summary>
public partial class ChatPanel
{
    private static readonly TimeSpan TypingShownFor = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan TypingSentEvery = TimeSpan.FromSeconds(3);

    [Parameter, EditorRequired] public StoreCard Store { get; set; } = default!;
    [Parameter] public EventCallback OnClose { get; set; }

    [Inject] private ChatService Chat { get; set; } = default!;
    [Inject] private ILiveEvents Live { get; set; } = default!;
    [Inject] private ITenantContext Tenant { get; set; } = default!;
    [Inject] private IServiceProvider Services { get; set; } = default!;
    [Inject] private IOptions<ConversationOptions> Options { get; set; } = default!;
    [Inject] private TimeProvider Clock { get; set; } = default!;
    [Inject] private IJSRuntime JS { get; set; } = default!;

    private readonly List<TimelineItem> _history = [];
    private readonly List<ChatMessageView> _messages = [];
    private readonly Dictionary<Guid, Draft> _drafts = [];
    private readonly List<IDisposable> _subscriptions = [];
    private Guid? _conversationId;
    private ChatStatus? _status;
    private string? _staffName;
    private (string Name, DateTimeOffset Until)? _staffTyping;
    private bool _assistantThinking;
    private bool _loading = true;
    private bool _sending;
    private bool _scroll;
    // The input is never re-rendered from _input while typing (a round trip would overwrite keystrokes made meanwhile): it
    // starts from _inputInitial and is replaced (new key) to clear it or to put back a refused message.
    private string _input = "";
    private string _inputInitial = "";
    private int _inputKey;
    private int _focusedKey;
    private ElementReference _inputRef;
    private string? _error;
    private DateTimeOffset _typingSentAt;
    private ElementReference _body;
    private IJSObjectReference? _module;

    private AssistantProfile Profile { get; set; } = new(false, null, "", null, "", []);

    private sealed record TimelineItem(string? Divider, ChatMessageView? Message);

    private sealed class Draft
    {
        public string Text { get; set; } = "";
        public IReadOnlyList<AssistantProductRef> Products { get; set; } = [];
    }

    private int MaxLength => Options.Value.MaxMessageLength;

    private ChatStatus Status => _status ?? ChatStatus.WithAssistant;

    private IEnumerable<TimelineItem> Timeline => _history.Concat(_messages.Select(m => new TimelineItem(null, m)));

    private string HeaderName => Status == ChatStatus.WithStaff && _staffName is not null ? _staffName : Profile.PersonalityName;

    private string Initial => HeaderName.Length > 0 ? HeaderName[..1].ToUpperInvariant() : "?";

    private string StatusText => Status switch
    {
        ChatStatus.WaitingForStaff => "Waiting for a team member…",
        ChatStatus.WithStaff => $"From {Store.Name}",
        ChatStatus.Closed => "Chat ended",
        _ => Profile.Enabled ? "AI assistant · a person is one tap away" : "A team member will answer here",
    };

    private string? TypingText =>
        _staffTyping is { } t && t.Until > Clock.GetUtcNow() ? $"{t.Name} is typing…"
        : _assistantThinking && _drafts.Count == 0 ? $"{Profile.PersonalityName} is typing…"
        : null;

    private static string BubbleClass(ChatAuthorKind author) => author switch
    {
        ChatAuthorKind.Customer => "chat-bubble chat-from-customer",
        ChatAuthorKind.System => "chat-system",
        ChatAuthorKind.Staff => "chat-bubble chat-from-staff",
        _ => "chat-bubble chat-from-assistant",
    };

    protected override async Task OnInitializedAsync()
    {
        if (Tenant.TenantId is { } tenant)
        {
            _subscriptions.Add(Live.Subscribe<ChatMessageAdded>(tenant, OnMessageAsync));
            _subscriptions.Add(Live.Subscribe<ChatReplyChunk>(tenant, OnChunkAsync));
            _subscriptions.Add(Live.Subscribe<ChatReplyProducts>(tenant, OnProductsAsync));
            _subscriptions.Add(Live.Subscribe<ChatConversationChanged>(tenant, OnChangedAsync));
            _subscriptions.Add(Live.Subscribe<ChatTyping>(tenant, OnTypingAsync));
        }
        Profile = await LoadProfileAsync();
        var resumed = await Chat.ResumeAsync(Store.Id);
        _loading = false;
        if (!resumed.Succeeded)
        {
            _error = resumed.Error!.Message;
            return;
        }
        var resumedOpen = false;
        foreach (var c in resumed.Value)
        {
            if (c.Status == ChatStatus.Closed)
            {
                _history.Add(new TimelineItem($"Earlier chat · {c.StartedAt.ToLocalTime():MMM d}", null));
                _history.AddRange(c.Messages.Select(m => new TimelineItem(null, m)));
            }
            else if (_conversationId is null || _conversationId == c.Id)
            {
                // A quick reply sent while this was loading may have started (or found) the conversation already and shown
                // its newer messages: add only what is missing, in time order, rather than showing anything twice.
                resumedOpen = true;
                _conversationId ??= c.Id;
                (_status, _staffName) = (_status ?? c.Status, _staffName ?? c.StaffName);
                var missing = c.Messages.Where(m => _messages.All(x => x.Id != m.Id)).ToList();
                if (missing.Count > 0)
                {
                    var ordered = _messages.Concat(missing).OrderBy(m => m.At).ToList();
                    _messages.Clear();
                    _messages.AddRange(ordered);
                }
            }
        }
        if (_history.Count > 0 && !resumedOpen)
        {
            _history.Add(new TimelineItem("New chat", null));
        }
        _scroll = true;
    }

    private async Task<AssistantProfile> LoadProfileAsync()
    {
        var fallback = new AssistantProfile(false, null, $"{Store.Name} team", null,
            $"Hi! Ask us anything about {Store.Name}'s menu, hours or your order, and a team member will answer here.", []);
        if (Services.GetService(typeof(IAssistant)) is not IAssistant assistant)
        {
            return fallback;
        }
        try
        {
            var profile = await assistant.ProfileAsync(Store.Id);
            return profile.Enabled ? profile : fallback;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return fallback;
        }
    }

    private Task SubmitAsync()
    {
        if (_sending || string.IsNullOrWhiteSpace(_input))
        {
            return Task.CompletedTask; // keep what was typed; the button comes back when the last send is done
        }
        var text = _input;
        SetInput("");
        return SendAsync(text);
    }

    private void SetInput(string text)
    {
        (_input, _inputInitial) = (text, text);
        _inputKey++;
    }

    private async Task SendAsync(string text)
    {
        if (_sending || string.IsNullOrWhiteSpace(text))
        {
            return;
        }
        _error = null;
        _sending = true;
        try
        {
            if (!await EnsureConversationAsync())
            {
                SetInput(text);
                return;
            }
            var result = await Chat.PostAsync(_conversationId!.Value, text);
            if (!result.Succeeded && result.Error!.Code == ChatErrors.Closed)
            {
                NewChat(); // ended elsewhere (staff, another tab): carry on in a new chat
                result = await EnsureConversationAsync() ? await Chat.PostAsync(_conversationId!.Value, text) : result;
            }
            if (!result.Succeeded)
            {
                _error = result.Error!.Message;
                SetInput(text);
                return;
            }
            Upsert(result.Posted!.Message);
            _scroll = true;
            if (result.Posted.Reply is { } reply)
            {
                _assistantThinking = true;
                StateHasChanged();
                await foreach (var update in reply)
                {
                    if (update is ChatReplyDone { Message: { } m })
                    {
                        _drafts.Remove(m.Id);
                        Upsert(m);
                    }
                }
            }
        }
        finally
        {
            _sending = false;
            _assistantThinking = false;
            _scroll = true;
        }
    }

    private async Task<bool> EnsureConversationAsync()
    {
        if (_conversationId is not null)
        {
            return true;
        }
        var started = await Chat.StartAsync(Store.Id);
        if (!started.Succeeded)
        {
            _error = started.Error!.Message;
            return false;
        }
        (_conversationId, _status, _staffName) = (started.Value.Id, started.Value.Status, started.Value.StaffName);
        foreach (var m in started.Value.Messages)
        {
            Upsert(m);
        }
        return true;
    }

    private async Task AskForPersonAsync()
    {
        _error = null;
        _sending = true;
        try
        {
            if (await EnsureConversationAsync())
            {
                var asked = await Chat.RequestPersonAsync(_conversationId!.Value);
                _error = asked.Error?.Message;
                if (asked.Succeeded && _status == ChatStatus.WithAssistant)
                {
                    _status = ChatStatus.WaitingForStaff;
                }
            }
        }
        finally
        {
            _sending = false;
            _scroll = true;
        }
    }

    private async Task EndAsync()
    {
        if (_conversationId is { } id)
        {
            var closed = await Chat.CloseAsync(id);
            _error = closed.Error?.Message;
            if (closed.Succeeded)
            {
                _status = ChatStatus.Closed;
            }
        }
    }

    /// <summary>Keeps the ended chat on screen as history; the next message starts a new conversation.</summary>
    private void NewChat()
    {
        if (_messages.Count > 0)
        {
            _history.Add(new TimelineItem("Earlier chat", null));
            _history.AddRange(_messages.Select(m => new TimelineItem(null, m)));
            _history.Add(new TimelineItem("New chat", null));
        }
        _messages.Clear();
        _drafts.Clear();
        (_conversationId, _status, _staffName, _staffTyping) = (null, null, null, null);
    }

    private void OnInput(ChangeEventArgs e)
    {
        _input = e.Value?.ToString() ?? "";
        var now = Clock.GetUtcNow();
        if (_conversationId is { } id && _input.Length > 0 && Status == ChatStatus.WithStaff && now - _typingSentAt > TypingSentEvery)
        {
            _typingSentAt = now;
            _ = NotifyTypingAsync(id);
        }
    }

    /// <summary>Tells staff the customer is typing, without holding up the keystroke (a failure only loses the hint).</summary>
    private async Task NotifyTypingAsync(Guid id)
    {
        try
        {
            await Chat.TypingAsync(id, true);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The indicator is a nicety.
        }
    }

    private void Upsert(ChatMessageView message)
    {
        var at = _messages.FindIndex(m => m.Id == message.Id);
        if (at >= 0)
        {
            _messages[at] = message;
        }
        else
        {
            _messages.Add(message);
        }
    }

    private bool Mine(IChatEvent e) => _conversationId is { } id && e.ConversationId == id;

    private Task OnMessageAsync(ChatMessageAdded e) => !Mine(e) || e.Message.StaffOnly ? Task.CompletedTask : InvokeAsync(() =>
    {
        _drafts.Remove(e.Message.Id);
        Upsert(e.Message);
        if (e.Message.Author == ChatAuthorKind.Staff)
        {
            _staffTyping = null;
        }
        _scroll = true;
        StateHasChanged();
    });

    private Task OnChunkAsync(ChatReplyChunk e) => !Mine(e) ? Task.CompletedTask : InvokeAsync(() =>
    {
        if (_messages.All(m => m.Id != e.MessageId))
        {
            var draft = _drafts.TryGetValue(e.MessageId, out var d) ? d : _drafts[e.MessageId] = new Draft();
            draft.Text = e.Replace ? e.Text : draft.Text + e.Text;
            _scroll = true;
            StateHasChanged();
        }
    });

    private Task OnProductsAsync(ChatReplyProducts e) => !Mine(e) ? Task.CompletedTask : InvokeAsync(() =>
    {
        if (_messages.All(m => m.Id != e.MessageId))
        {
            var draft = _drafts.TryGetValue(e.MessageId, out var d) ? d : _drafts[e.MessageId] = new Draft();
            draft.Products = e.Products;
            _scroll = true;
            StateHasChanged();
        }
    });

    private Task OnChangedAsync(ChatConversationChanged e) => !Mine(e) ? Task.CompletedTask : InvokeAsync(() =>
    {
        _status = e.Status;
        _staffName = e.Status == ChatStatus.WithStaff && e.ClaimedByName is { } name ? name : _staffName;
        StateHasChanged();
    });

    private Task OnTypingAsync(ChatTyping e) => !Mine(e) || e.Author != ChatAuthorKind.Staff ? Task.CompletedTask : InvokeAsync(async () =>
    {
        _staffTyping = e.IsTyping ? (e.Name ?? "Someone", Clock.GetUtcNow() + TypingShownFor) : null;
        _scroll = true;
        StateHasChanged();
        if (e.IsTyping)
        {
            // Hide the indicator when no further "typing" arrives in time.
            await Task.Delay(TypingShownFor + TimeSpan.FromMilliseconds(100));
            StateHasChanged();
        }
    });

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (_focusedKey != _inputKey && Status != ChatStatus.Closed)
        {
            _focusedKey = _inputKey; // a fresh input (after sending) keeps the caret where the customer types
            try
            {
                await _inputRef.FocusAsync();
            }
            catch (Exception e) when (e is JSDisconnectedException or JSException or InvalidOperationException or TaskCanceledException)
            {
            }
        }
        if (!_scroll)
        {
            return;
        }
        _scroll = false;
        try
        {
            _module ??= await JS.InvokeAsync<IJSObjectReference>("import", "./Components/Shop/Chat/ChatPanel.razor.js");
            if (_module is not null)
            {
                await _module.InvokeVoidAsync("scrollToEnd", _body);
            }
        }
        catch (Exception e) when (e is JSDisconnectedException or JSException or TaskCanceledException or InvalidOperationException)
        {
            // Scrolling is a nicety; a disconnected or prerendering page simply does not scroll.
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var s in _subscriptions)
        {
            s.Dispose();
        }
        if (_module is not null)
        {
            try
            {
                await _module.DisposeAsync();
            }
            catch (JSDisconnectedException)
            {
            }
        }
    }
}
