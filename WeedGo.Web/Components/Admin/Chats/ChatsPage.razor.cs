using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using MudBlazor;
using WeedGo.Core.Chat;
using WeedGo.Core.Common;
using WeedGo.Core.Inventory;
using WeedGo.Core.Live;

namespace WeedGo.Web.Components.Admin.Chats;

/// <summary>
/// The staff chat console of one store: conversations by status (those waiting for a person highlighted, arriving live with a
/// chime), one conversation with its messages streaming live, claim / hand back / close, typing both ways, and the customer's
/// cart and recent orders beside it. Every action goes through <see cref="ChatService"/>, which checks the store.
/// </summary>
public partial class ChatsPage
{
    private static readonly TimeSpan TypingShownFor = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan TypingSentEvery = TimeSpan.FromSeconds(3);

    private static readonly (ChatListFilter Filter, string Label)[] Filters =
    [
        (ChatListFilter.Open, "All open"), (ChatListFilter.Waiting, "Waiting"), (ChatListFilter.WithStaff, "With staff"),
        (ChatListFilter.WithAssistant, "With assistant"), (ChatListFilter.Closed, "Closed (24 h)"),
    ];

    [Inject] private InventoryQueries Stores { get; set; } = default!;
    [Inject] private ChatQueries Queries { get; set; } = default!;
    [Inject] private ChatService Chat { get; set; } = default!;
    [Inject] private ILiveEvents Live { get; set; } = default!;
    [Inject] private ITenantContext Tenant { get; set; } = default!;
    [Inject] private ICurrentUser User { get; set; } = default!;
    [Inject] private TimeProvider Clock { get; set; } = default!;
    [Inject] private IJSRuntime JS { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;

    [SupplyParameterFromQuery(Name = "store")] public Guid? StoreQuery { get; set; }
    [SupplyParameterFromQuery(Name = "c")] public Guid? ConversationQuery { get; set; }

    private IReadOnlyList<InventoryStore>? _stores;
    private Guid _storeId;
    private ChatListFilter _filter = ChatListFilter.Open;
    private List<ChatConversationSummary> _list = [];
    private readonly HashSet<Guid> _fresh = [];
    private int _waiting;
    private Guid? _selectedId;
    private ChatStaffView? _selected;
    private ChatCustomerContext? _customer;
    private readonly Dictionary<Guid, string> _drafts = [];
    private DateTimeOffset? _customerTypingUntil;
    private DateTimeOffset _typingSentAt;
    private DateTimeOffset _now;
    private bool _busy;
    private string? _error;
    private readonly List<IDisposable> _subscriptions = [];

    private Guid? Me => User.UserId;

    private int WaitingCount => _waiting;

    private bool CustomerTyping => _customerTypingUntil is { } until && until > Clock.GetUtcNow();

    protected override async Task OnInitializedAsync()
    {
        _now = Clock.GetUtcNow();
        var choice = await Stores.ChooseStoreAsync(StoreQuery);
        if (!choice.Succeeded)
        {
            _error = choice.Error!.Message;
            return;
        }
        (_stores, _storeId) = (choice.Value.Stores, choice.Value.Chosen);
        if (Tenant.TenantId is { } tenant)
        {
            _subscriptions.Add(Live.Subscribe<ChatConversationChanged>(tenant, OnChangedAsync));
            _subscriptions.Add(Live.Subscribe<ChatMessageAdded>(tenant, OnMessageAsync));
            _subscriptions.Add(Live.Subscribe<ChatReplyChunk>(tenant, OnChunkAsync));
            _subscriptions.Add(Live.Subscribe<ChatTyping>(tenant, OnTypingAsync));
            _subscriptions.Add(Live.Subscribe<CartChanged>(tenant, OnCartChangedAsync));
        }
        await LoadListAsync();
        if (ConversationQuery is { } c)
        {
            await SelectAsync(c);
        }
    }

    private async Task LoadListAsync()
    {
        if (_storeId == Guid.Empty)
        {
            return;
        }
        _now = Clock.GetUtcNow();
        var list = await Queries.ListAsync(_storeId, _filter);
        _list = list.Succeeded ? [.. list.Value] : [];
        _error = list.Error?.Message ?? _error;
        var waiting = _filter == ChatListFilter.Waiting ? list : await Queries.ListAsync(_storeId, ChatListFilter.Waiting);
        _waiting = waiting.Succeeded ? waiting.Value.Count : 0;
    }

    private async Task SelectAsync(Guid id)
    {
        _selectedId = id;
        _fresh.Remove(id);
        _drafts.Clear();
        _customerTypingUntil = null;
        await LoadSelectedAsync();
    }

    private async Task LoadSelectedAsync()
    {
        if (_selectedId is not { } id)
        {
            return;
        }
        var view = await Queries.StaffViewAsync(id);
        if (!view.Succeeded)
        {
            (_selected, _selectedId, _error) = (null, null, view.Error!.Message);
            return;
        }
        _selected = view.Value;
        var customer = await Queries.CustomerAsync(id);
        _customer = customer.Succeeded ? customer.Value : null;
    }

    private async Task ActAsync(Func<Guid, Task<Result>> action)
    {
        if (_selectedId is not { } id)
        {
            return;
        }
        _busy = true;
        var result = await action(id);
        _busy = false;
        if (!result.Succeeded)
        {
            Snackbar.Add(result.Error!.Message, Severity.Warning);
        }
        await LoadSelectedAsync();
        await LoadListAsync();
    }

    private Task ClaimAsync() => ActAsync(id => Chat.ClaimAsync(id));

    private Task HandBackAsync() => ActAsync(id => Chat.HandBackAsync(id));

    private Task CloseAsync() => ActAsync(id => Chat.CloseAsync(id));

    private async Task<string?> SendAsync(string text)
    {
        if (_selectedId is not { } id)
        {
            return null;
        }
        var sent = await Chat.StaffPostAsync(id, text);
        if (!sent.Succeeded)
        {
            return sent.Error!.Message;
        }
        _typingSentAt = default;
        await Chat.TypingAsync(id, false);
        return null;
    }

    private async Task TypingAsync()
    {
        var now = Clock.GetUtcNow();
        if (_selectedId is { } id && now - _typingSentAt > TypingSentEvery)
        {
            _typingSentAt = now;
            await Chat.TypingAsync(id, true);
        }
    }

    private async Task StoreChangedAsync(Guid id)
    {
        (_storeId, _selectedId, _selected, _customer) = (id, null, null, null);
        _fresh.Clear();
        await LoadListAsync();
    }

    private async Task FilterChangedAsync(ChatListFilter filter)
    {
        _filter = filter;
        await LoadListAsync();
    }

    private Task OnChangedAsync(ChatConversationChanged e) => e.StoreId != _storeId ? Task.CompletedTask : InvokeAsync(async () =>
    {
        var wasWaiting = _list.Any(r => r.Id == e.ConversationId && r.Status == ChatStatus.WaitingForStaff);
        await LoadListAsync();
        if (e.Status == ChatStatus.WaitingForStaff && !wasWaiting)
        {
            _fresh.Add(e.ConversationId);
            Snackbar.Add("A customer is waiting for a person.", Severity.Warning);
            await BeepAsync();
        }
        if (e.ConversationId == _selectedId)
        {
            await LoadSelectedAsync();
        }
        StateHasChanged();
    });

    private Task OnMessageAsync(ChatMessageAdded e) => e.StoreId != _storeId ? Task.CompletedTask : InvokeAsync(() =>
    {
        var at = _list.FindIndex(r => r.Id == e.ConversationId);
        if (at >= 0 && e.Message.Author != ChatAuthorKind.System)
        {
            _list[at] = _list[at] with { LastMessage = e.Message.Text.Length > 140 ? e.Message.Text[..140] : e.Message.Text, LastMessageAt = e.Message.At };
        }
        if (e.ConversationId == _selectedId && _selected is { } view && view.Messages.All(m => m.Id != e.Message.Id))
        {
            _drafts.Remove(e.Message.Id);
            _selected = view with { Messages = [.. view.Messages, e.Message] };
            if (e.Message.Author == ChatAuthorKind.Customer)
            {
                _customerTypingUntil = null;
            }
        }
        _now = Clock.GetUtcNow();
        StateHasChanged();
    });

    private Task OnChunkAsync(ChatReplyChunk e) => e.ConversationId != _selectedId ? Task.CompletedTask : InvokeAsync(() =>
    {
        _drafts[e.MessageId] = (e.Replace ? "" : _drafts.GetValueOrDefault(e.MessageId, "")) + e.Text;
        StateHasChanged();
    });

    private Task OnTypingAsync(ChatTyping e) =>
        e.ConversationId != _selectedId || e.Author != ChatAuthorKind.Customer ? Task.CompletedTask : InvokeAsync(async () =>
        {
            _customerTypingUntil = e.IsTyping ? Clock.GetUtcNow() + TypingShownFor : null;
            StateHasChanged();
            if (e.IsTyping)
            {
                await Task.Delay(TypingShownFor + TimeSpan.FromMilliseconds(100));
                StateHasChanged();
            }
        });

    private Task OnCartChangedAsync(CartChanged e) =>
        e.StoreId != _storeId || _selectedId is not { } id ? Task.CompletedTask : InvokeAsync(async () =>
        {
            var customer = await Queries.CustomerAsync(id);
            _customer = customer.Succeeded ? customer.Value : _customer;
            StateHasChanged();
        });

    private async Task BeepAsync()
    {
        try
        {
            await JS.InvokeAsync<bool>("weedgo.beep");
        }
        catch (Exception e) when (e is JSException or JSDisconnectedException or InvalidOperationException or TaskCanceledException)
        {
            // No sound is fine: the row is highlighted.
        }
    }

    public void Dispose()
    {
        foreach (var s in _subscriptions)
        {
            s.Dispose();
        }
    }
}
