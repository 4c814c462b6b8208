using Microsoft.AspNetCore.Components;
using WeedGo.Core.Accounts;
using WeedGo.Core.Catalog;
using WeedGo.Core.Ordering;
using WeedGo.Core.Pricing;
using WeedGo.Core.Tenancy;

namespace WeedGo.Web.Components.Admin.Promotions;

/// <summary>The edit page's preview: a sample cart (products and quantities), fulfilment, customer type, an instant (now or
/// a store-local time) and an entered code, priced by <see cref="PricingService.PreviewAsync"/> with the form's draft.</summary>
public partial class PromotionPreview
{
    private sealed class Item
    {
        public Guid Id { get; init; }
        public string Name { get; init; } = "";
        public int Quantity { get; set; } = 1;
    }

    private readonly List<Item> _items = [];
    private Guid _storeId;
    private Fulfilment? _fulfilment;
    private CustomerType _customerType = CustomerType.Recreational;
    private string? _code;
    private string? _priced;
    private bool _now = true;
    private string? _at;
    private bool _busy;
    private string? _error;
    private PricingPreview? _preview;
    private bool _customerCart;
    private string? _cartSearch;
    private IReadOnlyList<StoreCartRow>? _carts;
    private Guid? _customerId;

    [Parameter, EditorRequired] public IReadOnlyList<StoreRow> Stores { get; set; } = [];
    [Parameter, EditorRequired] public Func<Promotion> Draft { get; set; } = default!;
    [Parameter] public Guid DefaultStoreId { get; set; }

    [Inject] private PricingService Pricing { get; set; } = default!;
    [Inject] private CatalogQueries Catalog { get; set; } = default!;
    [Inject] private TimeProvider Clock { get; set; } = default!;
    [Inject] private StoreCartQueries Carts { get; set; } = default!;

    protected override void OnParametersSet()
    {
        if (_storeId == Guid.Empty || Stores.All(s => s.Id != _storeId))
        {
            _storeId = Stores.FirstOrDefault(s => s.Id == DefaultStoreId)?.Id ?? Stores.FirstOrDefault()?.Id ?? Guid.Empty;
        }
    }

    private async Task ModeAsync(bool customerCart)
    {
        _customerCart = customerCart;
        _preview = null;
        if (customerCart && _carts is null)
        {
            await LoadCartsAsync();
        }
    }

    private async Task StoreChangedAsync(Guid id)
    {
        _storeId = id;
        _customerId = null;
        _carts = null;
        if (_customerCart)
        {
            await LoadCartsAsync();
        }
    }

    private async Task CartSearchAsync(string? text)
    {
        _cartSearch = text;
        await LoadCartsAsync();
    }

    private async Task LoadCartsAsync()
    {
        var result = await Carts.ListAsync(_storeId, _cartSearch);
        _carts = result.Succeeded ? result.Value : [];
        _error = result.Error?.Message;
        if (_carts.All(c => c.CustomerId != _customerId))
        {
            CustomerChosen(_carts.FirstOrDefault()?.CustomerId); // the most recently changed cart
        }
    }

    private void CustomerChosen(Guid? id)
    {
        _customerId = id;
        // The code the customer entered in their cart is what checkout would try; staff can change it.
        if (_carts?.FirstOrDefault(c => c.CustomerId == id) is { PromotionCode: { } code })
        {
            _code = code;
        }
    }

    private string CartName(Guid? id) => _carts?.FirstOrDefault(c => c.CustomerId == id) is { } c
        ? $"{c.CustomerName} · {c.Email} · {c.Items} item{(c.Items == 1 ? "" : "s")}{(c.PromotionCode is null ? "" : " · code " + c.PromotionCode)}"
        : "";

    private string Zone => Stores.FirstOrDefault(s => s.Id == _storeId)?.TimeZoneId ?? "America/Toronto";

    private string StoreName(Guid id) => Stores.FirstOrDefault(s => s.Id == id)?.Name ?? "";

    private async Task<IEnumerable<CatalogItem>> SearchAsync(string text, CancellationToken ct) =>
        string.IsNullOrWhiteSpace(text) ? [] : (await Catalog.SearchAsync(new CatalogSearch(text, PageSize: 10), ct)).Items;

    private MudBlazor.MudAutocomplete<CatalogItem>? _search;

    private async Task AddAsync(CatalogItem? p)
    {
        if (p is null)
        {
            return;
        }
        if (_search is not null)
        {
            await _search.ClearAsync(); // ready for the next product
        }
        if (_items.FirstOrDefault(i => i.Id == p.Id) is { } existing)
        {
            existing.Quantity++;
        }
        else
        {
            _items.Add(new Item { Id = p.Id, Name = $"{p.ProductName} · {p.Sku}" });
        }
    }

    private async Task PreviewAsync()
    {
        _error = null;
        DateTimeOffset? at = null;
        if (!_now)
        {
            if (!DateTime.TryParse(_at, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var local))
            {
                _error = "Choose the store time to price at, or switch back to now.";
                return;
            }
            at = PromotionForm.AtStoreClock(local, Zone);
        }
        else
        {
            _at = StoreHours.AtStore(Zone, Clock.GetUtcNow()).ToString("yyyy-MM-ddTHH:mm");
        }
        _busy = true;
        try
        {
            var code = Promotion.NormalizeCode(_code);
            var result = await Pricing.PreviewAsync(new PreviewRequest(_storeId, Draft: Draft(),
                Items: _customerCart ? null : _items.Select(i => new PreviewItem(i.Id, i.Quantity)).ToList(),
                CustomerId: _customerCart ? _customerId : null, Fulfilment: _fulfilment,
                Codes: code is null ? [] : [code], At: at, SampleCustomerType: _customerType));
            _preview = result.Succeeded ? result.Value : null;
            _error = result.Error?.Message;
            _priced = code;
        }
        finally
        {
            _busy = false;
        }
    }
}
