using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace WeedGo.Core.Data;

/// <summary>Applies EF migrations (used on start-up when configured, by the test template and by the bench).</summary>
public sealed class DatabaseMigrator(PooledDbContextFactory<WeedGoDbContext> pool)
{
    public async Task MigrateAsync(CancellationToken ct = default)
    {
        await using var db = await pool.CreateDbContextAsync(ct);
        db.UseTenant(Common.FixedTenantContext.System);
        await db.Database.MigrateAsync(ct);
    }

    public async Task<IReadOnlyList<string>> PendingAsync(CancellationToken ct = default)
    {
        await using var db = await pool.CreateDbContextAsync(ct);
        return (await db.Database.GetPendingMigrationsAsync(ct)).ToList();
    }
}
