using Microsoft.EntityFrameworkCore;
using WeedGo.Core.Accounts;
using WeedGo.Core.Common;
using WeedGo.Core.Data;

namespace WeedGo.Core.Tenancy;

/// <summary>A store as the storefront's picker shows it.</summary>
public sealed record StoreCard(
    Guid Id, string Name, string Slug, string Address, double Latitude, double Longitude, string TimeZoneId,
    bool OpenNow, string TodayHours, IReadOnlyList<OpeningHours> Hours, bool PickupEnabled, bool DeliveryEnabled, string? Phone,
    string Province = "ON");

/// <summary>A store as staff see it in the Stores area.</summary>
public sealed record StoreRow(
    Guid Id, Guid TenantId, string TenantName, string Name, string LicenceNumber, string Address, string TimeZoneId,
    bool OpenNow, string TodayHours, bool PickupEnabled, bool DeliveryEnabled, bool IsActive);

public sealed class StoreQueries(IDbContextFactory<WeedGoDbContext> contexts, ICurrentUser user, TimeProvider clock)
{
    /// <summary>The current tenant's active stores for the storefront, with open/closed computed in each store's zone.</summary>
    public async Task<IReadOnlyList<StoreCard>> ListForStorefrontAsync(CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var stores = await db.Stores.AsNoTracking()
            .Where(s => s.IsActive)
            .OrderBy(s => s.Name)
            .Select(s => new { s.Id, s.Name, s.Slug, s.Address, s.Location, s.TimeZoneId, s.Hours, s.PickupEnabled, s.DeliveryEnabled, s.Phone })
            .ToListAsync(ct);
        var now = clock.GetUtcNow();
        return stores.Select(s => new StoreCard(
            s.Id, s.Name, s.Slug, s.Address.ToString(), s.Location.Y, s.Location.X, s.TimeZoneId,
            StoreHours.IsOpenAt(s.Hours, s.TimeZoneId, now), StoreHours.Describe(StoreHours.Today(s.Hours, s.TimeZoneId, now)),
            s.Hours.OrderBy(h => ((int)h.Day + 6) % 7).ToList(), s.PickupEnabled, s.DeliveryEnabled, s.Phone, s.Address.Province)).ToList();
    }

    /// <summary>Stores the signed-in staff member may see: their own stores, or all of the tenant's for tenant admins.</summary>
    public async Task<Result<IReadOnlyList<StoreRow>>> ListForStaffAsync(CancellationToken ct = default)
    {
        if (user.Demand(Policies.StoreAdministration) is { } denied)
        {
            return denied;
        }
        await using var db = await contexts.CreateDbContextAsync(ct);
        var query = db.Stores.AsNoTracking();
        if (!user.SeesAllStores())
        {
            var mine = user.StoreIds.ToList();
            query = query.Where(s => mine.Contains(s.Id));
        }
        var rows = await query
            .OrderBy(s => s.Tenant!.Name).ThenBy(s => s.Name)
            .Select(s => new { s.Id, s.TenantId, TenantName = s.Tenant!.Name, s.Name, s.LicenceNumber, s.Address, s.TimeZoneId, s.Hours, s.PickupEnabled, s.DeliveryEnabled, s.IsActive })
            .ToListAsync(ct);
        var now = clock.GetUtcNow();
        return rows.Select(s => new StoreRow(
            s.Id, s.TenantId, s.TenantName, s.Name, s.LicenceNumber, s.Address.ToString(), s.TimeZoneId,
            StoreHours.IsOpenAt(s.Hours, s.TimeZoneId, now), StoreHours.Describe(StoreHours.Today(s.Hours, s.TimeZoneId, now)),
            s.PickupEnabled, s.DeliveryEnabled, s.IsActive)).ToList();
    }
}
