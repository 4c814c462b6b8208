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

    /// <summary>The same zones as one GeoJSON FeatureCollection (properties: id, name, fee, minimum, eta, active) for a map.</summary>
    public async Task<Result<string>> FeatureCollectionAsync(Guid storeId, CancellationToken ct = default)
    {
        var zones = await ForStoreAsync(storeId, ct);
        if (!zones.Succeeded)
        {
            return zones.Error!;
        }
        var features = zones.Value.Select(z =>
            $"{{\"type\":\"Feature\",\"geometry\":{z.GeoJson},\"properties\":{System.Text.Json.JsonSerializer.Serialize(new { id = z.Id, name = z.Name, fee = z.Fee, minimum = z.MinimumOrder, freeFrom = z.FreeDeliveryThreshold, eta = $"{z.EtaMinMinutes}–{z.EtaMaxMinutes} min", active = z.IsActive })}}}");
        return $"{{\"type\":\"FeatureCollection\",\"features\":[{string.Join(',', features)}]}}";
    }
}
