using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using WeedGo.Core.Common;
using WeedGo.Core.Deliveries;
using WeedGo.Core.Live;

namespace WeedGo.Web.Components.Driver;

/// <summary>The driver's phone page: shift on/off, today's deliveries with their status buttons, and position sharing every
/// few seconds from the browser's geolocation while on shift (<c>weedgo.shareLocation</c> → <see cref="ReportPosition"/>).</summary>
public partial class DriverPage
{
    /// <summary>Seconds between two positions sent while on shift.</summary>
    public const int ShareEverySeconds = 5;

    private IReadOnlyList<DeliveryView>? _deliveries;
    private List<Guid> _stores = [];
    private Dictionary<Guid, string> _storeNames = [];
    private Guid _chosenStore;
    private Guid? _shiftStore;
    private bool _busy;
    private bool _sharing;
    private int? _shareHandle;
    private string? _error;
    private IDisposable? _subscription;
    private DotNetObjectReference<DriverPage>? _self;

    [Inject] private DeliveryService Deliveries { get; set; } = default!;
    [Inject] private DriverService Drivers { get; set; } = default!;
    [Inject] private Core.Tenancy.StoreQueries Stores { get; set; } = default!;
    [Inject] private ICurrentUser User { get; set; } = default!;
    [Inject] private ITenantContext Tenant { get; set; } = default!;
    [Inject] private ILiveEvents Live { get; set; } = default!;
    [Inject] private IJSRuntime JS { get; set; } = default!;

    protected override async Task OnInitializedAsync()
    {
        _storeNames = (await Stores.ListForStorefrontAsync()).ToDictionary(s => s.Id, s => s.Name);
        _stores = [.. User.StoreIds.Where(_storeNames.ContainsKey)];
        _chosenStore = _stores.FirstOrDefault();
        _shiftStore = await Drivers.CurrentShiftStoreAsync();
        await LoadAsync();
        if (Tenant.TenantId is { } tenant)
        {
            _subscription = Live.Subscribe<DeliveryChanged>(tenant, e =>
                e.DriverId != User.UserId && _deliveries?.Any(d => d.Id == e.DeliveryId) != true
                    ? Task.CompletedTask
                    : InvokeAsync(async () => { await LoadAsync(); StateHasChanged(); }));
        }
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (firstRender && _shiftStore is not null)
        {
            await StartSharingAsync();
            StateHasChanged();
        }
    }

    private async Task LoadAsync()
    {
        var mine = await Deliveries.MineAsync();
        _deliveries = mine.Succeeded ? mine.Value : [];
        _error = mine.Error?.Message ?? _error;
    }

    private string StoreName(Guid id) => _storeNames.GetValueOrDefault(id, "your store");

    private async Task StartShiftAsync()
    {
        await RunAsync(async () =>
        {
            var r = await Drivers.StartShiftAsync(_chosenStore);
            if (!r.Succeeded)
            {
                return r.Error!.Message;
            }
            _shiftStore = _chosenStore;
            await StartSharingAsync();
            return null;
        });
    }

    private async Task EndShiftAsync()
    {
        await RunAsync(async () =>
        {
            var r = await Drivers.EndShiftAsync();
            if (!r.Succeeded)
            {
                return r.Error!.Message;
            }
            _shiftStore = null;
            await StopSharingAsync();
            return null;
        });
    }

    private Task AdvanceAsync((Guid Id, DeliveryStatus To) step) =>
        RunAsync(async () => (await Deliveries.AdvanceAsync(step.Id, step.To)).Error?.Message);

    private Task DeliverAsync((Guid Id, IdCheckProof? Proof) handover) =>
        RunAsync(async () => (await Deliveries.DeliverAsync(handover.Id, handover.Proof)).Error?.Message);

    private Task ReturnAsync((Guid Id, string Reason) back) =>
        RunAsync(async () => (await Deliveries.ReturnAsync(back.Id, back.Reason)).Error?.Message);

    /// <summary>Runs a command with the progress bar on; its refusal (a sentence) shows in the alert; the list reloads.</summary>
    private async Task RunAsync(Func<Task<string?>> command)
    {
        _busy = true;
        _error = null;
        try
        {
            _error = await command();
            await LoadAsync();
        }
        finally
        {
            _busy = false;
        }
    }

    /// <summary>Called by <c>weedgo.shareLocation</c> every few seconds with the latest fix.</summary>
    [JSInvokable]
    public async Task ReportPosition(double latitude, double longitude, double? accuracy)
    {
        var r = await Drivers.ReportPositionAsync(latitude, longitude, accuracy);
        if (!r.Succeeded)
        {
            await InvokeAsync(() => { _error = r.Error!.Message; StateHasChanged(); });
        }
    }

    private async Task StartSharingAsync()
    {
        if (_shareHandle is not null)
        {
            return;
        }
        _self ??= DotNetObjectReference.Create(this);
        try
        {
            _shareHandle = await JS.InvokeAsync<int?>("weedgo.shareLocation", _self, ShareEverySeconds);
            _sharing = _shareHandle is not null;
            if (!_sharing)
            {
                _error = "This browser cannot share its position; dispatch will not see you on the map.";
            }
        }
        catch (Exception e) when (e is JSException or JSDisconnectedException or InvalidOperationException or TaskCanceledException)
        {
            _sharing = false;
        }
    }

    private async Task StopSharingAsync()
    {
        if (_shareHandle is { } handle)
        {
            _shareHandle = null;
            try
            {
                await JS.InvokeVoidAsync("weedgo.stopSharing", handle);
            }
            catch (Exception e) when (e is JSException or JSDisconnectedException or InvalidOperationException or TaskCanceledException)
            {
                // The page is going away: the browser stops the watch with it.
            }
        }
        _sharing = false;
    }

    public async ValueTask DisposeAsync()
    {
        _subscription?.Dispose();
        await StopSharingAsync();
        _self?.Dispose();
        GC.SuppressFinalize(this);
    }
}
