using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using WeedGo.Core.Common;
using WeedGo.Core.Data;

namespace WeedGo.Web.Identity;

/// <summary>
/// Which tenant's storefront a visitor sees: the tenant whose <c>domain</c> matches the host name, else the tenant named by
/// <c>WeedGo:Storefront:DefaultTenant</c> (a slug), else the first tenant by name. Cached for a minute.
/// </summary>
public sealed class StorefrontTenantResolver(
    PooledDbContextFactory<WeedGoDbContext> pool, IConfiguration configuration, TimeProvider clock)
{
    private readonly ConcurrentDictionary<string, (Guid? Id, DateTimeOffset At)> _cache = new();

    public Guid? Resolve(string? host)
    {
        var key = (host ?? "").ToLowerInvariant();
        var now = clock.GetUtcNow();
        if (_cache.TryGetValue(key, out var hit) && now - hit.At < TimeSpan.FromMinutes(1))
        {
            return hit.Id;
        }
        using var db = pool.CreateDbContext();
        db.UseTenant(FixedTenantContext.System);
        var defaultSlug = configuration["WeedGo:Storefront:DefaultTenant"];
        var id = db.Tenants.AsNoTracking().Where(t => t.IsActive && t.Domain == key).Select(t => (Guid?)t.Id).FirstOrDefault()
            ?? db.Tenants.AsNoTracking().Where(t => t.IsActive && t.Slug == defaultSlug).Select(t => (Guid?)t.Id).FirstOrDefault()
            ?? db.Tenants.AsNoTracking().Where(t => t.IsActive).OrderBy(t => t.Name).Select(t => (Guid?)t.Id).FirstOrDefault();
        _cache[key] = (id, now);
        return id;
    }
}
