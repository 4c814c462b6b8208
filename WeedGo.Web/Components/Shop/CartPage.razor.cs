using Microsoft.AspNetCore.Components;
using WeedGo.Core.Common;
using WeedGo.Core.Inventory;
using WeedGo.Core.Live;
using WeedGo.Core.Ordering;

namespace WeedGo.Web.Components.Shop;

/// <summary>The shopper's cart at one store: live prices and stock, the 30 g meter, quantity changes refused with the reason.</summary>
public partial class CartPage
{
    [Inject] private CartService Carts { get; set; } = default!;
    [Inject] private ILiveEvents LiveEvents { get; set; } = default!;
    [Inject] private ITenantContext Tenant { get; set; } = default!;
    [Inject] private ICurrentUser CurrentUser { get; set; } = default!;
    [Inject] private IShopper Shopper { get; set; } = default!;

    private CartView? _cart;
    private bool _busy;
    private string? _message;
    private readonly List<IDisposable> _subscriptions = [];

    protected override async Task OnParametersSetAsync()
    {
        Dispose();
        if (await LoadStoreAsync() is not { } store)
        {
            return;
        }
        _cart = await Carts.GetAsync(store.Id);
        // Another tab, a sign-in merge or a stock change elsewhere: show the cart as it is now.
        _subscriptions.Add(LiveEvents.Subscribe<CartChanged>(Tenant.TenantId, e =>
            e.StoreId == store.Id && (e.CartId == _cart?.CartId || (e.UserId is not null && e.UserId == CurrentUser.UserId)
                                      || (e.ShopperKey is not null && e.ShopperKey == Shopper.ShopperKey))
                ? RefreshAsync() : Task.CompletedTask));
        _subscriptions.Add(LiveEvents.Subscribe<StockChanged>(Tenant.TenantId, e =>
            e.StoreId == store.Id && _cart?.Lines.Any(l => l.ProductId == e.ProductId) == true ? RefreshAsync() : Task.CompletedTask));
    }

    private async Task RefreshAsync()
    {
        var cart = await Carts.GetAsync(Store!.Id);
        await InvokeAsync(() =>
        {
            _cart = cart;
            StateHasChanged();
        });
    }

    private async Task SetAsync(CartLineView line, int quantity)
    {
        _busy = true;
        try
        {
            var changed = await Carts.SetQuantityAsync(Store!.Id, line.ProductId, quantity);
            if (changed.Succeeded)
            {
                _cart = changed.Value;
                _message = null;
            }
            else
            {
                _message = changed.Error!.Message;
            }
        }
        finally
        {
            _busy = false;
        }
    }

    private string? _codeError;

    private async Task ApplyCodeAsync(string code)
    {
        _busy = true;
        try
        {
            var applied = await Carts.ApplyCodeAsync(Store!.Id, code);
            _codeError = applied.Succeeded ? null : applied.Error!.Message;
            if (applied.Succeeded)
            {
                _cart = applied.Value;
            }
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task RemoveCodeAsync()
    {
        var removed = await Carts.RemoveCodeAsync(Store!.Id);
        _codeError = null;
        if (removed.Succeeded)
        {
            _cart = removed.Value;
        }
    }

    public void Dispose()
    {
        foreach (var s in _subscriptions)
        {
            s.Dispose();
        }
        _subscriptions.Clear();
    }
}
