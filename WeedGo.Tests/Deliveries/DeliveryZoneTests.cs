using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WeedGo.Core.Common;
using WeedGo.Core.Deliveries;
using WeedGo.Tests.Inventory;
using WeedGo.Tests.Support;
using static WeedGo.Tests.Deliveries.DeliveryKit;

namespace WeedGo.Tests.Deliveries;

/// <summary>Zones on PostGIS: saving from GeoJSON, the polygons refused and why, containment (boundary, holes) and who may edit.</summary>
public sealed class DeliveryZoneTests(DemoDatabaseFixture db) : IClassFixture<DemoDatabaseFixture>
{
    private Task<Result<Guid>> Create(TestUser who, Guid store, ZoneInput zone) =>
        Do(db, who, sp => sp.GetRequiredService<DeliveryZoneService>().CreateAsync(store, zone));

    private async Task<string?> ZoneAt(Guid store, double lat, double lng)
    {
        await using var ctx = db.Context();
        return (await ZoneDeliveryQuoter.FindZoneAsync(ctx, store, ZoneGeometry.Point(lat, lng), CancellationToken.None))?.Name;
    }

    [Fact]
    public async Task A_manager_saves_a_zone_from_GeoJSON_and_reads_it_back_as_GeoJSON_with_its_terms()
    {
        const string polygon = "{\"type\":\"Polygon\",\"coordinates\":[[[-79.45,43.7],[-79.43,43.7],[-79.43,43.72],[-79.45,43.72],[-79.45,43.7]]]}";
        var feature = "{\"type\":\"Feature\",\"properties\":{},\"geometry\":" + polygon + "}";
        var id = (await Create(InventoryKit.Manager, DemoWorld.Yorkville, Zone("Annex", feature))).Value;
        var zones = (await Do(db, InventoryKit.Budtender, sp => sp.GetRequiredService<DeliveryZoneQueries>().ForStoreAsync(DemoWorld.Yorkville)));
        Assert.Equal(ErrorKind.Forbidden, zones.Error!.Kind); // the budtender works at Queen West only
        var mine = (await Do(db, InventoryKit.Manager, sp => sp.GetRequiredService<DeliveryZoneQueries>().ForStoreAsync(DemoWorld.Yorkville))).Value;
        var zone = Assert.Single(mine, z => z.Id == id);
        Assert.Equal(polygon, zone.GeoJson);
        Assert.Equal((7m, 40m, 150m, 30, 45), (zone.Fee, zone.MinimumOrder, zone.FreeDeliveryThreshold!.Value, zone.EtaMinMinutes, zone.EtaMaxMinutes));
        var collection = (await Do(db, InventoryKit.Manager, sp => sp.GetRequiredService<DeliveryZoneQueries>().FeatureCollectionAsync(DemoWorld.Yorkville))).Value;
        Assert.Contains("\"FeatureCollection\"", collection);
        Assert.Contains("\"name\":\"Annex\"", collection);

        var updated = await Do(db, InventoryKit.Manager, sp => sp.GetRequiredService<DeliveryZoneService>()
            .UpdateAsync(id, Zone("Annex", Square(43.70, -79.45, 0.03), fee: 9m)));
        Assert.True(updated.Succeeded, updated.Error?.Message);
        Assert.Equal("Annex", await ZoneAt(DemoWorld.Yorkville, 43.725, -79.425)); // only in the larger square
        Assert.Equal("This store already has a zone called Annex.", (await Create(InventoryKit.Manager, DemoWorld.Yorkville, Zone("Annex", Square(43.6, -79.5)))).Error!.Message);

        Assert.True((await Do(db, InventoryKit.Manager, sp => sp.GetRequiredService<DeliveryZoneService>().DeleteAsync(id))).Succeeded);
        Assert.Null(await ZoneAt(DemoWorld.Yorkville, 43.725, -79.425));
    }

