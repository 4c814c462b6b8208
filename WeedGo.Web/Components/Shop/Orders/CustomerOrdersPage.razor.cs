using Microsoft.AspNetCore.Components;
using WeedGo.Core.Common;
using WeedGo.Core.Live;
using WeedGo.Core.Ordering;

namespace WeedGo.Web.Components.Shop.Orders;

/// <summary>The signed-in customer's orders, newest first, refreshed live when one of them changes (<see cref="OrderChanged"/>).</summary>
public partial class CustomerOrdersPage : IDisposable
{
    [Inject] private OrderQueries Queries { get; set; } = default!;
    [Inject] private ILiveEvents Live { get; set; } = default!;
    [Inject] private ITenantContext Tenant { get; set; } = default!;
    [Inject] private ICurrentUser User { get; set; } = default!;
    [Inject] private WeedGo.Core.Tenancy.StoreQueries Stores { get; set; } = default!;
    [Inject] private ShopState Shop { get; set; } = default!;

    [CascadingParameter] private Microsoft.AspNetCore.Http.HttpContext? HttpContext { get; set; }

    /// <summary>The store cookie read while prerendering, carried into the circuit.</summary>
    [PersistentState] public string? ChosenSlug { get; set; }

    private IReadOnlyList<OrderSummary>? _orders;
    private int _take = 25;
    private bool _loading;
    private IDisposable? _subscription;

    protected override async Task OnInitializedAsync()
    {
        await LoadAsync();
        // The chat button and cart badge belong to a store: the one the customer last chose, else that of their newest order.
        ChosenSlug ??= HttpContext?.Request.Cookies[ShopCookies.Store] ?? "";
        if (Shop.Store is null)
        {
            var stores = await Stores.ListForStorefrontAsync();
            if ((stores.FirstOrDefault(s => s.Slug == ChosenSlug) ?? stores.FirstOrDefault(s => s.Id == _orders?.FirstOrDefault()?.StoreId)) is { } store)
            {
                Shop.SetStore(store);
            }
        }
        // Live: a status change of one of my orders (or a new one from another tab) refreshes the list.
        var me = User.UserId;
        _subscription = me is null || Tenant.TenantId is not { } tenantId ? null : Live.Subscribe<OrderChanged>(tenantId, e =>
            e.CustomerId == me ? InvokeAsync(async () => { await LoadAsync(); StateHasChanged(); }) : Task.CompletedTask);
    }

    private async Task LoadAsync()
    {
        _loading = true;
        try
        {
            _orders = await Queries.MineAsync(_take);
        }
        finally
        {
            _loading = false;
        }
    }

    private async Task MoreAsync()
    {
        _take += 25;
        await LoadAsync();
    }

    public void Dispose() => _subscription?.Dispose();
}
