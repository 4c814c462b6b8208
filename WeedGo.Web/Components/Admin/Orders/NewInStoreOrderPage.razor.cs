using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Options;
using WeedGo.Core.Catalog;
using WeedGo.Core.Compliance;
using WeedGo.Core.Inventory;
using WeedGo.Core.Ordering;

namespace WeedGo.Web.Components.Admin.Orders;

/// <summary>A phone or counter order entered by staff, with the same 30 g meter as the storefront; the service re-checks
/// everything (limit, stock, prices) when the order is created.</summary>
public partial class NewInStoreOrderPage
{
    private sealed class Line
    {
        public Guid ProductId { get; init; }
        public string Name { get; init; } = "";
        public string Sku { get; init; } = "";
        public decimal Grams { get; init; }
        public decimal? Price { get; init; }
        public int Quantity { get; set; }
    }

    private IReadOnlyList<InventoryStore>? _stores;
    private readonly List<Line> _lines = [];
    private Guid _storeId;
    private string? _customer;
    private string? _phone;
    private string? _notice;
    private string? _error;
    private bool _busy;

    [Inject] private InventoryQueries Stores { get; set; } = default!;
    [Inject] private CatalogQueries Catalog { get; set; } = default!;
    [Inject] private OrderService Orders { get; set; } = default!;
    [Inject] private IOptions<OrderingOptions> Rules { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;

    [SupplyParameterFromQuery(Name = "store")] public Guid? StoreQuery { get; set; }

    private LimitMeter Meter => PurchaseLimit.Measure(LimitLines(), Rules.Value.PurchaseLimitGrams);

    private IEnumerable<LimitLine> LimitLines() => _lines.Select(l => new LimitLine(l.ProductId, l.Quantity, l.Grams));

    protected override async Task OnInitializedAsync()
    {
        var choice = await Stores.ChooseStoreAsync(StoreQuery);
        if (!choice.Succeeded)
        {
            _error = choice.Error!.Message;
            return;
        }
        (_stores, _storeId) = (choice.Value.Stores, choice.Value.Chosen);
    }

    private async Task<IEnumerable<CatalogItem>> SearchAsync(string text, CancellationToken ct) =>
        string.IsNullOrWhiteSpace(text) ? [] : (await Catalog.SearchAsync(new CatalogSearch(text, PageSize: 10), ct)).Items;

    private void AddFromSearch(CatalogItem? item)
    {
        if (item is not null)
        {
            Add(item.Id, item.ProductName, item.Sku, item.IsCannabis ? item.DriedFlowerEquivalency : 0m, item.UnitPrice);
        }
    }

    private async Task AddScannedAsync(ScanMatch match)
    {
        var p = await Catalog.GetAsync(match.ProductId);
        if (p is not null)
        {
            Add(p.Id, p.ProductName, p.Sku, p.IsCannabis ? p.DriedFlowerEquivalency : 0m, p.UnitPrice);
        }
    }

    private void Add(Guid productId, string name, string sku, decimal grams, decimal? price)
    {
        _notice = PurchaseLimit.RefuseAddition(LimitLines(), grams, 1, Rules.Value.PurchaseLimitGrams, name);
        if (_notice is not null)
        {
            return;
        }
        if (_lines.FirstOrDefault(l => l.ProductId == productId) is { } existing)
        {
            existing.Quantity++;
        }
        else
        {
            _lines.Add(new Line { ProductId = productId, Name = name, Sku = sku, Grams = grams, Price = price, Quantity = 1 });
        }
    }

    private void SetQuantity(Line line, int quantity)
    {
        var others = _lines.Where(l => l != line).Select(l => new LimitLine(l.ProductId, l.Quantity, l.Grams));
        _notice = quantity > line.Quantity
            ? PurchaseLimit.RefuseAddition(others, line.Grams, quantity, Rules.Value.PurchaseLimitGrams, line.Name)
            : null;
        if (_notice is null)
        {
            line.Quantity = Math.Max(1, quantity);
        }
    }

    private async Task CreateAsync()
    {
        _busy = true;
        _error = null;
        try
        {
            var result = await Orders.CreateInStoreAsync(_storeId, _customer ?? "", _phone,
                _lines.Select(l => new InStoreLine(l.ProductId, l.Quantity)).ToList());
            if (result.Succeeded)
            {
                Navigation.NavigateTo($"/admin/orders/{result.Value.OrderId}");
            }
            else
            {
                _error = result.Error!.Message;
            }
        }
        finally
        {
            _busy = false;
        }
    }
}
