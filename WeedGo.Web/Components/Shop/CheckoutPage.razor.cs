using Microsoft.AspNetCore.Components;
using MudBlazor;
using WeedGo.Core.Common;
using WeedGo.Core.Ordering;
using WeedGo.Core.Tenancy;
using WeedGo.Web.Components.Shop.Shared;
using WeedGo.Web.Components.Shared;

namespace WeedGo.Web.Components.Shop;

/// <summary>
/// Checkout: starting it holds the cart's stock for 15 minutes; the form collects pickup time or address, details and payment;
/// "Place order" is sent with one attempt key per try, so a double click or a retried submit makes one order and one payment.
/// </summary>
public partial class CheckoutPage
{
    [Inject] private CheckoutService Checkout { get; set; } = default!;
    [Inject] private TimeProvider Clock { get; set; } = default!;
    [Inject] private WeedGo.Core.Deliveries.DeliveryZoneQueries Zones { get; set; } = default!;

    private CheckoutSession? _session;
    private string? _startError;
    private string? _error;
    private bool _submitting;
    private MudForm? _form;
    private readonly CheckoutInput _input = new();
    /// <summary>Identifies this submit: reused when the same submit is retried, renewed after an answer that needs a change.</summary>
    private string _attemptKey = Guid.NewGuid().ToString("N");
    private bool _placed;
    private Timer? _ticker;
    /// <summary>The store's delivery zones for the map; the server's quote for the pin; a quote on its way.</summary>
    private string _zones = "{\"type\":\"FeatureCollection\",\"features\":[]}";
    private DeliveryChoice? _choice;
    private bool _quoting;
    /// <summary>The quote of the checkout's start (the "from" terms), restored when a pin lands outside every zone.</summary>
    private DeliveryQuote? _startQuote;

    /// <summary>The totals as the server will price them for the chosen fulfilment (promotions included).</summary>
    private Totals Totals => _session!.TotalsFor(_input.Fulfilment);

    private int HoldMinutesLeft => _session is null ? 0 : Math.Max(0, (int)Math.Ceiling((_session.ExpiresAt - Clock.GetUtcNow()).TotalMinutes));

    protected override async Task OnParametersSetAsync()
    {
        if (await LoadStoreAsync() is not { } store || _session is not null)
        {
            return;
        }
        var started = await Checkout.StartAsync(store.Id);
        if (!started.Succeeded)
        {
            _startError = started.Error!.Message;
            return;
        }
        _session = started.Value;
        _input.Name = _session.Customer.Name;
        _input.Email = _session.Customer.Email;
        _input.Phone = _session.Customer.Phone;
        _input.NeedsBirthDate = _session.Customer.BirthDate is null;
        _input.Fulfilment = _session.PickupEnabled || !_session.Delivery.Available ? Fulfilment.Pickup : Fulfilment.Delivery;
        _input.PickupAt = _session.PickupSlots.Count > 0 ? _session.PickupSlots[0] : null;
        _startQuote = _session.Delivery;
        if (_session.Delivery.Available)
        {
            _zones = await Zones.ForCustomersAsync(store.Id);
        }
        // The minutes-left figure counts down while the page is open.
        _ticker = new Timer(_ => InvokeAsync(StateHasChanged), null, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30));
    }

    private string LocalTime(DateTimeOffset instant) =>
        StoreHours.LocalTime(_session!.TimeZoneId, instant).ToString("h:mm tt", Money.Culture);

    private string LocalSlot(DateTimeOffset slot)
    {
        var local = StoreHours.LocalTime(_session!.TimeZoneId, slot);
        var today = StoreHours.LocalTime(_session.TimeZoneId, Clock.GetUtcNow()).Date;
        var day = local.Date == today ? "Today" : local.Date == today.AddDays(1) ? "Tomorrow" : local.ToString("ddd MMM d", Money.Culture);
        return $"{day}, {local.ToString("h:mm tt", Money.Culture)}";
    }

    /// <summary>The pin moved: the server answers with the zone's terms (or why not) and the totals follow its fee.</summary>
    private async Task PinMovedAsync((double Lat, double Lng) pin)
    {
        if (_session is null)
        {
            return;
        }
        (_input.Latitude, _input.Longitude) = (pin.Lat, pin.Lng);
        _error = null; // an earlier refusal was about the old pin
        _quoting = true;
        try
        {
            var quoted = await Checkout.QuoteDeliveryAsync(_session.CheckoutId, _input.Address());
            if (!quoted.Succeeded)
            {
                _error = quoted.Error!.Message;
                return;
            }
            // Only the latest pin counts (a quick drag can send several).
            if (_input.Latitude != pin.Lat || _input.Longitude != pin.Lng)
            {
                return;
            }
            _choice = quoted.Value;
            _session = _choice.Quote.Available
                ? _session with { Delivery = _choice.Quote, DeliveryPricing = _choice.Pricing }
                : _session with { Delivery = _startQuote ?? _session.Delivery };
        }
        finally
        {
            _quoting = false;
        }
    }

    /// <summary>The store delivers by zones, so an order needs a pin inside one (a store without zones keeps the flat rule).</summary>
    private bool HasZones => _zones.Contains("\"type\":\"Feature\"", StringComparison.Ordinal);

    private async Task PlaceAsync()
    {
        if (_submitting || _placed || _session is null)
        {
            return;
        }
        _error = null;
        if (_form is not null)
        {
            await _form.ValidateAsync();
            if (!_form.IsValid)
            {
                _error = _form.Errors.FirstOrDefault() ?? "Some fields need your attention.";
                return;
            }
        }
        if (_input.Fulfilment == Fulfilment.Delivery && (_choice?.Problem ?? (_choice is null && HasZones ? "Place the pin on your address on the map so we can check that we deliver there." : null)) is { } where)
        {
            _error = where;
            return;
        }
        CardDetails? card = null;
        if (_input.Payment == PaymentMethod.Card)
        {
            (card, var problem) = _input.Card();
            if (problem is not null)
            {
                _error = problem;
                return;
            }
        }
        _submitting = true;
        try
        {
            var request = new PlaceOrderRequest(
                _session.CheckoutId, _input.Fulfilment, _input.Fulfilment == Fulfilment.Pickup ? _input.PickupAt : null,
                _input.Fulfilment == Fulfilment.Delivery ? _input.Address() : null, _input.Name, _input.Email, _input.Phone,
                _input.BirthDate is { } b ? DateOnly.FromDateTime(b) : null, _input.Payment, card, _input.Notes, _attemptKey);
            var placed = await Checkout.PlaceOrderAsync(request);
            if (placed.Succeeded)
            {
                _placed = true;
                Navigation.NavigateTo($"/orders/{placed.Value.OrderId}?placed=1");
                return;
            }
            _error = placed.Error!.Message;
            // A declined card or a corrected form is a new attempt.
            _attemptKey = Guid.NewGuid().ToString("N");
        }
        finally
        {
            _submitting = false;
        }
    }

    private async Task BackToCartAsync()
    {
        if (_session is not null && !_placed)
        {
            await Checkout.CancelAsync(_session.CheckoutId);
        }
        Navigation.NavigateTo(StoreUrl("cart"));
    }

    public void Dispose() => _ticker?.Dispose();
}
