using Microsoft.EntityFrameworkCore;
using WeedGo.Core.Accounts;
using WeedGo.Core.Common;
using WeedGo.Core.Data;

namespace WeedGo.Core.Deliveries;

/// <summary>What a manager enters for a zone: its polygon as GeoJSON and its terms.</summary>
public sealed record ZoneInput(string Name, string GeoJson, decimal Fee, decimal MinimumOrder, decimal? FreeDeliveryThreshold,
    int EtaMinMinutes, int EtaMaxMinutes, bool IsActive = true);

/// <summary>Creates, changes and removes a store's delivery zones (store managers of that store, tenant admins).</summary>
public sealed class DeliveryZoneService(IDbContextFactory<WeedGoDbContext> contexts, ICurrentUser user)
{
    public async Task<Result<Guid>> CreateAsync(Guid storeId, ZoneInput input, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        if (await DeliveryAccess.CheckAsync(db, user, Policies.StoreManagement, storeId, ct) is { } denied)
        {
            return denied;
        }
        var area = Validate(input);
        if (!area.Succeeded)
        {
            return area.Error!;
        }
        if (await db.DeliveryZones.AnyAsync(z => z.StoreId == storeId && z.Name == input.Name.Trim(), ct))
        {
            return Error.Conflict($"This store already has a zone called {input.Name.Trim()}.");
        }
        var tenant = await db.Stores.Where(s => s.Id == storeId).Select(s => s.TenantId).FirstAsync(ct);
        var zone = new DeliveryZone { TenantId = tenant, StoreId = storeId };
        Apply(zone, input, area.Value);
        db.DeliveryZones.Add(zone);
        await db.SaveChangesAsync(ct);
        return zone.Id;
    }

    public async Task<Result> UpdateAsync(Guid zoneId, ZoneInput input, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var zone = await db.DeliveryZones.FirstOrDefaultAsync(z => z.Id == zoneId, ct);
        if (zone is null)
        {
            return Error.NotFound("That delivery zone");
        }
        if (await DeliveryAccess.CheckAsync(db, user, Policies.StoreManagement, zone.StoreId, ct) is { } denied)
        {
            return denied;
        }
        var area = Validate(input);
        if (!area.Succeeded)
        {
            return area.Error!;
        }
        if (await db.DeliveryZones.AnyAsync(z => z.StoreId == zone.StoreId && z.Id != zoneId && z.Name == input.Name.Trim(), ct))
        {
            return Error.Conflict($"This store already has a zone called {input.Name.Trim()}.");
        }
        Apply(zone, input, area.Value);
        await db.SaveChangesAsync(ct);
        return Result.Ok();
    }

    /// <summary>Removes a zone; deliveries that were in it keep their record (their zone becomes empty).</summary>
    public async Task<Result> DeleteAsync(Guid zoneId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var zone = await db.DeliveryZones.FirstOrDefaultAsync(z => z.Id == zoneId, ct);
        if (zone is null)
        {
            return Error.NotFound("That delivery zone");
        }
        if (await DeliveryAccess.CheckAsync(db, user, Policies.StoreManagement, zone.StoreId, ct) is { } denied)
        {
            return denied;
        }
        db.DeliveryZones.Remove(zone);
        await db.SaveChangesAsync(ct);
        return Result.Ok();
    }

    /// <summary>The save-time checks, usable by a form before it submits.</summary>
    public static Result<NetTopologySuite.Geometries.Polygon> Validate(ZoneInput input)
    {
        if (string.IsNullOrWhiteSpace(input.Name))
        {
            return Error.Validation("Give the zone a name.");
        }
        if (input.Fee < 0 || input.MinimumOrder < 0 || input.FreeDeliveryThreshold < 0)
        {
            return Error.Validation("Fee, minimum order and free-delivery threshold cannot be negative.");
        }
        if (decimal.Round(input.Fee, 2) != input.Fee || decimal.Round(input.MinimumOrder, 2) != input.MinimumOrder
            || input.FreeDeliveryThreshold is { } t && decimal.Round(t, 2) != t)
        {
            return Error.Validation("Amounts are in dollars and cents (two decimals).");
        }
        if (input.EtaMinMinutes <= 0 || input.EtaMaxMinutes < input.EtaMinMinutes || input.EtaMaxMinutes > 24 * 60)
        {
            return Error.Validation("The ETA is a range of minutes: a positive minimum, a maximum not below it.");
        }
        return ZoneGeometry.Parse(input.GeoJson);
    }

    private static void Apply(DeliveryZone zone, ZoneInput input, NetTopologySuite.Geometries.Polygon area)
    {
        zone.Name = input.Name.Trim();
        zone.Area = area;
        zone.Fee = input.Fee;
        zone.MinimumOrder = input.MinimumOrder;
        zone.FreeDeliveryThreshold = input.FreeDeliveryThreshold;
        zone.EtaMinMinutes = input.EtaMinMinutes;
        zone.EtaMaxMinutes = input.EtaMaxMinutes;
        zone.IsActive = input.IsActive;
    }
}
