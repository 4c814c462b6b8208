using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Options;
using Microsoft.JSInterop;

namespace WeedGo.Web.Components.Shared.Maps;

/// <summary>
/// Reusable map: loads <c>js/map.js</c> as an ES module, creates the Leaflet map once rendered and raises
/// <see cref="OnReady"/>; the parent then sets the store, zones, points, drivers, a pin or a zone to edit. Calls made before
/// the map exists (prerendering, bUnit) or after the circuit is gone do nothing.
/// </summary>
public partial class MapView : IAsyncDisposable
{
    private ElementReference _element;
    private IJSObjectReference? _module;
    private IJSObjectReference? _map;
    private DotNetObjectReference<MapView>? _self;

    [Inject] private IJSRuntime JS { get; set; } = default!;
    [Inject] private IOptions<MapOptions> Options { get; set; } = default!;

    [Parameter] public string Height { get; set; } = "420px";
    [Parameter] public string? Class { get; set; }
    [Parameter] public string? TestId { get; set; }
    [Parameter] public string Label { get; set; } = "Map";
    [Parameter] public double Latitude { get; set; } = 43.6532;
    [Parameter] public double Longitude { get; set; } = -79.3832;
    [Parameter] public int Zoom { get; set; } = 12;
    /// <summary>Loads Leaflet-Geoman for drawing and editing polygons.</summary>
    [Parameter] public bool Editing { get; set; }
    [Parameter] public EventCallback OnReady { get; set; }
    [Parameter] public EventCallback<(double Lat, double Lng)> OnPinMoved { get; set; }
    [Parameter] public EventCallback<string> OnShapeChanged { get; set; }
    [Parameter] public EventCallback<Guid> OnZoneClicked { get; set; }
    [Parameter] public EventCallback<Guid> OnPointClicked { get; set; }

    public bool IsReady => _map is not null;

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender)
        {
            return;
        }
        try
        {
            _module = await JS.InvokeAsync<IJSObjectReference>("import", "./js/map.js");
            if (_module is null)
            {
                return; // bUnit's loose JS runtime
            }
            _self = DotNetObjectReference.Create(this);
            var o = Options.Value;
            _map = await _module.InvokeAsync<IJSObjectReference>("create", _element,
                new { lat = Latitude, lng = Longitude, zoom = Zoom, tileUrl = o.TileUrl ?? "", attribution = o.Attribution ?? "", editing = Editing }, _self);
        }
        catch (Exception e) when (Gone(e))
        {
            return;
        }
        if (_map is not null)
        {
            StateHasChanged();
            await OnReady.InvokeAsync();
        }
    }

    public Task SetStoreAsync(double lat, double lng, string label) => CallAsync("setStore", lat, lng, label);

    /// <summary>A GeoJSON FeatureCollection of zones (properties id, name, label, active); <paramref name="selected"/> drawn bolder.</summary>
    public Task SetZonesAsync(string featureCollection, Guid? selected = null) => CallAsync("setZones", featureCollection, selected);

    public Task SetPointsAsync(IEnumerable<MapPoint> points) => CallAsync("setPoints", points.ToList());

    public Task SetDriversAsync(IEnumerable<MapDriver> drivers) => CallAsync("setDrivers", drivers.ToList());

    public Task MoveDriverAsync(Guid id, double lat, double lng, string? label = null) => CallAsync("moveDriver", id, lat, lng, label);

    public Task RemoveDriverAsync(Guid id) => CallAsync("removeDriver", id);

    /// <summary>Lets the visitor place (click) and drag a pin; every change calls <see cref="OnPinMoved"/>.</summary>
    public Task EnablePinAsync(double? lat, double? lng) => CallAsync("enablePin", lat, lng);

    public Task SetPinAsync(double lat, double lng) => CallAsync("setPin", lat, lng, false);

    /// <summary>Makes a GeoJSON polygon editable (vertex dragging); null stops editing.</summary>
    public Task EditAsync(string? geoJson) => CallAsync("edit", geoJson);

    /// <summary>Starts drawing a new polygon; when closed it becomes editable and is sent to <see cref="OnShapeChanged"/>.</summary>
    public Task DrawAsync() => CallAsync("draw");

    public Task StopEditingAsync() => CallAsync("stopEditing");

    public Task FitAsync(int maxZoom = 15) => CallAsync("fit", maxZoom);

    public Task CenterAsync(double lat, double lng, int? zoom = null) => CallAsync("center", lat, lng, zoom);


    [JSInvokable("OnPinMoved")] public Task PinMoved(double lat, double lng) => OnPinMoved.InvokeAsync((lat, lng));

    [JSInvokable("OnShapeChanged")] public Task ShapeChanged(string geoJson) => OnShapeChanged.InvokeAsync(geoJson);

    [JSInvokable("OnZoneClicked")] public Task ZoneClicked(Guid id) => OnZoneClicked.InvokeAsync(id);

    [JSInvokable("OnPointClicked")] public Task PointClicked(Guid id) => OnPointClicked.InvokeAsync(id);

    private async Task CallAsync(string method, params object?[] args)
    {
        if (_map is null)
        {
            return;
        }
        try
        {
            await _map.InvokeVoidAsync(method, args);
        }
        catch (Exception e) when (Gone(e))
        {
        }
    }

    private static bool Gone(Exception e) =>
        e is JSDisconnectedException or TaskCanceledException or ObjectDisposedException or InvalidOperationException;

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_map is not null)
            {
                await _map.InvokeVoidAsync("dispose");
                await _map.DisposeAsync();
            }
            if (_module is not null)
            {
                await _module.DisposeAsync();
            }
        }
        catch (Exception e) when (Gone(e) || e is JSException)
        {
        }
        _self?.Dispose();
        GC.SuppressFinalize(this);
    }
}
