using Microsoft.Playwright;

namespace WeedGo.E2E.Support;

/// <summary>Reads and clicks the Leaflet maps (<c>wwwroot/js/map.js</c> keeps its map object on the element as
/// <c>weedgoMap</c>).</summary>
public static class MapProbe
{
    public sealed class LatLng
    {
        public double Lat { get; set; }
        public double Lng { get; set; }
    }

    public static Task WaitForMapAsync(this IPage page, string testId) =>
        page.WaitForFunctionAsync("t => !!document.querySelector(`[data-testid=${t}]`)?.weedgoMap", testId);

    /// <summary>Where the map draws a driver's marker now (null: no marker).</summary>
    public static Task<LatLng?> DriverMarkerAsync(this IPage page, string testId, Guid driverId) =>
        page.EvaluateAsync<LatLng?>("a => document.querySelector(`[data-testid=${a.t}]`)?.weedgoMap?.driverAt(a.id) ?? null",
            new { t = testId, id = driverId.ToString() });

    /// <summary>Clicks the map where <paramref name="lat"/>/<paramref name="lng"/> is drawn.</summary>
    public static async Task ClickMapAtAsync(this IPage page, string testId, double lat, double lng)
    {
        var point = await page.EvaluateAsync<LatLng>(
            "a => { const m = document.querySelector(`[data-testid=${a.t}]`).weedgoMap.map; const p = m.latLngToContainerPoint([a.lat, a.lng]); return { lat: p.y, lng: p.x }; }",
            new { t = testId, lat, lng });
        var box = (await page.GetByTestId(testId).BoundingBoxAsync())!;
        await page.Mouse.ClickAsync((float)(box.X + point.Lng), (float)(box.Y + point.Lat));
    }

    /// <summary>
    /// Draws a polygon on an editing map: waits until the page has switched the map into drawing (the switch goes through the
    /// circuit, so clicks sent before it would be lost and the shape would never close), clicks each corner (the last one
    /// being the first again, which closes it) and returns once drawing has ended.
    /// </summary>
    public static async Task DrawPolygonAsync(this IPage page, string testId, IEnumerable<(double Lat, double Lng)> corners)
    {
        const string drawing = "t => document.querySelector(`[data-testid=${t}]`)?.weedgoMap?.map.pm.globalDrawModeEnabled() === true";
        await page.WaitForFunctionAsync(drawing, testId);
        foreach (var (lat, lng) in corners)
        {
            await page.ClickMapAtAsync(testId, lat, lng);
            await Task.Delay(150);
        }
        await page.WaitForFunctionAsync($"t => !({drawing})(t)", testId);
    }

    /// <summary>The app clock moved so that it is <paramref name="hour"/>:00 today in Toronto (the demo stores are open at 13:00
    /// every day); set <see cref="ShiftedClock.Offset"/> back to zero when done.</summary>
    public static TimeSpan OffsetToTorontoHour(int hour)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById("America/Toronto");
        var local = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, zone);
        return local.Date.AddHours(hour) - local.DateTime;
    }
}
