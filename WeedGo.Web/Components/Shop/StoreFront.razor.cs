using System.Globalization;
using Microsoft.AspNetCore.Components;
using MudBlazor;
using WeedGo.Core.Catalog;
using WeedGo.Core.Common;
using WeedGo.Core.Inventory;
using WeedGo.Core.Live;
using WeedGo.Core.Ordering;
using WeedGo.Web.Components.Shared;

namespace WeedGo.Web.Components.Shop;

/// <summary>
/// A store's menu: categories, filters, sort, search and pages, all in the URL (<c>/s/{slug}?q=…&amp;cat=…&amp;sort=…&amp;page=…</c>) so a
/// menu view can be shared; availability and the in-stock count follow <see cref="StockChanged"/> live.
/// </summary>
public partial class StoreFront
{
    [Inject] private MenuQueries Menu { get; set; } = default!;
    [Inject] private StorefrontStockQueries Stock { get; set; } = default!;
    [Inject] private CartService Carts { get; set; } = default!;
    [Inject] private ILiveEvents LiveEvents { get; set; } = default!;
    [Inject] private ITenantContext Tenant { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private WishlistService Wishlist { get; set; } = default!;
    [Inject] private WeedGo.Core.Pricing.PromotionQueries Promotions { get; set; } = default!;
    [Inject] private ICurrentUser CurrentUser { get; set; } = default!;

    [SupplyParameterFromQuery(Name = "q")] public string? Q { get; set; }
    [SupplyParameterFromQuery(Name = "cat")] public string? Cat { get; set; }
    [SupplyParameterFromQuery(Name = "sort")] public string? SortName { get; set; }
    [SupplyParameterFromQuery(Name = "page")] public int? PageNumber { get; set; }
    [SupplyParameterFromQuery(Name = "strain")] public string? Strain { get; set; }
    [SupplyParameterFromQuery(Name = "brand")] public string? BrandName { get; set; }
    [SupplyParameterFromQuery(Name = "terp")] public string? Terp { get; set; }
    [SupplyParameterFromQuery(Name = "size")] public string? SizeName { get; set; }
    [SupplyParameterFromQuery(Name = "thc")] public string? Thc { get; set; }
    [SupplyParameterFromQuery(Name = "cbd")] public string? Cbd { get; set; }
    [SupplyParameterFromQuery(Name = "price")] public string? Price { get; set; }
    [SupplyParameterFromQuery(Name = "soldout")] public bool? SoldOut { get; set; }

    private MenuFilter _filter = new();
    private MenuPage? _page;
    private MenuFacets? _facets;
    private int? _inStock;
    private bool _busy;
    private bool _showFilters;
    private string? _cartMessage;
    private bool _cartOk;
    private Guid? _subscribedStore;
    private IDisposable? _subscription;

    private string ResultText => _page switch
    {
        null => "",
        { Refused: not null } => "",
        { Total: 0 } when _filter.Text is not null => $"Nothing matches \"{_filter.Text}\" here. Try other words or clear the filters.",
        { Total: 0 } => "No products match these filters. Clear some to see more.",
        { Corrected: true } p => $"No exact match for \"{_filter.Text}\"; showing {p.Total} close {(p.Total == 1 ? "match" : "matches")}.",
        var p => $"{p.Total} {(p.Total == 1 ? "product" : "products")}" + (_filter.Text is null ? "" : $" for \"{_filter.Text}\""),
    };

    private int ActiveFilterCount =>
        new object?[] { _filter.StrainTypes, _filter.Brands, _filter.Terpene, _filter.Size, _filter.ThcMin ?? _filter.ThcMax, _filter.CbdMin ?? _filter.CbdMax,
            _filter.PriceMin ?? _filter.PriceMax }.Count(v => v is not null) + (_filter.InStockOnly ? 0 : 1);

    protected override async Task OnParametersSetAsync()
    {
        if (await LoadStoreAsync() is not { } store)
        {
            return;
        }
        _filter = FromQuery();
        if (_subscribedStore != store.Id)
        {
            _subscribedStore = store.Id;
            _inStock = await Stock.ProductsInStockAsync(store.Id);
            // One read for every heart on the page.
            _wishlist = CurrentUser.UserId is null ? new HashSet<Guid>() : (await Wishlist.ProductIdsAsync(store.Id)).ToHashSet();
            _subscription?.Dispose();
            _subscription = LiveEvents.Subscribe<StockChanged>(Tenant.TenantId, e => OnStockChangedAsync(store.Id, e));
        }
        if (_facets is null || _facetsFor != (_filter.Category, _filter.InStockOnly))
        {
            _facetsFor = (_filter.Category, _filter.InStockOnly);
            _facets = await Menu.FacetsAsync(store.Id, _filter.InStockOnly, _filter.Category);
        }
        _page = await Menu.PageAsync(store.Id, _filter);
        if (_page.Refused is not null)
        {
            NotShared(); // this visitor's refusal, not the page for everyone searching the same words
        }
        _deals = await Promotions.DealsAsync(store.Id, _page.Items.Select(Deal).ToList());
    }

    internal static WeedGo.Core.Pricing.PricingLine Deal(MenuItem i) => new(i.Id, i.Category, i.Brand, i.IsCannabis, 1, i.Price);

    private IReadOnlyDictionary<Guid, WeedGo.Core.Pricing.MenuDeal> _deals = new Dictionary<Guid, WeedGo.Core.Pricing.MenuDeal>();

    private (string?, bool)? _facetsFor;
    private HashSet<Guid> _wishlist = [];

    private void OnSaved(Guid productId, bool saved)
    {
        if (saved)
        {
            _wishlist.Add(productId);
        }
        else
        {
            _wishlist.Remove(productId);
        }
    }

    private async Task OnStockChangedAsync(Guid storeId, StockChanged e)
    {
        if (e.StoreId != storeId)
        {
            return;
        }
        var count = await Stock.ProductsInStockAsync(storeId);
        await InvokeAsync(() =>
        {
            _inStock = count;
            if (_page is not null && _page.Items.Any(i => i.Id == e.ProductId))
            {
                _page = _page with { Items = _page.Items.Select(i => i.Id == e.ProductId ? i with { Available = e.Available } : i).ToList() };
            }
            StateHasChanged();
        });
    }

    private MenuFilter FromQuery()
    {
        var (thcMin, thcMax) = Range(Thc);
        var (cbdMin, cbdMax) = Range(Cbd);
        var (priceMin, priceMax) = Range(Price);
        return new MenuFilter(
            Text: string.IsNullOrWhiteSpace(Q) ? null : Q.Trim(), Category: Blank(Cat), StrainTypes: List(Strain), Brands: List(BrandName),
            Terpene: Blank(Terp), Size: Blank(SizeName), ThcMin: thcMin, ThcMax: thcMax, CbdMin: cbdMin, CbdMax: cbdMax, PriceMin: priceMin,
            PriceMax: priceMax, InStockOnly: SoldOut != true, Sort: Enum.TryParse<MenuSort>(SortName, true, out var s) ? s : MenuSort.Popular,
            Page: Math.Max(0, (PageNumber ?? 1) - 1));
    }

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    private static List<string>? List(string? s) =>
        Blank(s) is { } v ? v.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToList() : null;

    private static (decimal?, decimal?) Range(string? s)
    {
        if (Blank(s) is not { } v)
        {
            return (null, null);
        }
        var parts = v.Split('-', 2);
        static decimal? Num(string p) => decimal.TryParse(p, NumberStyles.Number, CultureInfo.InvariantCulture, out var d) && d >= 0 ? d : null;
        return (Num(parts[0]), parts.Length > 1 ? Num(parts[1]) : null);
    }

    private static string? RangeText(decimal? from, decimal? to) =>
        from is null && to is null ? null : $"{from?.ToString(CultureInfo.InvariantCulture)}-{to?.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The menu URL for <paramref name="f"/>; only what differs from the defaults is written.</summary>
    private string UrlFor(MenuFilter f) => Navigation.GetUriWithQueryParameters(Navigation.Uri, new Dictionary<string, object?>
    {
        ["q"] = f.Text, ["cat"] = f.Category, ["sort"] = f.Sort == MenuSort.Popular ? null : f.Sort.ToString().ToLowerInvariant(),
        ["page"] = f.Page > 0 ? f.Page + 1 : null, ["strain"] = f.StrainTypes is { Count: > 0 } st ? string.Join(',', st) : null,
        ["brand"] = f.Brands is { Count: > 0 } b ? string.Join(',', b) : null, ["terp"] = f.Terpene, ["size"] = f.Size,
        ["thc"] = RangeText(f.ThcMin, f.ThcMax), ["cbd"] = RangeText(f.CbdMin, f.CbdMax), ["price"] = RangeText(f.PriceMin, f.PriceMax),
        ["soldout"] = f.InStockOnly ? null : true,
    });

    private Task ApplyAsync(MenuFilter f)
    {
        Navigation.NavigateTo(UrlFor(f));
        return Task.CompletedTask;
    }

    private Task SearchAsync(string? text) => ApplyAsync(_filter with { Text = text, Page = 0 });

    private Task SortAsync(MenuSort sort) => ApplyAsync(_filter with { Sort = sort, Page = 0 });

    private static string ChipClass(bool selected) =>
        "mud-chip mud-chip-filled mud-chip-size-medium mud-clickable menu-chip " + (selected ? "mud-chip-color-primary" : "mud-chip-color-default");

    private Task PageAsync(int page) => ApplyAsync(_filter with { Page = page - 1 });

    private async Task AddAsync(MenuItem item)
    {
        _busy = true;
        try
        {
            var added = await Carts.AddAsync(Store!.Id, item.Id);
            _cartOk = added.Succeeded;
            _cartMessage = added.Succeeded
                ? $"Added {item.ProductName}. Your cart: {added.Value.ItemCount} {(added.Value.ItemCount == 1 ? "item" : "items")}, {added.Value.Meter.Describe()} of dried-cannabis equivalent."
                : added.Error!.Message;
            if (added.Succeeded)
            {
                Snackbar.Add($"Added {item.ProductName} to your cart", Severity.Success);
            }
        }
        finally
        {
            _busy = false;
        }
    }

    public void Dispose() => _subscription?.Dispose();
}
