using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http;
using MudBlazor;
using WeedGo.Core.Common;
using WeedGo.Core.Live;
using WeedGo.Core.Ordering;
using WeedGo.Core.Tenancy;

namespace WeedGo.Web.Components.Shop.Wishlist;

/// <summary>
/// The customer's saved products at one store (the wishlist is kept per store, like prices and stock): today's price, live
/// availability (<see cref="StockChanged"/>), remove, move to cart (refusals such as the purchase limit shown as the
/// service words them). <c>/wishlist</c> shows the store the customer last chose (the storefront's store cookie).
/// </summary>
public partial class WishlistPage : IDisposable
{
    private StoreCard? _store;
    private IReadOnlyList<WishlistEntry>? _items;
    private bool _loaded;
    private bool _busy;
    private string? _message;
    private Severity _severity = Severity.Success;
    private bool _cartLink;
    private IDisposable? _subscription;

    [Parameter] public string? Slug { get; set; }

    [CascadingParameter] private HttpContext? HttpContext { get; set; }

    /// <summary>The store cookie read while prerendering, carried into the circuit.</summary>
    [PersistentState] public string? ChosenSlug { get; set; }

    [Inject] private StoreQueries Stores { get; set; } = default!;
    [Inject] private WishlistService Wishlist { get; set; } = default!;
    [Inject] private ILiveEvents Live { get; set; } = default!;
    [Inject] private ITenantContext Tenant { get; set; } = default!;
    [Inject] private ShopState Shop { get; set; } = default!;

    protected override async Task OnParametersSetAsync()
    {
        ChosenSlug ??= HttpContext?.Request.Cookies[ShopCookies.Store] ?? "";
        var slug = string.IsNullOrEmpty(Slug) ? ChosenSlug : Slug;
        _store = string.IsNullOrEmpty(slug) ? null : (await Stores.ListForStorefrontAsync()).FirstOrDefault(s => s.Slug == slug);
        _loaded = true;
        _subscription?.Dispose();
        _subscription = null;
        if (_store is null)
        {
            return;
        }
        Shop.SetStore(_store); // the wishlist's store: its chat button and cart badge
        await LoadAsync();
        var storeId = _store.Id;
        // Live: stock of a saved product changing at this store (a sale, a delivery) updates its availability.
        _subscription = Tenant.TenantId is { } tenantId
            ? Live.Subscribe<StockChanged>(tenantId, e => e.StoreId == storeId && _items?.Any(i => i.ProductId == e.ProductId) == true
                ? InvokeAsync(async () => { await LoadAsync(); StateHasChanged(); })
                : Task.CompletedTask)
            : null;
    }

    private async Task LoadAsync() => _items = await Wishlist.ListAsync(_store!.Id);

    private async Task MoveAsync(WishlistEntry item)
    {
        _busy = true;
        try
        {
            var result = await Wishlist.MoveToCartAsync(_store!.Id, item.ProductId);
            (_message, _severity, _cartLink) = result.Succeeded
                ? ($"{item.ProductName} is in your cart ({result.Value.Meter.Describe()} of the purchase limit used).", Severity.Success, true)
                : (result.Error!.Message, Severity.Warning, false);
            await LoadAsync();
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task RemoveAsync(WishlistEntry item)
    {
        _busy = true;
        try
        {
            var result = await Wishlist.RemoveAsync(_store!.Id, item.ProductId);
            (_message, _severity, _cartLink) = result.Succeeded
                ? ($"{item.ProductName} is off your wishlist.", Severity.Success, false)
                : (result.Error!.Message, Severity.Error, false);
            await LoadAsync();
        }
        finally
        {
            _busy = false;
        }
    }

    public void Dispose() => _subscription?.Dispose();
}
