using Microsoft.AspNetCore.Components;
using MudBlazor;
using WeedGo.Core.Common;
using WeedGo.Core.Inventory;
using WeedGo.Core.Live;

namespace WeedGo.Web.Components.Admin.Inventory;

public partial class InventoryPage
{
    private IReadOnlyList<InventoryStore>? _stores;
    private InventoryFilters? _filters;
    private Guid _storeId;
    private string? _error;
    private string? _search;
    private string? _category;
    private string? _brand;
    private bool _lowStock;
    private bool _outOfStock;
    private bool _unstocked;
    private MudTable<InventoryRow>? _table;
    private IDisposable? _subscription;

    [Inject] private InventoryQueries Queries { get; set; } = default!;
    [Inject] private ILiveEvents Live { get; set; } = default!;
    [Inject] private ITenantContext Tenant { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;

    [SupplyParameterFromQuery(Name = "store")] public Guid? StoreQuery { get; set; }

    protected override async Task OnInitializedAsync()
    {
        var choice = await Queries.ChooseStoreAsync(StoreQuery);
        if (!choice.Succeeded)
        {
            _error = choice.Error!.Message;
            return;
        }
        (_stores, _storeId) = (choice.Value.Stores, choice.Value.Chosen);
        var filters = await Queries.FiltersAsync();
        _filters = filters.Succeeded ? filters.Value : null;
        if (Tenant.TenantId is { } tenantId)
        {
            _subscription = Live.Subscribe<StockChanged>(tenantId, OnStockChangedAsync);
        }
    }

    private Task OnStockChangedAsync(StockChanged e) =>
        e.StoreId == _storeId ? InvokeAsync(ReloadAsync) : Task.CompletedTask;

    private async Task<TableData<InventoryRow>> LoadAsync(TableState state, CancellationToken ct)
    {
        if (_storeId == Guid.Empty)
        {
            return new TableData<InventoryRow> { Items = [], TotalItems = 0 };
        }
        var sort = Enum.TryParse<InventorySort>(state.SortLabel, out var s) ? s : InventorySort.Name;
        var query = new InventoryGridQuery(_storeId, _search, _category, _brand, _lowStock, _outOfStock, _unstocked, sort,
            state.SortDirection == SortDirection.Descending, state.Page, state.PageSize);
        var result = await Queries.PageAsync(query, ct);
        if (!result.Succeeded)
        {
            _error = result.Error!.Message;
            return new TableData<InventoryRow> { Items = [], TotalItems = 0 };
        }
        return new TableData<InventoryRow> { Items = result.Value.Rows, TotalItems = result.Value.Total };
    }

    private Task ReloadAsync() => _table?.ReloadServerData() ?? Task.CompletedTask;

    private async Task StoreChangedAsync(Guid id)
    {
        _storeId = id;
        await ReloadAsync();
    }

    private async Task CategoryChangedAsync(string? value)
    {
        _category = value;
        await ReloadAsync();
    }

    private async Task BrandChangedAsync(string? value)
    {
        _brand = value;
        await ReloadAsync();
    }

    private Task ToggleAsync(ref bool field, bool value)
    {
        field = value;
        return ReloadAsync();
    }

    private string DetailHref(InventoryRow row) => $"/admin/inventory/{_storeId}/{row.ProductId}";

    private void Open(InventoryRow? row)
    {
        if (row is not null)
        {
            Navigation.NavigateTo(DetailHref(row));
        }
    }

    private void OpenScanned(ScanMatch match) => Navigation.NavigateTo($"/admin/inventory/{match.StoreId}/{match.ProductId}");

    private static Color AvailableColor(InventoryRow row) =>
        row.Available == 0 ? Color.Error : row.IsLow ? Color.Warning : Color.Default;

    internal static string Money(decimal? amount) =>
        amount is { } a ? a.ToString("C2", System.Globalization.CultureInfo.GetCultureInfo("en-CA")) : "—";

    public void Dispose() => _subscription?.Dispose();
}
