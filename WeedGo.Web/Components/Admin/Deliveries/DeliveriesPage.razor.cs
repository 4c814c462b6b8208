using Microsoft.AspNetCore.Components;
using MudBlazor;
using WeedGo.Core.Accounts;
using WeedGo.Core.Common;
using WeedGo.Core.Deliveries;
using WeedGo.Core.Inventory;
using WeedGo.Core.Live;
using WeedGo.Core.Ordering;
using WeedGo.Web.Components.Shared.Maps;

namespace WeedGo.Web.Components.Admin.Deliveries;

/// <summary>
/// Dispatch for one store: the map (store, zones, open deliveries' drop-offs, drivers on shift with their recent trails) and
/// the list beside it, both live: a driver's position moves its marker (<see cref="DriverMoved"/>), a delivery or a packed
/// delivery order that changes reloads the board, and a delivery still out after closing shows a banner
/// (<see cref="DeliveryOutAtClosing"/>). Assign by hand, to the nearest available driver, or several to one driver.
/// </summary>
public partial class DeliveriesPage
{
    private static readonly (DeliveryStatus, string)[] Legend =
    [
        (DeliveryStatus.Unassigned, "Waiting"), (DeliveryStatus.Assigned, "Assigned"), (DeliveryStatus.EnRoute, "On the road"),
        (DeliveryStatus.Arrived, "Arrived"),
    ];

    private IReadOnlyList<InventoryStore>? _stores;
    private Guid _storeId;
    private DispatchBoard? _board;
    private DispatchFilter _filter = DispatchFilter.Open;
    private Guid? _focused;
    private bool _busy;
    private string? _error;
    private string? _message;
    private Severity _severity = Severity.Success;
    private MapView? _map;
    private bool _fitted;
    private readonly Dictionary<Guid, DeliveryOutAtClosing> _closing = [];
    private readonly List<IDisposable> _subscriptions = [];
    private Timer? _ticker;
    private CancellationTokenSource? _reload;
    private volatile bool _driversChanged;

    [SupplyParameterFromQuery(Name = "store")] public Guid? RequestedStore { get; set; }

    [Inject] private InventoryQueries Inventory { get; set; } = default!;
    [Inject] private DispatchQueries Dispatch { get; set; } = default!;
    [Inject] private DeliveryService Deliveries { get; set; } = default!;
    [Inject] private DriverService Drivers { get; set; } = default!;
    [Inject] private ILiveEvents Live { get; set; } = default!;
    [Inject] private ITenantContext Tenant { get; set; } = default!;
    [Inject] private ICurrentUser User { get; set; } = default!;
    [Inject] private TimeProvider Clock { get; set; } = default!;

    private bool CanEditZones => User.Satisfies(Policies.StoreManagement);

