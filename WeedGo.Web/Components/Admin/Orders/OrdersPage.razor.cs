using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using MudBlazor;
using WeedGo.Core.Common;
using WeedGo.Core.Inventory;
using WeedGo.Core.Live;
using WeedGo.Core.Ordering;

namespace WeedGo.Web.Components.Admin.Orders;

/// <summary>The live order queue of one store: open orders by status, or those finished today. New orders arrive over
/// <see cref="OrderChanged"/> without a reload, highlighted and with a short chime.</summary>
public partial class OrdersPage
{
    private static readonly (OrderStatus? Status, string Label)[] Filters =
    [
        (null, "All open"), (OrderStatus.Placed, "New"), (OrderStatus.Confirmed, "Confirmed"), (OrderStatus.Packed, "Packed"),
        (OrderStatus.ReadyForPickup, "Ready"), (OrderStatus.OutForDelivery, "Out for delivery"),
    ];

    private IReadOnlyList<InventoryStore>? _stores;
    private IReadOnlyList<OrderSummary>? _orders;
    private readonly HashSet<Guid> _fresh = [];
    private Guid _storeId;
    private OrderStatus? _status;
    private bool _finished;
    private bool _loading;
    private string? _error;
    private DateTimeOffset _now;
    private IDisposable? _subscription;
    private ITimer? _ticker;

    [Inject] private InventoryQueries Stores { get; set; } = default!;
    [Inject] private OrderQueries Queries { get; set; } = default!;
    [Inject] private ILiveEvents Live { get; set; } = default!;
    [Inject] private ITenantContext Tenant { get; set; } = default!;
    [Inject] private TimeProvider Clock { get; set; } = default!;
    [Inject] private IJSRuntime JS { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;

    [SupplyParameterFromQuery(Name = "store")] public Guid? StoreQuery { get; set; }

    private IEnumerable<OrderSummary> Visible =>
        (_orders ?? []).Where(o => _finished || _status is null || o.Status == _status);

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
        await LoadAsync();
        if (Tenant.TenantId is { } tenantId)
        {
            _subscription = Live.Subscribe<OrderChanged>(tenantId, OnOrderChangedAsync);
        }
        // Ages ("5 min ago") move on by themselves.
        _ticker = Clock.CreateTimer(_ => InvokeAsync(() => { _now = Clock.GetUtcNow(); StateHasChanged(); }), null,
            TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30));
    }

    private async Task LoadAsync()
    {
        if (_storeId == Guid.Empty)
        {
            return;
        }
        _loading = true;
        var result = await Queries.QueueAsync(_storeId, openOnly: !_finished);
        _loading = false;
        _now = Clock.GetUtcNow();
        _orders = result.Succeeded ? result.Value : [];
        _error = result.Error?.Message;
    }

    private Task OnOrderChangedAsync(OrderChanged e) => e.StoreId != _storeId ? Task.CompletedTask : InvokeAsync(async () =>
    {
        await LoadAsync();
        if (e.IsNew && _orders?.Any(o => o.Id == e.OrderId) == true)
        {
            _fresh.Add(e.OrderId);
            Snackbar.Add($"New order {e.Number}", Severity.Info);
            await BeepAsync();
        }
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

    private async Task StoreChangedAsync(Guid id)
    {
        _storeId = id;
        _fresh.Clear();
        await LoadAsync();
    }

    private async Task FinishedChangedAsync(bool value)
    {
        _finished = value;
        await LoadAsync();
    }

    private string RowClass(OrderSummary o, int _) => _fresh.Contains(o.Id) ? "order-new" : "";

    private void Open(OrderSummary? o)
    {
        if (o is not null)
        {
            Navigation.NavigateTo($"/admin/orders/{o.Id}");
        }
    }

    public void Dispose()
    {
        _subscription?.Dispose();
        _ticker?.Dispose();
    }
}
