using Microsoft.AspNetCore.Components;
using MudBlazor;
using WeedGo.Core.Common;
using WeedGo.Core.Live;
using WeedGo.Core.Ordering;

namespace WeedGo.Web.Components.Admin.Orders;

/// <summary>One order for staff: the next moves its status allows, each through <see cref="OrderService"/> (which holds the
/// rules and says why it refuses), and live updates when someone else moves it.</summary>
public partial class OrderDetailPage
{
    private enum Ask_ { None, Complete, Cancel, Return, Refund }

    private OrderDetail? _order;
    private string? _error;
    private bool _busy;
    private DateTimeOffset _now;
    private IDisposable? _subscription;
    private Ask_ _asking;
    private bool _dialogOpen;
    private string? _dialogError;
    private bool _idChecked;
    private string? _text;
    private decimal _amount;

    [Parameter] public Guid Id { get; set; }

    [Inject] private OrderQueries Queries { get; set; } = default!;
    [Inject] private OrderService Orders { get; set; } = default!;
    [Inject] private ILiveEvents Live { get; set; } = default!;
    [Inject] private ITenantContext Tenant { get; set; } = default!;
    [Inject] private TimeProvider Clock { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;

    private string BackHref => _order is null ? "/admin/orders" : $"/admin/orders?store={_order.Summary.StoreId}";

    private decimal Refundable => _order is null ? 0 : _order.Summary.Total - _order.RefundedAmount;

    private bool CanRefund => _order is { } o && o.Summary.PaymentMethod == PaymentMethod.Card
        && o.Summary.PaymentStatus is PaymentStatus.Paid or PaymentStatus.PartiallyRefunded && Refundable > 0;

    private string DialogTitle => _asking switch
    {
        Ask_.Complete => "Complete handover",
        Ask_.Cancel => "Cancel order",
        Ask_.Return => "Return order",
        Ask_.Refund => "Refund",
        _ => "",
    };

    protected override async Task OnInitializedAsync()
    {
        await LoadAsync();
        if (Tenant.TenantId is { } tenantId)
        {
            _subscription = Live.Subscribe<OrderChanged>(tenantId, e => e.OrderId != Id ? Task.CompletedTask : InvokeAsync(async () =>
            {
                await LoadAsync();
                StateHasChanged();
            }));
        }
    }

    private async Task LoadAsync()
    {
        _now = Clock.GetUtcNow();
        var result = await Queries.DetailAsync(Id);
        if (result.Succeeded)
        {
            _order = result.Value;
        }
        else
        {
            _error = result.Error!.Message;
        }
    }

    /// <summary>Runs one move. The new status chip is the confirmation; a refusal is shown where the person is looking (the
    /// dialog when one is open, else an alert on the page and a snackbar).</summary>
    private async Task<Error?> RunAsync(Func<OrderService, Task<Result>> action, bool inDialog = false)
    {
        _busy = true;
        _error = null;
        try
        {
            var result = await action(Orders);
            await LoadAsync();
            if (!result.Succeeded && !inDialog)
            {
                _error = result.Error!.Message;
                Snackbar.Add(result.Error.Message, Severity.Error);
            }
            return result.Error;
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task PackAsync()
    {
        if (_order is null)
        {
            return;
        }
        var parameters = new DialogParameters<PackDialog> { { d => d.OrderId, Id }, { d => d.Lines, _order.Lines } };
        var dialog = await Dialogs.ShowAsync<PackDialog>($"Pack {_order.Summary.Number}", parameters,
            new DialogOptions { MaxWidth = MaxWidth.Medium, FullWidth = true });
        var result = await dialog.Result;
        if (result is { Canceled: false })
        {
            await LoadAsync();
        }
    }

    private void Ask(Ask_ what)
    {
        _asking = what;
        _dialogError = null;
        _idChecked = false;
        _text = null;
        _amount = Refundable;
        _dialogOpen = true;
    }

    private async Task SubmitDialogAsync()
    {
        _dialogError = null;
        var text = _text ?? "";
        Func<OrderService, Task<Result>> action = _asking switch
        {
            Ask_.Complete => s => s.CompleteAsync(Id, _idChecked, string.IsNullOrWhiteSpace(text) ? null : text.Trim()),
            Ask_.Cancel => s => s.CancelAsync(Id, text),
            Ask_.Return => s => s.ReturnAsync(Id, text),
            Ask_.Refund => s => s.RefundAsync(Id, _amount, text),
            _ => _ => Task.FromResult(Result.Ok()),
        };
        var refunded = _amount;
        var refusal = await RunAsync(action, inDialog: true);
        if (refusal is null)
        {
            _dialogOpen = false;
            if (_asking == Ask_.Refund)
            {
                Snackbar.Add($"Refunded {OrderFormat.Money(refunded)} to the card.", Severity.Success);
            }
        }
        else
        {
            _dialogError = refusal.Message;
        }
    }

    public void Dispose() => _subscription?.Dispose();
}
