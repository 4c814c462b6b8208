using Microsoft.AspNetCore.Components;
using WeedGo.Core.Deliveries;
using WeedGo.Core.Inventory;
using WeedGo.Web.Components.Shared.Maps;

namespace WeedGo.Web.Components.Admin.Deliveries;

/// <summary>
/// A store's delivery zones: the map shows them all; choosing one (in the list or on the map) makes its polygon editable
/// (Leaflet-Geoman vertex editing) next to its terms; "New zone" draws one. The polygon can also be pasted as GeoJSON.
/// Saving goes through <see cref="DeliveryZoneService"/>, whose refusal (self-intersection, outside Ontario, not a polygon…)
/// is shown as it says it.
/// </summary>
public partial class ZonesPage
{
    private IReadOnlyList<InventoryStore>? _stores;
    private Guid _storeId;
    private IReadOnlyList<ZoneView>? _zones;
    private ZoneForm? _form;
    private string? _problem;
    private string? _error;
    private bool _busy;
    private MapView? _map;
    private double _storeLat = 43.6532, _storeLng = -79.3832;
    private string _storeName = "";

    [SupplyParameterFromQuery(Name = "store")] public Guid? RequestedStore { get; set; }

    [Inject] private InventoryQueries Inventory { get; set; } = default!;
    [Inject] private DeliveryZoneQueries Zones { get; set; } = default!;
    [Inject] private DeliveryZoneService ZoneService { get; set; } = default!;
    [Inject] private DispatchQueries Dispatch { get; set; } = default!;

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
    }

    private async Task LoadAsync()
    {
        if (_storeId == Guid.Empty)
        {
            return;
        }
        var zones = await Zones.ForStoreAsync(_storeId);
        _zones = zones.Succeeded ? zones.Value : [];
        _error = zones.Error?.Message;
        var board = await Dispatch.BoardAsync(_storeId);
        if (board.Succeeded)
        {
            (_storeLat, _storeLng, _storeName) = (board.Value.Store.Latitude, board.Value.Store.Longitude, board.Value.Store.Name);
        }
    }

    private async Task DrawAsync()
    {
        if (_map is not { IsReady: true })
        {
            return;
        }
        await _map.SetStoreAsync(_storeLat, _storeLng, _storeName);
        await _map.SetZonesAsync(DeliveryZoneQueries.ToFeatureCollection((_zones ?? []).Where(z => z.Id != _form?.Id)));
        if (_form is null)
        {
            await _map.EditAsync(null);
            await _map.FitAsync(13);
        }
    }

    private async Task StoreChangedAsync(Guid storeId)
    {
        _storeId = storeId;
        _form = null;
        _problem = null;
        await LoadAsync();
        await DrawAsync();
    }

    private async Task SelectAsync(ZoneView z)
    {
        _form = ZoneForm.From(z);
        _problem = null;
        await DrawAsync();
        if (_map is not null)
        {
            await _map.EditAsync(z.GeoJson);
        }
    }

    private Task SelectByIdAsync(Guid id) =>
        _zones?.FirstOrDefault(z => z.Id == id) is { } z && _form is null ? SelectAsync(z) : Task.CompletedTask;

    private async Task NewAsync()
    {
        _form = new ZoneForm { Name = _zones is { Count: > 0 } ? "" : "Nearby" };
        _problem = null;
        await DrawAsync();
        await StartDrawingAsync();
    }

    private async Task StartDrawingAsync()
    {
        if (_map is not null)
        {
            await _map.DrawAsync();
        }
    }

    private void ShapeChanged(string geoJson)
    {
        if (_form is not null)
        {
            _form.GeoJson = geoJson;
            _problem = null;
        }
    }

    private async Task ApplyGeoJsonAsync()
    {
        if (_form is null)
        {
            return;
        }
        var parsed = ZoneGeometry.Parse(_form.GeoJson);
        _problem = parsed.Error?.Message;
        if (parsed.Succeeded && _map is not null)
        {
            // Redrawn from what the service understood (a Feature or FeatureCollection becomes its polygon).
            _form.GeoJson = ZoneGeometry.ToGeoJson(parsed.Value);
            await _map.EditAsync(_form.GeoJson);
        }
    }

    private async Task SaveAsync()
    {
        if (_form is null)
        {
            return;
        }
        if (string.IsNullOrWhiteSpace(_form.GeoJson))
        {
            _problem = "Draw the zone on the map (or paste its GeoJSON) before saving.";
            return;
        }
        _busy = true;
        try
        {
            var input = _form.ToInput();
            var error = _form.Id is { } id ? (await ZoneService.UpdateAsync(id, input)).Error : (await ZoneService.CreateAsync(_storeId, input)).Error;
            _problem = error?.Message;
            if (error is null)
            {
                _form = null;
                await LoadAsync();
                await DrawAsync();
            }
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task DeleteAsync()
    {
        if (_form?.Id is not { } id)
        {
            return;
        }
        _busy = true;
        try
        {
            var r = await ZoneService.DeleteAsync(id);
            _problem = r.Error?.Message;
            if (r.Succeeded)
            {
                _form = null;
                await LoadAsync();
                await DrawAsync();
            }
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task CancelAsync()
    {
        _form = null;
        _problem = null;
        if (_map is not null)
        {
            await _map.StopEditingAsync();
        }
        await DrawAsync();
    }
}
