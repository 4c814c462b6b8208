using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace WeedGo.Core.Data;

/// <summary>Where migrations run: the owner's connection, and the runtime role to grant (see <see cref="ConnectionStrings"/>).</summary>
public sealed record MigrationTarget(string OwnerConnection, string? AppRole);

/// <summary>
/// Applies EF migrations as the tables' owner, then the row-level-security step (<see cref="RowLevelSecurity.EnsureAsync"/>:
/// policies on every tenant-owned table, grants for the app role). Used by the <c>migrate</c> command, on start-up when
/// configured, by the test template and the bench. Runs in the platform scope, so a migration that moves data sees every row.
/// </summary>
public sealed class DatabaseMigrator(MigrationTarget target)
{
    public async Task<RowLevelSecurity.Report> MigrateAsync(CancellationToken ct = default)
    {
        await using var db = Create(target.OwnerConnection);
        await db.Database.MigrateAsync(ct);
        return await RowLevelSecurity.EnsureAsync(db, target.AppRole, ct);
    }

    public async Task<IReadOnlyList<string>> PendingAsync(CancellationToken ct = default)
    {
        await using var db = Create(target.OwnerConnection);
        return (await db.Database.GetPendingMigrationsAsync(ct)).ToList();
    }

    /// <summary>A context on the owner's connection (not pooled) in the platform scope.</summary>
    public static WeedGoDbContext Create(string ownerConnection)
    {
        var options = new DbContextOptionsBuilder<WeedGoDbContext>();
        // Not pooled: a migration changes the schema under any cached plans, and a template database must have no open connection.
        var unpooled = new Npgsql.NpgsqlConnectionStringBuilder(ownerConnection) { Pooling = false }.ConnectionString;
        DependencyInjection.ConfigureDatabase(options, unpooled);
        var db = new WeedGoDbContext(options.Options);
        db.UseTenant(Common.FixedTenantContext.System);
        return db;
    }
}