    protected override async Task OnInitializedAsync()
    {
        var choice = await Inventory.ChooseStoreAsync(RequestedStore);
        if (!choice.Succeeded)
        {
            _error = choice.Error!.Message;
            return;
        }
        _stores = choice.Value.Stores;
        _storeId = choice.Value.Chosen;
        await LoadAsync();
        if (Tenant.TenantId is { } tenant)
        {
            _subscriptions.Add(Live.Subscribe<DriverMoved>(tenant, e => e.StoreId == _storeId ? InvokeAsync(() => MovedAsync(e)) : Task.CompletedTask));
            _subscriptions.Add(Live.Subscribe<DeliveryChanged>(tenant, e => e.StoreId == _storeId ? ReloadSoonAsync() : Task.CompletedTask));
            _subscriptions.Add(Live.Subscribe<DriverShiftChanged>(tenant, e => e.StoreId == _storeId ? ReloadSoonAsync() : Task.CompletedTask));
            _subscriptions.Add(Live.Subscribe<OrderChanged>(tenant, e => e.StoreId == _storeId ? ReloadSoonAsync() : Task.CompletedTask));
            _subscriptions.Add(Live.Subscribe<DeliveryOutAtClosing>(tenant, e => e.StoreId == _storeId
                ? InvokeAsync(() => { _closing[e.DeliveryId] = e; StateHasChanged(); })
                : Task.CompletedTask));
        }
        // The driver panel's "seen 5 s ago" and positions re-render at most once a second, however many drivers report.
        _ticker = new Timer(_ => _ = InvokeAsync(() =>
        {
            if (_driversChanged)
            {
                _driversChanged = false;
                StateHasChanged();
            }
        }), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
    }

    private async Task LoadAsync()
    {
        if (_storeId == Guid.Empty)
        {
            return;
        }
        var board = await Dispatch.BoardAsync(_storeId);
        if (!board.Succeeded)
        {
            _error = board.Error!.Message;
            return;
        }
        _board = board.Value;
        var late = await Deliveries.StillOutAtClosingAsync();
        foreach (var d in late.Succeeded ? late.Value : [])
        {
            if (d.StoreId == _storeId)
            {
                _closing.TryAdd(d.Id, new DeliveryOutAtClosing(Guid.Empty, d.StoreId, d.Id, d.OrderId, d.OrderNumber, DeliveryService.Describe(d.Status),
                    d.DriverId, _board.Store.Name));
            }
        }
        await DrawAllAsync();
    }

    private async Task DrawAllAsync()
    {
        if (_map is not { IsReady: true } || _board is not { } b)
        {
            return;
        }
        await _map.SetStoreAsync(b.Store.Latitude, b.Store.Longitude, b.Store.Name);
        await _map.SetZonesAsync(b.ZonesGeoJson);
        await _map.SetPointsAsync(b.Items.Where(i => i.IsOpen && i.Latitude is not null)
            .Select(i => new MapPoint(i.OrderId, i.Latitude!.Value, i.Longitude!.Value,
                $"{i.OrderNumber} · {DispatchFilters.Label(i.Status)}{(i.DriverName is { } n ? " · " + n : "")}", MapColors.For(i.Status))));
        await _map.SetDriversAsync(b.Drivers.Where(d => d.OnShift && d.Latitude is not null)
            .Select(d => new MapDriver(d.DriverId, d.Latitude!.Value, d.Longitude!.Value, d.Name, d.Trail)));
        if (!_fitted)
        {
            _fitted = true;
            await _map.FitAsync(14);
        }
    }

    private async Task MovedAsync(DriverMoved e)
    {
        if (_board is null)
        {
            return;
        }
        var driver = _board.Drivers.FirstOrDefault(d => d.DriverId == e.DriverId);
        if (driver is null)
        {
            await ReloadSoonAsync(); // a driver this board does not know yet
            return;
        }
        _board = _board with
        {
            Drivers = [.. _board.Drivers.Select(d => d.DriverId == e.DriverId
                ? d with { OnShift = true, Latitude = e.Latitude, Longitude = e.Longitude, SeenAt = e.RecordedAt }
                : d)],
        };
        _driversChanged = true;
        if (_map is not null)
        {
            await _map.MoveDriverAsync(e.DriverId, e.Latitude, e.Longitude, driver.Name);
        }
    }

    /// <summary>Several changes in a burst (an assignment publishes one per order) reload the board once.</summary>
    private Task ReloadSoonAsync()
    {
        var cts = new CancellationTokenSource();
        Interlocked.Exchange(ref _reload, cts)?.Cancel();
        _ = Task.Delay(250, cts.Token).ContinueWith(t =>
        {
            if (!t.IsCanceled)
            {
                _ = InvokeAsync(async () => { await LoadAsync(); StateHasChanged(); });
            }
        }, TaskScheduler.Default);
        return Task.CompletedTask;
    }

    private async Task StoreChangedAsync(Guid storeId)
    {
        _storeId = storeId;
        _board = null;
        _closing.Clear();
        _fitted = false;
        _focused = null;
        await LoadAsync();
    }

    private Task AssignAsync((DispatchItem Item, Guid DriverId) a) =>
        RunAsync(async () => (await Deliveries.AssignAsync(a.Item.OrderId, a.DriverId)).Error?.Message,
            $"Order {a.Item.OrderNumber} is assigned to {DriverName(a.DriverId)}.");

    private async Task AssignNearestAsync(DispatchItem item)
    {
        string? chosen = null;
        await RunAsync(async () =>
        {
            var r = await Deliveries.AssignNearestAsync(item.OrderId, Drivers);
            if (!r.Succeeded)
            {
                return r.Error!.Message;
            }
            await LoadAsync();
            chosen = _board?.Items.FirstOrDefault(i => i.OrderId == item.OrderId)?.DriverName;
            return null;
        }, null);
        if (chosen is not null)
        {
            Say($"Order {item.OrderNumber} is assigned to the nearest available driver, {chosen}.", Severity.Success);
        }
    }

    private async Task<bool> BatchAsync(IReadOnlyCollection<Guid> orders, Guid driverId)
    {
        var ok = false;
        await RunAsync(async () =>
        {
            var r = await Deliveries.AssignBatchAsync(orders, driverId);
            ok = r.Succeeded;
            return r.Error?.Message;
        }, $"{orders.Count} {(orders.Count == 1 ? "delivery is" : "deliveries are")} assigned to {DriverName(driverId)}.");
        return ok;
    }

    /// <summary>Runs a command with the progress bar; the service's refusal shows as an error, success as <paramref name="done"/>.</summary>
    private async Task RunAsync(Func<Task<string?>> command, string? done)
    {
        _busy = true;
        try
        {
            var problem = await command();
            if (problem is not null)
            {
                Say(problem, Severity.Error);
            }
            else if (done is not null)
            {
                Say(done, Severity.Success);
            }
            await LoadAsync();
        }
        finally
        {
            _busy = false;
        }
    }

    private void Say(string message, Severity severity) => (_message, _severity) = (message, severity);

    private string DriverName(Guid id) => _board?.Drivers.FirstOrDefault(d => d.DriverId == id)?.Name ?? "the driver";

    private async Task FocusAsync(DispatchItem item)
    {
        _focused = item.OrderId;
        if (_map is not null && item.Latitude is { } lat && item.Longitude is { } lng)
        {
            await _map.CenterAsync(lat, lng, 15);
        }
    }

    private Task FocusOrderAsync(Guid orderId)
    {
        _focused = orderId;
        if (_board?.Items.FirstOrDefault(i => i.OrderId == orderId) is { } item && !_filter.Matches(item))
        {
            _filter = DispatchFilter.All;
        }
        return Task.CompletedTask;
    }

    private async Task CenterOnAsync(DispatchDriver d)
    {
        if (_map is not null && d.Latitude is { } lat && d.Longitude is { } lng)
        {
            await _map.CenterAsync(lat, lng, 15);
        }
    }

    private string Seen(DispatchDriver d)
    {
        if (d.Latitude is not { } lat || d.Longitude is not { } lng)
        {
            return d.OnShift ? "no position yet" : "not sharing a position";
        }
        var ago = d.SeenAt is { } at ? Clock.GetUtcNow() - at : TimeSpan.Zero;
        var when = ago.TotalSeconds < 60 ? $"{Math.Max(0, (int)ago.TotalSeconds)} s ago" : ago.TotalMinutes < 60 ? $"{(int)ago.TotalMinutes} min ago" : "over an hour ago";
        return $"{lat:0.0000}, {lng:0.0000} · {when}";
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var s in _subscriptions)
        {
            s.Dispose();
        }
        _reload?.Cancel();
        if (_ticker is not null)
        {
            await _ticker.DisposeAsync();
        }
        GC.SuppressFinalize(this);
    }
}
