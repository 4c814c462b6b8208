using Microsoft.AspNetCore.Components;
using MudBlazor;
using WeedGo.Core.Common;
using WeedGo.Core.Live;
using WeedGo.Core.Ordering;

namespace WeedGo.Web.Components.Shop.Orders;

/// <summary>
/// One of the customer's orders: confirmation after checkout (<c>?placed=1</c>), lines and totals, payment, a status timeline
/// that follows <see cref="OrderChanged"/> live, cancel while placed/confirmed, and order again.
/// </summary>
public partial class CustomerOrderPage : IDisposable
{
    private OrderDetail? _order;
    private string? _error;
    private string? _message;
    private Severity _severity = Severity.Success;
    private List<string> _skipped = [];
    private bool _cartLink;
    private bool _busy;
    private bool _confirmCancel;
    private IDisposable? _subscription;

    [Parameter] public Guid Id { get; set; }

    /// <summary>1 when checkout sent the customer here right after placing the order.</summary>
    [SupplyParameterFromQuery(Name = "placed")] public int? Placed { get; set; }

    [Inject] private OrderQueries Queries { get; set; } = default!;
    [Inject] private OrderService Orders { get; set; } = default!;
    [Inject] private ILiveEvents Live { get; set; } = default!;
    [Inject] private ITenantContext Tenant { get; set; } = default!;
    [Inject] private ICurrentUser CurrentUser { get; set; } = default!;
    [Inject] private WeedGo.Core.Tenancy.StoreQueries Stores { get; set; } = default!;
    [Inject] private ShopState Shop { get; set; } = default!;

    /// <summary>Staff may read a customer's order here, but serve it from the Orders area: no customer buttons for them.</summary>
    private bool IsCustomer => CurrentUser.IsInRole(WeedGo.Core.Accounts.Roles.Customer);

    private bool JustPlaced => Placed == 1;

    private string PaymentLabel =>
        _order!.Payments.FirstOrDefault(p => p.Kind == PaymentKind.Charge && p.Card is not null) is { } card
            ? $"{OrderFormat.Method(_order.Summary.PaymentMethod)} ({card.Card})"
            : OrderFormat.Method(_order.Summary.PaymentMethod);

    protected override async Task OnParametersSetAsync()
    {
        await LoadAsync();
        if (IsCustomer && _order is { } order && Shop.Store?.Id != order.Summary.StoreId
            && (await Stores.ListForStorefrontAsync()).FirstOrDefault(s => s.Id == order.Summary.StoreId) is { } store)
        {
            Shop.SetStore(store); // the order's store: its chat button (a question about this order) and cart badge
        }
        _subscription?.Dispose();
        // Live: staff confirming, packing or cancelling this order changes the page without a reload. DetailAsync checks
        // again that the order is the caller's, so the event carries nothing the customer may not see.
        var id = Id;
        _subscription = Tenant.TenantId is { } tenantId
            ? Live.Subscribe<OrderChanged>(tenantId, e => e.OrderId == id ? InvokeAsync(RefreshAsync) : Task.CompletedTask)
            : null;
    }

    private async Task RefreshAsync()
    {
        await LoadAsync();
        StateHasChanged();
    }

    private async Task LoadAsync()
    {
        var result = await Queries.DetailAsync(Id);
        _order = result.Succeeded ? result.Value : null;
        _error = result.Succeeded ? null : "We could not find that order in your account.";
    }

    private async Task CancelAsync()
    {
        _busy = true;
        try
        {
            var result = await Orders.CancelMineAsync(Id);
            _confirmCancel = false;
            await LoadAsync();
            if (!result.Succeeded)
            {
                Say(result.Error!.Message, Severity.Error);
                return;
            }
            var refunded = _order?.RefundedAmount ?? 0;
            Say($"Order {_order?.Summary.Number} is cancelled and its items are back on the shelf. " +
                (refunded > 0 ? $"{OrderFormat.Money(refunded)} is refunded to your card." : "Nothing was charged."), Severity.Success);
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task ReorderAsync()
    {
        _busy = true;
        try
        {
            var result = await Orders.ReorderAsync(Id);
            if (!result.Succeeded)
            {
                Say(result.Error!.Message, Severity.Error);
                return;
            }
            var (added, skipped) = (result.Value.Added, result.Value.Skipped);
            var text = added == 0
                ? "Nothing from this order could go back in your cart:"
                : $"Added {added} {(added == 1 ? "product" : "products")} from this order to your cart." + (skipped.Count > 0 ? " Skipped:" : "");
            Say(text, added == 0 ? Severity.Warning : skipped.Count > 0 ? Severity.Info : Severity.Success, skipped, cartLink: added > 0);
        }
        finally
        {
            _busy = false;
        }
    }

    private void Say(string message, Severity severity, IReadOnlyList<string>? skipped = null, bool cartLink = false) =>
        (_message, _severity, _skipped, _cartLink) = (message, severity, skipped?.ToList() ?? [], cartLink);

    public void Dispose() => _subscription?.Dispose();
}
