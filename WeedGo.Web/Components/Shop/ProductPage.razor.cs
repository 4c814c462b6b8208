using Microsoft.AspNetCore.Components;
using MudBlazor;
using WeedGo.Core.Catalog;
using WeedGo.Core.Common;
using WeedGo.Core.Inventory;
using WeedGo.Core.Live;
using WeedGo.Core.Ordering;

namespace WeedGo.Web.Components.Shop;

/// <summary>One product at one store (<c>/s/{slug}/p/{sku}</c>, a stable shareable URL): potency as labels give it, terpenes,
/// equivalency, live availability, add to cart, related products.</summary>
public partial class ProductPage
{
    [Parameter] public string Sku { get; set; } = "";

    [Inject] private MenuQueries Menu { get; set; } = default!;
    [Inject] private CartService Carts { get; set; } = default!;
    [Inject] private ILiveEvents LiveEvents { get; set; } = default!;
    [Inject] private ITenantContext Tenant { get; set; } = default!;
    [Inject] private WeedGo.Core.Pricing.PromotionQueries Promotions { get; set; } = default!;

    private IReadOnlyDictionary<Guid, WeedGo.Core.Pricing.MenuDeal> _deals = new Dictionary<Guid, WeedGo.Core.Pricing.MenuDeal>();

    private MenuProduct? _product;
    private bool _loaded;
    private bool _busy;
    private int _quantity = 1;
    private string? _message;
    private bool _ok;
    private List<BreadcrumbItem> _crumbs = [];
    private IDisposable? _subscription;

    protected override async Task OnParametersSetAsync()
    {
        _subscription?.Dispose();
        if (await LoadStoreAsync() is not { } store)
        {
            return;
        }
        _product = await Menu.ProductAsync(store.Id, Sku);
        _loaded = true;
        _message = null;
        _quantity = 1;
        if (_product is null)
        {
            return;
        }
        var p = _product.Product;
        _deals = await Promotions.DealsAsync(store.Id,
            [.. (_product.Price is { } price ? new[] { new WeedGo.Core.Pricing.PricingLine(p.Id, p.Category, p.Brand, p.IsCannabis, 1, price) } : []),
             .. _product.Related.Select(StoreFront.Deal)]);
        _crumbs =
        [
            new(store.Name, StoreUrl()),
            new(_product.Product.Category, StoreUrl() + "?cat=" + Uri.EscapeDataString(_product.Product.Category)),
            new(_product.Product.ProductName, null, disabled: true),
        ];
        var productId = _product.Product.Id;
        _subscription = LiveEvents.Subscribe<StockChanged>(Tenant.TenantId, async e =>
        {
            if (e.StoreId == store.Id && (e.ProductId == productId || _product.Related.Any(r => r.Id == e.ProductId)))
            {
                await InvokeAsync(() =>
                {
                    _product = e.ProductId == productId
                        ? _product with { Available = e.Available }
                        : _product with { Related = _product.Related.Select(r => r.Id == e.ProductId ? r with { Available = e.Available } : r).ToList() };
                    StateHasChanged();
                });
            }
        });
    }

    private Task AddAsync() => AddAsync(_product!.Product.Id, _product.Product.ProductName, _quantity);

    private Task AddRelatedAsync(MenuItem item) => AddAsync(item.Id, item.ProductName, 1);

    private async Task AddAsync(Guid productId, string name, int quantity)
    {
        _busy = true;
        try
        {
            var added = await Carts.AddAsync(Store!.Id, productId, quantity);
            _ok = added.Succeeded;
            _message = added.Succeeded
                ? $"Added {quantity} × {name}. Your cart holds {added.Value.Meter.Describe()} of dried-cannabis equivalent."
                : added.Error!.Message;
        }
        finally
        {
            _busy = false;
        }
    }

    public void Dispose() => _subscription?.Dispose();
}
