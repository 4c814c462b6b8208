using Microsoft.EntityFrameworkCore;
using WeedGo.Core.Accounts;
using WeedGo.Core.Common;
using WeedGo.Core.Data;

namespace WeedGo.Core.Deliveries;

/// <summary>A zone as a map or a form shows it; <paramref name="GeoJson"/> is a GeoJSON Polygon ([longitude, latitude]).</summary>
public sealed record ZoneView(Guid Id, Guid StoreId, string Name, string GeoJson, decimal Fee, decimal MinimumOrder, decimal? FreeDeliveryThreshold,
    int EtaMinMinutes, int EtaMaxMinutes, bool IsActive);

public sealed class DeliveryZoneQueries(IDbContextFactory<WeedGoDbContext> contexts, ICurrentUser user)
{
    /// <summary>A store's zones by name (store staff of that store, tenant admins).</summary>
    public async Task<Result<IReadOnlyList<ZoneView>>> ForStoreAsync(Guid storeId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        if (await DeliveryAccess.CheckAsync(db, user, Policies.StoreOperations, storeId, ct) is { } denied)
        {
            return denied;
        }
        var zones = await db.DeliveryZones.AsNoTracking().Where(z => z.StoreId == storeId).OrderBy(z => z.Name)
            .Select(z => new { z.Id, z.StoreId, z.Name, z.Area, z.Fee, z.MinimumOrder, z.FreeDeliveryThreshold, z.EtaMinMinutes, z.EtaMaxMinutes, z.IsActive })
            .ToListAsync(ct);
        return zones.Select(z => new ZoneView(z.Id, z.StoreId, z.Name, ZoneGeometry.ToGeoJson(z.Area), z.Fee, z.MinimumOrder, z.FreeDeliveryThreshold,
            z.EtaMinMinutes, z.EtaMaxMinutes, z.IsActive)).ToList();
    }

    /// <summary>The same zones as one GeoJSON FeatureCollection (properties: id, name, label, fee, minimum, eta, active) for a map.</summary>
    public async Task<Result<string>> FeatureCollectionAsync(Guid storeId, CancellationToken ct = default)
    {
        var zones = await ForStoreAsync(storeId, ct);
        return zones.Succeeded ? ToFeatureCollection(zones.Value) : zones.Error!;
    }

    /// <summary>Where an active, delivering store delivers, for the checkout map: its active zones as a FeatureCollection.
    /// Anyone may see them (a store's delivery area is public); an inactive store or one without delivery has none.</summary>
    public async Task<string> ForCustomersAsync(Guid storeId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var zones = await db.DeliveryZones.AsNoTracking()
            .Where(z => z.StoreId == storeId && z.IsActive && db.Stores.Any(s => s.Id == storeId && s.IsActive && s.DeliveryEnabled))
            .OrderBy(z => z.Fee).ThenBy(z => z.Name)
            .Select(z => new { z.Id, z.StoreId, z.Name, z.Area, z.Fee, z.MinimumOrder, z.FreeDeliveryThreshold, z.EtaMinMinutes, z.EtaMaxMinutes, z.IsActive })
            .ToListAsync(ct);
        return ToFeatureCollection(zones.Select(z => new ZoneView(z.Id, z.StoreId, z.Name, ZoneGeometry.ToGeoJson(z.Area), z.Fee, z.MinimumOrder,
            z.FreeDeliveryThreshold, z.EtaMinMinutes, z.EtaMaxMinutes, z.IsActive)));
    }

    /// <summary>Zones as one GeoJSON FeatureCollection; <c>label</c> is the terms in a sentence ("$5.00 · min $30.00 · 30–45 min").</summary>
    public static string ToFeatureCollection(IEnumerable<ZoneView> zones)
    {
        var features = zones.Select(z =>
            $"{{\"type\":\"Feature\",\"geometry\":{z.GeoJson},\"properties\":{System.Text.Json.JsonSerializer.Serialize(new { id = z.Id, name = z.Name, label = Terms(z), fee = z.Fee, minimum = z.MinimumOrder, freeFrom = z.FreeDeliveryThreshold, eta = ZoneDeliveryQuoter.Eta(z.EtaMinMinutes, z.EtaMaxMinutes), active = z.IsActive })}}}");
        return $"{{\"type\":\"FeatureCollection\",\"features\":[{string.Join(',', features)}]}}";
    }

    public static string Terms(ZoneView z)
    {
        var free = z.FreeDeliveryThreshold is { } f ? $" · free from {Ordering.OrderMath.Money(f)}" : "";
        return $"{Ordering.OrderMath.Money(z.Fee)} delivery · minimum {Ordering.OrderMath.Money(z.MinimumOrder)}{free} · {ZoneDeliveryQuoter.Eta(z.EtaMinMinutes, z.EtaMaxMinutes)}{(z.IsActive ? "" : " · paused")}";
    }
}
