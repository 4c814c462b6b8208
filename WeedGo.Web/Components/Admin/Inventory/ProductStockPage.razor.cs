using Microsoft.AspNetCore.Components;
using MudBlazor;
using WeedGo.Core.Accounts;
using WeedGo.Core.Common;
using WeedGo.Core.Inventory;
using WeedGo.Core.Live;

namespace WeedGo.Web.Components.Admin.Inventory;

public partial class ProductStockPage
{
    private static readonly (string Value, string Text)[] Reasons =
    [
        ("CountCorrection", "Count correction (+ or −)"), ("Damage", "Damage"), ("TheftLoss", "Theft or loss"), ("Expiry", "Expired"),
        ("Destruction", "Destruction"),
    ];

    private ProductStock? _stock;
    private string? _error;
    private string? _message;
    private Severity _messageSeverity = Severity.Success;
    private bool _canManage;
    private bool _busy;
    private decimal? _price;
    private decimal? _cost;
    private int _reorder;
    private bool _adjustOpen;
    private string _reason = "Damage";
    private int _quantity = 1;
    private Guid? _batchId;
    private string? _note;
    private string? _adjustError;
    private IReadOnlyList<InventoryStore> _otherStores = [];
    private bool _transferOpen;
    private Guid _transferTo;
    private int _transferQuantity = 1;
    private Guid? _transferBatchId;
    private string? _transferNote;
    private string? _transferError;
    private MudTable<MovementRow>? _history;
    private IDisposable? _subscription;

    [Parameter] public Guid StoreId { get; set; }
    [Parameter] public Guid ProductId { get; set; }

    [Inject] private InventoryQueries Queries { get; set; } = default!;
    [Inject] private InventoryService Inventory { get; set; } = default!;
    [Inject] private ICurrentUser User { get; set; } = default!;
    [Inject] private ITenantContext Tenant { get; set; } = default!;
    [Inject] private ILiveEvents Live { get; set; } = default!;

    private string QuantityLabel => _reason == "CountCorrection" ? "Change (negative removes)" : "Units removed";

    protected override async Task OnParametersSetAsync()
    {
        _canManage = User.Satisfies(Policies.StoreManagement);
        await LoadAsync(resetForm: true);
        if (_canManage && await Queries.StoresAsync() is { Succeeded: true } stores)
        {
            _otherStores = stores.Value.Where(s => s.Id != StoreId).ToList(); // the stores this manager works at besides this one
        }
        _subscription ??= Tenant.TenantId is { } tenantId ? Live.Subscribe<StockChanged>(tenantId, OnStockChangedAsync) : null;
    }

    private Task OnStockChangedAsync(StockChanged e) =>
        e.StoreId == StoreId && e.ProductId == ProductId ? InvokeAsync(RefreshAsync) : Task.CompletedTask;

    private async Task RefreshAsync()
    {
        await LoadAsync(resetForm: false);
        if (_history is not null)
        {
            await _history.ReloadServerData();
        }
        StateHasChanged();
    }

    private async Task LoadAsync(bool resetForm)
    {
        var result = await Queries.ProductStockAsync(StoreId, ProductId, 0, 1);
        _error = result.Error?.Message;
        _stock = result.Succeeded ? result.Value : null;
        if (_stock is not null && resetForm)
        {
            (_price, _cost, _reorder) = (_stock.PriceOverride, _stock.UnitCost, _stock.ReorderPoint);
        }
    }

    private async Task<TableData<MovementRow>> LoadHistoryAsync(TableState state, CancellationToken ct)
    {
        var result = await Queries.ProductStockAsync(StoreId, ProductId, state.Page, state.PageSize, ct);
        return result.Succeeded
            ? new TableData<MovementRow> { Items = result.Value.History, TotalItems = result.Value.HistoryTotal }
            : new TableData<MovementRow> { Items = [], TotalItems = 0 };
    }

    private IEnumerable<(string Label, string Value, string Id)> Figures()
    {
        var s = _stock!;
        yield return ("On hand", s.OnHand.ToString(), "figure-on-hand");
        yield return ("Reserved", s.Reserved.ToString(), "figure-reserved");
        yield return ("Available", s.Available.ToString(), "figure-available");
        yield return ("Reorder point", s.ReorderPoint.ToString(), "figure-reorder");
        yield return (s.PriceOverride is null ? "Price (catalogue)" : "Shelf price", InventoryPage.Money(s.Price), "figure-price");
        yield return ("Average cost", InventoryPage.Money(s.UnitCost), "figure-cost");
    }

    private void OpenAdjust()
    {
        (_reason, _quantity, _batchId, _note, _adjustError) = ("Damage", 1, null, null, null);
        _adjustOpen = true;
    }

    private async Task AdjustAsync()
    {
        _busy = true;
        try
        {
            var result = _reason switch
            {
                "Destruction" => await Inventory.DestroyAsync(StoreId, ProductId, _quantity, _note, _batchId),
                "CountCorrection" => await Inventory.AdjustAsync(StoreId, ProductId, _quantity, AdjustmentReason.CountCorrection, _note, _batchId),
                _ => await Inventory.AdjustAsync(StoreId, ProductId, -Math.Abs(_quantity), Enum.Parse<AdjustmentReason>(_reason), _note, _batchId),
            };
            if (!result.Succeeded)
            {
                _adjustError = result.Error!.Message;
                return;
            }
            _adjustOpen = false;
            Say($"Recorded. On hand is now {result.Value.OnHand}, available {result.Value.Available}.", Severity.Success);
            await RefreshAsync();
        }
        finally
        {
            _busy = false;
        }
    }

    private void OpenTransfer()
    {
        (_transferTo, _transferQuantity, _transferBatchId, _transferNote, _transferError) = (_otherStores[0].Id, 1, null, null, null);
        _transferOpen = true;
    }

    private async Task TransferAsync()
    {
        _busy = true;
        try
        {
            var result = await Inventory.TransferAsync(StoreId, _transferTo, ProductId, _transferQuantity, _transferBatchId, _transferNote);
            if (!result.Succeeded)
            {
                _transferError = result.Error!.Message;
                return;
            }
            _transferOpen = false;
            var t = result.Value;
            var lots = string.Join(", ", t.Lots.Select(l => l.BatchLot is null ? $"{l.Quantity} without a lot" : $"{l.Quantity} of lot {l.BatchLot}"));
            var to = _otherStores.FirstOrDefault(s => s.Id == _transferTo)?.Name ?? "the other store";
            Say($"Transferred to {to}: {lots}. On hand here is now {t.From.OnHand}, available {t.From.Available}.", Severity.Success);
            await RefreshAsync();
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task SavePricingAsync()
    {
        _busy = true;
        try
        {
            var price = await Inventory.SetPriceAsync(StoreId, ProductId, _price, _cost);
            var reorder = price.Succeeded ? await Inventory.SetReorderPointAsync(StoreId, ProductId, _reorder) : price;
            Say(reorder.Succeeded ? "Price, cost and reorder point saved." : reorder.Error!.Message, reorder.Succeeded ? Severity.Success : Severity.Error);
            await LoadAsync(resetForm: reorder.Succeeded);
        }
        finally
        {
            _busy = false;
        }
    }

    private void Say(string message, Severity severity) => (_message, _messageSeverity) = (message, severity);

    private static string Signed(int n) => n > 0 ? $"+{n}" : n.ToString();

    private static string Describe(MovementRow m) => m.Reason is { } r ? $"{m.Kind} · {r}" : m.Kind.ToString();

    public void Dispose() => _subscription?.Dispose();
}