    [Theory]
    [InlineData("{\"type\":\"Polygon\",\"coordinates\":[[[-79.40,43.60],[-79.30,43.70],[-79.30,43.60],[-79.40,43.70],[-79.40,43.60]]]}", "Self-intersection")]
    [InlineData("{\"type\":\"Polygon\",\"crs\":{\"type\":\"name\",\"properties\":{\"name\":\"EPSG:3857\"}},\"coordinates\":[[[-79.4,43.6],[-79.3,43.6],[-79.3,43.7],[-79.4,43.6]]]}", "EPSG:4326")]
    [InlineData("{\"type\":\"Polygon\",\"coordinates\":[[[-8838000,5404000],[-8837000,5404000],[-8837000,5405000],[-8838000,5404000]]]}", "SRID 4326")]
    [InlineData("{\"type\":\"Point\",\"coordinates\":[-79.4,43.6]}", "must be a Polygon; this is a Point")]
    [InlineData("{\"type\":\"MultiPolygon\",\"coordinates\":[]}", "must be a Polygon; this is a MultiPolygon")]
    [InlineData("{\"type\":\"Polygon\",\"coordinates\":[[[-123.2,49.2],[-123.0,49.2],[-123.0,49.3],[-123.2,49.2]]]}", "outside Ontario")]
    [InlineData("{\"type\":\"Polygon\",\"coordinates\":[[[-79.4,43.6],[-79.3,43.6],[-79.4,43.6]]]}", "at least three distinct corners")]
    [InlineData("not json", "not valid GeoJSON")]
    public async Task An_invalid_polygon_is_refused_with_its_reason(string geoJson, string reason)
    {
        var r = await Create(InventoryKit.Manager, DemoWorld.QueenWest, Zone("Bad " + Guid.NewGuid().ToString("N")[..6], geoJson));
        Assert.False(r.Succeeded);
        Assert.Equal(ErrorKind.Validation, r.Error!.Kind);
        Assert.Contains(reason, r.Error.Message);
    }

    [Fact]
    public async Task A_hole_with_its_own_edge_touching_the_shell_twice_is_refused_but_a_proper_hole_is_kept()
    {
        var ok = await Create(InventoryKit.Manager, DemoWorld.QueenWest, Zone("Donut", Square(43.50, -79.90, 0.03, hole: true)));
        Assert.True(ok.Succeeded, ok.Error?.Message);
        var holeOutside = "{\"type\":\"Polygon\",\"coordinates\":[[[-79.9,43.4],[-79.8,43.4],[-79.8,43.45],[-79.9,43.45],[-79.9,43.4]],[[-79.7,43.4],[-79.6,43.4],[-79.6,43.45],[-79.7,43.4]]]}";
        var bad = await Create(InventoryKit.Manager, DemoWorld.QueenWest, Zone("Hole outside", holeOutside));
        Assert.Contains("Hole lies outside shell", bad.Error!.Message);
    }

    [Fact]
    public async Task ST_Contains_decides_a_point_inside_counts_one_on_the_edge_or_in_a_hole_does_not()
    {
        await AddZoneAsync(db, DemoWorld.SquareOne, Zone("Ring", Square(44.00, -79.70, 0.03, hole: true)));
        Assert.Equal("Ring", await ZoneAt(DemoWorld.SquareOne, 44.005, -79.695));   // inside the ring
        Assert.Null(await ZoneAt(DemoWorld.SquareOne, 44.015, -79.685));            // in the hole
        Assert.Null(await ZoneAt(DemoWorld.SquareOne, 44.00, -79.69));              // on the outer edge
        Assert.Null(await ZoneAt(DemoWorld.SquareOne, 44.01, -79.685));             // on the hole's edge
        Assert.Null(await ZoneAt(DemoWorld.SquareOne, 44.05, -79.695));             // outside
        Assert.Null(await ZoneAt(DemoWorld.Yorkville, 44.005, -79.695));            // another store's zones do not count

        await AddZoneAsync(db, DemoWorld.SquareOne, Zone("Inactive", Square(44.10, -79.70), fee: 1m) with { IsActive = false });
        Assert.Null(await ZoneAt(DemoWorld.SquareOne, 44.105, -79.695));
    }

    [Fact]
    public async Task Only_managers_of_the_store_and_tenant_admins_edit_zones_and_another_tenant_does_not_find_the_store()
    {
        var zone = Zone("Auth", Square(43.80, -79.50));
        Assert.Equal(ErrorKind.Forbidden, (await Create(InventoryKit.Budtender, DemoWorld.QueenWest, zone)).Error!.Kind);
        Assert.Equal(ErrorKind.Forbidden, (await Create(Driver, DemoWorld.QueenWest, zone)).Error!.Kind);
        Assert.Equal(ErrorKind.Forbidden, (await Create(InventoryKit.Manager, DemoWorld.SquareOne, zone)).Error!.Kind); // not their store
        Assert.Equal(ErrorKind.NotFound, (await Create(InventoryKit.MapleManager, DemoWorld.QueenWest, zone)).Error!.Kind);
        var id = (await Create(InventoryKit.TenantAdmin, DemoWorld.SquareOne, zone)).Value;
        Assert.Equal(ErrorKind.NotFound, (await Do(db, InventoryKit.MapleManager, sp => sp.GetRequiredService<DeliveryZoneService>().DeleteAsync(id))).Error!.Kind);
        Assert.Equal(ErrorKind.Forbidden, (await Do(db, InventoryKit.Manager, sp => sp.GetRequiredService<DeliveryZoneService>().DeleteAsync(id))).Error!.Kind);
        await using var ctx = db.Context();
        var stored = await ctx.DeliveryZones.AsNoTracking().SingleAsync(z => z.Id == id);
        Assert.Equal(4326, stored.Area.SRID);
    }
}
