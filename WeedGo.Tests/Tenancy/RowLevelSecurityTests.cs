using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using WeedGo.Core;
using WeedGo.Core.Accounts;
using WeedGo.Core.Audit;
using WeedGo.Core.Catalog;
using WeedGo.Core.Common;
using WeedGo.Core.Data;
using WeedGo.Core.Inventory;
using WeedGo.Core.Ordering;
using WeedGo.Core.Pricing;
using WeedGo.Core.Tenancy;
using WeedGo.Tests.Deliveries;
using WeedGo.Tests.Support;

namespace WeedGo.Tests.Tenancy;

/// <summary>
/// PostgreSQL row-level security, the wall behind the EF filters: every tenant-owned table is covered, the app runs as a role
/// that cannot bypass it, a pooled connection never carries a tenant into the next lease, and cross-tenant probes (raw SQL as
/// the app role, EF with its filters switched off, and the services) find nothing of the other tenant.
/// </summary>
public sealed class RowLevelSecurityTests(DemoDatabaseFixture db) : IClassFixture<DemoDatabaseFixture>
{
    private static readonly Guid A = DemoWorld.NorthernLights;
    private static readonly Guid B = DemoWorld.MapleLeaf;
    private static TestUser AdminOf(Guid tenant) => tenant == A
        ? TestUser.Staff(DemoWorld.User("admin@northernlights.demo"), A, Roles.TenantAdmin)
        : TestUser.Staff(DemoWorld.User("admin@mapleleaf.demo"), B, Roles.TenantAdmin);

    private string Owner => RowLevelSecurity.PlatformScope(db.ConnectionString);

    [Fact]
    public async Task Every_tenant_owned_table_has_row_level_security_enabled_forced_and_a_policy()
    {
        await using var ctx = db.Context();
        var tables = RowLevelSecurity.TenantTables(ctx.Model);
        Assert.Contains("stores", tables);
        Assert.Contains("ocs_product_catalog", tables);
        Assert.Contains("orders", tables);
        await using var conn = new NpgsqlConnection(Owner);
        await conn.OpenAsync();
        foreach (var table in tables)
        {
            await using var cmd = new NpgsqlCommand("""
                SELECT c.relrowsecurity, c.relforcerowsecurity,
                       EXISTS (SELECT 1 FROM pg_policy p WHERE p.polrelid = c.oid AND p.polname = $2)
                FROM pg_class c WHERE c.oid = to_regclass($1)
                """, conn);
            cmd.Parameters.AddWithValue(table);
            cmd.Parameters.AddWithValue(RowLevelSecurity.PolicyName);
            await using var r = await cmd.ExecuteReaderAsync();
            Assert.True(await r.ReadAsync(), $"{table} does not exist");
            Assert.True(r.GetBoolean(0) && r.GetBoolean(1) && r.GetBoolean(2), $"{table}: enabled {r.GetBoolean(0)}, forced {r.GetBoolean(1)}, policy {r.GetBoolean(2)}");
        }
        // And no table with a tenant_id column escapes: covered, or listed with a reason in RowLevelSecurity.NotTenantOwned.
        Assert.Empty(await RowLevelSecurity.UncoveredAsync(conn));
    }

    [Fact]
    public async Task A_table_without_its_policy_is_caught_and_the_step_after_migrations_restores_a_tenant_owned_ones()
    {
        await using (var conn = new NpgsqlConnection(Owner))
        {
            await conn.OpenAsync();
            await ExecAsync(conn, "CREATE TABLE rls_probe_new_table (id uuid PRIMARY KEY, tenant_id uuid NOT NULL)");
            await ExecAsync(conn, $"DROP POLICY {RowLevelSecurity.PolicyName} ON wishlist; ALTER TABLE wishlist NO FORCE ROW LEVEL SECURITY");
            Assert.Equal(["rls_probe_new_table", "wishlist"], await RowLevelSecurity.UncoveredAsync(conn));
        }

        // The step that runs after every migration derives the tables from the model: wishlist is tenant-owned, so it comes back.
        var report = await new DatabaseMigrator(new MigrationTarget(db.ConnectionString, TestDatabase.AppRole)).MigrateAsync();
        Assert.Null(report.Warning);
        Assert.Equal(["rls_probe_new_table"], report.Uncovered); // not in the model: someone must decide, and the test says so
        Assert.Contains("wishlist", report.Covered);

        await using (var conn = new NpgsqlConnection(Owner))
        {
            await conn.OpenAsync();
            await ExecAsync(conn, "DROP TABLE rls_probe_new_table");
            Assert.Empty(await RowLevelSecurity.UncoveredAsync(conn));
        }
    }

    [Fact]
    public async Task The_app_connects_as_a_role_that_owns_nothing_and_cannot_bypass_row_level_security()
    {
        var used = new NpgsqlConnectionStringBuilder(db.Services.GetRequiredService<NpgsqlDataSource>().ConnectionString).Username;
        Assert.Equal(TestDatabase.AppRole, used);
        await using var conn = new NpgsqlConnection(db.AppConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("""
            SELECT r.rolsuper, r.rolbypassrls, r.rolcreaterole,
                   (SELECT count(*) FROM pg_class c WHERE c.relowner = r.oid AND c.relnamespace = 'public'::regnamespace)
            FROM pg_roles r WHERE r.rolname = current_user
            """, conn);
        await using var r = await cmd.ExecuteReaderAsync();
        Assert.True(await r.ReadAsync());
        Assert.False(r.GetBoolean(0), "superuser");
        Assert.False(r.GetBoolean(1), "BYPASSRLS");
        Assert.False(r.GetBoolean(2), "CREATEROLE");
        Assert.Equal(0L, r.GetInt64(3));
    }

    [Fact]
    public async Task A_pooled_connection_never_carries_a_tenant_setting_into_the_next_lease()
    {
        // One physical connection, so every lease below gets the very connection the previous one used.
        var single = new NpgsqlConnectionStringBuilder(db.AppConnectionString) { MaxPoolSize = 1 }.ConnectionString;
        await using var source = DependencyInjection.BuildDataSource(single);
        var options = new DbContextOptionsBuilder<WeedGoDbContext>();
        DependencyInjection.ConfigureDatabase(options, source);
        var pool = new PooledDbContextFactory<WeedGoDbContext>(options.Options);
        var leases = 0;

        async Task<WeedGoDbContext> Lease(ITenantContext scope)
        {
            var ctx = await pool.CreateDbContextAsync();
            ctx.UseTenant(scope);
            return ctx;
        }

        async Task AssertCleanAsync(string after)
        {
            leases++;
            await using var raw = await source.OpenConnectionAsync();
            await using var cmd = new NpgsqlCommand(
                "SELECT coalesce(current_setting('app.tenant_id', true), ''), coalesce(current_setting('app.all_tenants', true), ''), (SELECT count(*) FROM stores)", raw);
            await using var r = await cmd.ExecuteReaderAsync();
            await r.ReadAsync();
            Assert.True(r.GetString(0) == "" && r.GetString(1) is "" && r.GetInt64(2) == 0,
                $"after {after}: tenant '{r.GetString(0)}', all tenants '{r.GetString(1)}', {r.GetInt64(2)} stores visible");
        }

        await using (var ctx = await Lease(FixedTenantContext.For(A)))
        {
            Assert.NotEmpty(await ctx.Stores.IgnoreQueryFilters().ToListAsync());
        }
        await AssertCleanAsync("an EF query");

        await using (var ctx = await Lease(FixedTenantContext.For(A)))
        {
            // Raw SQL over the context's own connection carries the scope…
            await ctx.Database.OpenConnectionAsync();
            await using var cmd = new NpgsqlCommand("SELECT count(*) FROM stores", (NpgsqlConnection)ctx.Database.GetDbConnection());
            Assert.Equal(3L, (long)(await cmd.ExecuteScalarAsync())!);
            // …and the context is returned without closing the connection.
        }
        await AssertCleanAsync("raw SQL on a connection opened and never closed");

        await using (var ctx = await Lease(FixedTenantContext.For(B)))
        {
            await using var tx = await ctx.Database.BeginTransactionAsync();
            Assert.Equal(2, await ctx.Stores.IgnoreQueryFilters().CountAsync());
            await tx.CommitAsync();
        }
        await AssertCleanAsync("an explicit transaction");

        await using (var ctx = await Lease(FixedTenantContext.System))
        {
            Assert.Equal(5, await ctx.Stores.CountAsync());
        }
        await AssertCleanAsync("the platform scope");

        await using (var ctx = await Lease(FixedTenantContext.For(A)))
        {
            await Assert.ThrowsAnyAsync<PostgresException>(() => ctx.Database.ExecuteSqlRawAsync("SELECT no_such_column FROM stores"));
        }
        await AssertCleanAsync("a failed statement");

        await using (var ctx = await Lease(FixedTenantContext.For(A)))
        {
            await ctx.Database.BeginTransactionAsync(); // left open: the context is disposed with the transaction still running
            Assert.Equal(3, await ctx.Stores.IgnoreQueryFilters().CountAsync());
        }
        await AssertCleanAsync("a transaction left open");
        Assert.Equal(6, leases);
    }

    [Fact]
    public async Task A_connection_opened_behind_efs_back_sees_no_tenant_rows()
    {
        await using var ctx = db.Context(FixedTenantContext.For(A));
        var conn = (NpgsqlConnection)ctx.Database.GetDbConnection();
        await conn.OpenAsync(); // not through EF: no scope
        await using var cmd = new NpgsqlCommand("SELECT (SELECT count(*) FROM stores) + (SELECT count(*) FROM ocs_product_catalog)", conn);
        Assert.Equal(0L, (long)(await cmd.ExecuteScalarAsync())!);
        await conn.CloseAsync();
    }

    [Fact]
    public async Task A_platform_admin_using_the_platform_scope_is_audited_once_per_scope_and_system_jobs_are_not()
    {
        var platform = DemoWorld.User("platform@weedgo.demo");
        await using (var scope = db.As(TestUser.Platform(platform)))
        {
            var factory = scope.ServiceProvider.GetRequiredService<IDbContextFactory<WeedGoDbContext>>();
            for (var i = 0; i < 3; i++)
            {
                await using var ctx = await factory.CreateDbContextAsync();
                Assert.Equal(5, await ctx.Stores.CountAsync());
            }
        }
        var system = new TenantDbContextFactory(db.Services.GetRequiredService<PooledDbContextFactory<WeedGoDbContext>>(),
            FixedTenantContext.System, audit: null);
        await using (var ctx = await system.CreateDbContextAsync())
        {
            Assert.Equal(5, await ctx.Stores.CountAsync());
        }

        List<AuditLogEntry> rows = [];
        for (var i = 0; i < 50 && rows.Count == 0; i++)
        {
            await Task.Delay(100);
            await using var ctx = db.Context();
            rows = await ctx.AuditLogs.AsNoTracking().Where(a => a.EventType == AuditEvents.PlatformScopeUsed).ToListAsync();
        }
        var row = Assert.Single(rows);
        Assert.Equal(platform, row.UserId);
        Assert.Null(row.TenantId);
    }

    /// <summary>
    /// 440 probes in three layers, each tenant against the other: raw SQL as the app role with one tenant's setting reading,
    /// updating, deleting, re-labelling and inserting the other's rows (and with no setting at all); EF with its query filters
    /// switched off, so only PostgreSQL stands in the way; and the services, asked by one tenant's admin for the other's
    /// products, stock, promotions and orders. The page/API probes are in <see cref="TenantIsolationWebTests"/>.
    /// </summary>
    [Fact]
    public async Task Cross_tenant_probes_as_the_app_role_leak_nothing()
    {
        await SeedBothTenantsAsync();
        var probes = 0;
        var leaks = new List<string>();
        await using var ctx = db.Context();
        var tables = RowLevelSecurity.TenantTables(ctx.Model);

        // Both tenants must own rows in most tables, or the probes would prove little.
        var twoSided = 0;
        var oneSided = new List<string>();
        await using (var owner = new NpgsqlConnection(Owner))
        {
            await owner.OpenAsync();
            foreach (var table in tables)
            {
                await using var cmd = new NpgsqlCommand($"SELECT count(DISTINCT tenant_id) FROM {table} WHERE tenant_id IN ($1, $2)", owner);
                cmd.Parameters.AddWithValue(A);
                cmd.Parameters.AddWithValue(B);
                if ((long)(await cmd.ExecuteScalarAsync())! == 2)
                {
                    twoSided++;
                }
                else
                {
                    oneSided.Add(table);
                }
            }
        }
        Assert.True(twoSided >= 20, $"only {twoSided} of {tables.Count} tables hold rows of both tenants; not: {string.Join(", ", oneSided)}");

        // 1. Raw SQL as the app role.
        await using (var app = new NpgsqlConnection(db.AppConnectionString))
        {
            await app.OpenAsync();
            foreach (var table in tables)
            {
                var columns = await InsertableColumnsAsync(app, table);
                foreach (var (me, other) in new[] { (A, B), (B, A) })
                {
                    await using var tx = await app.BeginTransactionAsync();
                    await ScalarAsync(app, "SELECT set_config('app.tenant_id', $1, true), set_config('app.all_tenants', 'off', true)", me.ToString());
                    var mine = (long)(await ScalarAsync(app, $"SELECT count(*) FROM {table} WHERE tenant_id = $1", me))!;

                    probes++;
                    if ((long)(await ScalarAsync(app, $"SELECT count(*) FROM {table} WHERE tenant_id = $1", other))! != 0)
                    {
                        leaks.Add($"{table}: {me} read {other}'s rows");
                    }
                    // Platform rows every tenant may read (rate-limit rules) are not another tenant's rows.
                    var tenantRows = RowLevelSecurity.PlatformRowsReadable.Contains(table) ? " WHERE tenant_id IS NOT NULL" : "";
                    probes++;
                    if ((long)(await ScalarAsync(app, $"SELECT count(*) FROM {table}{tenantRows}"))! != mine)
                    {
                        leaks.Add($"{table}: {me} sees rows that are not its own");
                    }
                    probes++;
                    if (await NonQueryAsync(app, $"UPDATE {table} SET tenant_id = tenant_id WHERE tenant_id = $1", other) != 0)
                    {
                        leaks.Add($"{table}: {me} updated {other}'s rows");
                    }
                    probes++;
                    if (await NonQueryAsync(app, $"DELETE FROM {table} WHERE tenant_id = $1", other) != 0)
                    {
                        leaks.Add($"{table}: {me} deleted {other}'s rows");
                    }
                    if (mine > 0)
                    {
                        probes++;
                        if (!await RefusedAsync(app, $"UPDATE {table} SET tenant_id = $1 WHERE ctid = (SELECT ctid FROM {table} WHERE tenant_id = $2 LIMIT 1)", other, me))
                        {
                            leaks.Add($"{table}: {me} moved one of its rows to {other}");
                        }
                        probes++;
                        var list = string.Join(", ", columns.Select(c => $"\"{c}\""));
                        var idSwap = columns.Contains("id") ? ", 'id', gen_random_uuid()" : "";
                        if (!await RefusedAsync(app,
                                $"INSERT INTO {table} ({list}) SELECT {string.Join(", ", columns.Select(c => $"r.\"{c}\""))} FROM {table} x, " +
                                $"jsonb_populate_record(x, jsonb_build_object('tenant_id', $1::uuid{idSwap})) r WHERE x.tenant_id = $2 LIMIT 1", other, me))
                        {
                            leaks.Add($"{table}: {me} inserted a row for {other}");
                        }
                    }
                    await tx.RollbackAsync();
                }
                probes++;
                var ownedRows = RowLevelSecurity.PlatformRowsReadable.Contains(table) ? " WHERE tenant_id IS NOT NULL" : "";
                if ((long)(await ScalarAsync(app, $"SELECT count(*) FROM {table}{ownedRows}"))! != 0)
                {
                    leaks.Add($"{table}: rows visible with no tenant set");
                }
            }
        }

        // 2. EF with the query filters off: only row-level security decides.
        var entityTypes = ctx.Model.GetEntityTypes().Where(t => typeof(ITenantOwned).IsAssignableFrom(t.ClrType) && t.BaseType is null)
            .Select(t => t.ClrType).ToList();
        var count = typeof(RowLevelSecurityTests).GetMethod(nameof(OtherTenantRowsAsync), BindingFlags.NonPublic | BindingFlags.Static)!;
        foreach (var type in entityTypes)
        {
            foreach (var (me, other) in new[] { (A, B), (B, A) })
            {
                await using var scoped = db.Context(FixedTenantContext.For(me));
                probes++;
                var seen = await (Task<int>)count.MakeGenericMethod(type).Invoke(null, [scoped, other])!;
                if (seen != 0)
                {
                    leaks.Add($"EF {type.Name}: {me} saw {seen} of {other}'s rows with the filters off");
                }
            }
        }

        // 3. The services, asked by one tenant's admin for the other tenant's things.
        foreach (var (me, other) in new[] { (A, B), (B, A) })
        {
            var theirs = await ThingsOfAsync(other);
            await using var scope = db.As(AdminOf(me));
            var sp = scope.ServiceProvider;
            foreach (var product in theirs.Products)
            {
                probes++;
                if (await sp.GetRequiredService<CatalogQueries>().GetAsync(product) is not null)
                {
                    leaks.Add($"CatalogQueries.GetAsync: {me} got {other}'s product {product}");
                }
                probes++;
                var stock = await sp.GetRequiredService<InventoryQueries>().ProductStockAsync(theirs.Store, product);
                if (stock.Succeeded)
                {
                    leaks.Add($"InventoryQueries.ProductStockAsync: {me} got {other}'s stock of {product}");
                }
            }
            foreach (var promotion in theirs.Promotions)
            {
                probes += 2;
                if ((await sp.GetRequiredService<PromotionQueries>().DetailAsync(promotion)).Succeeded
                    || (await sp.GetRequiredService<PromotionQueries>().StatsAsync(promotion)).Succeeded)
                {
                    leaks.Add($"PromotionQueries: {me} got {other}'s promotion {promotion}");
                }
            }
            foreach (var order in theirs.Orders)
            {
                probes++;
                if ((await sp.GetRequiredService<OrderQueries>().DetailAsync(order)).Succeeded)
                {
                    leaks.Add($"OrderQueries.DetailAsync: {me} got {other}'s order {order}");
                }
            }
            probes++;
            var stores = await sp.GetRequiredService<StoreQueries>().ListForStaffAsync();
            if (stores.Succeeded && stores.Value.Any(s => s.Id == theirs.Store))
            {
                leaks.Add($"StoreQueries.ListForStaffAsync: {me} listed {other}'s store");
            }
            probes++;
            var queue = await sp.GetRequiredService<OrderQueries>().QueueAsync(theirs.Store, openOnly: false);
            if (queue.Succeeded && queue.Value.Count > 0)
            {
                leaks.Add($"OrderQueries.QueueAsync: {me} listed {other}'s orders");
            }
            probes++;
            var set = await sp.GetRequiredService<InventoryService>().SetPriceAsync(theirs.Store, theirs.Products[0], 0.01m, null);
            if (set.Succeeded)
            {
                leaks.Add($"InventoryService.SetPriceAsync: {me} priced {other}'s stock");
            }
        }

        Console.WriteLine($"{probes} cross-tenant probes (raw SQL, EF without filters, services), {leaks.Count} leaks; {twoSided} of {tables.Count} tables hold rows of both tenants");
        Assert.Empty(leaks);
        Assert.True(probes >= 400, $"{probes} probes");
    }

    private static async Task<int> OtherTenantRowsAsync<T>(WeedGoDbContext ctx, Guid other) where T : class, ITenantOwned =>
        await ctx.Set<T>().IgnoreQueryFilters().Where(e => e.TenantId == other).CountAsync();

    private sealed record Things(Guid Store, List<Guid> Products, List<Guid> Promotions, List<Guid> Orders);

    private async Task<Things> ThingsOfAsync(Guid tenant)
    {
        await using var ctx = db.Context(FixedTenantContext.For(tenant));
        var store = await ctx.Stores.OrderBy(s => s.Name).Select(s => s.Id).FirstAsync();
        var products = await ctx.Inventory.Where(i => i.StoreId == store).OrderBy(i => i.ProductId).Select(i => i.ProductId).Take(40).ToListAsync();
        var promotions = await ctx.Promotions.Select(p => p.Id).ToListAsync();
        var orders = await ctx.Orders.Select(o => o.Id).ToListAsync();
        return new Things(store, products, promotions, orders);
    }

    /// <summary>
    /// The demo world leaves carts, orders, deliveries and shipments empty: Northern Lights gets real ones through the services
    /// (a packed delivery order, a zone, a wishlist heart, a cart, a driver on shift; no ASN shipment), then every table's first Northern Lights row is
    /// copied to Maple Leaf (new id, Maple's tenant_id) in the platform scope, so both tenants own rows everywhere.
    /// </summary>
    private async Task SeedBothTenantsAsync()
    {
        await using (var check = new NpgsqlConnection(Owner))
        {
            await check.OpenAsync();
            if ((long)(await ScalarAsync(check, "SELECT count(*) FROM orders"))! > 0)
            {
                return;
            }
        }
        var (placed, product) = await DeliveryKit.PackedDeliveryOrderAsync(db);
        await DeliveryKit.AddZoneAsync(db, DemoWorld.QueenWest, DeliveryKit.Zone("Probe zone", DeliveryKit.Square(43.65, -79.40)));
        await using (var scope = db.As(DeliveryKit.Driver))
        {
            var drivers = scope.ServiceProvider.GetRequiredService<Core.Deliveries.DriverService>();
            Assert.True((await drivers.StartShiftAsync(DemoWorld.QueenWest)).Succeeded);
            Assert.True((await drivers.ReportPositionAsync(43.65, -79.40, 5)).Succeeded);
        }
        await using (var scope = db.As(TestUser.Staff(DemoWorld.User("manager@northernlights.demo"), A, Roles.StoreManager, DemoWorld.QueenWest)))
        {
            Assert.True((await scope.ServiceProvider.GetRequiredService<Core.Deliveries.DeliveryService>()
                .AssignAsync(placed.OrderId, DeliveryKit.Driver.UserId!.Value)).Succeeded);
        }
        await using (var scope = db.As(new TestUser { UserId = DemoWorld.User("customer@northernlights.demo"), TenantId = A, Roles = [Roles.Customer] }))
        {
            await scope.ServiceProvider.GetRequiredService<WishlistService>().ToggleAsync(DemoWorld.QueenWest, product.Id);
            await scope.ServiceProvider.GetRequiredService<CartService>().AddAsync(DemoWorld.QueenWest, product.Id, 1);
        }
        await using var owner = new NpgsqlConnection(Owner);
        await owner.OpenAsync();
        await using var ctx = db.Context();
        foreach (var table in RowLevelSecurity.TenantTables(ctx.Model))
        {
            var columns = await InsertableColumnsAsync(owner, table);
            // Keys unique across tenants (order numbers, idempotency keys, a cart's product) get a value of their own.
            var overrides = new List<string> { "'tenant_id', $1::uuid" };
            await using (var unique = new NpgsqlCommand("""
                SELECT DISTINCT a.attname, t.typname,
                       EXISTS (SELECT 1 FROM pg_constraint f WHERE f.conrelid = i.indrelid AND f.contype = 'f' AND a.attnum = ANY (f.conkey))
                FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
                JOIN pg_type t ON t.oid = a.atttypid
                WHERE i.indrelid = to_regclass($1) AND i.indisunique AND a.attname <> 'tenant_id'
                """, owner))
            {
                unique.Parameters.AddWithValue(table);
                await using var r = await unique.ExecuteReaderAsync();
                while (await r.ReadAsync())
                {
                    var (name, type, foreign) = (r.GetString(0), r.GetString(1), r.GetBoolean(2));
                    var value = type switch
                    {
                        "uuid" when !foreign => "gen_random_uuid()",
                        "text" or "varchar" => $"x.\"{name}\" || '-b'",
                        "int4" or "int8" => $"x.\"{name}\" + 1000000",
                        _ => null,
                    };
                    if (value is not null)
                    {
                        overrides.Add($"'{name}', {value}");
                    }
                }
            }
            var list = string.Join(", ", columns.Select(c => $"\"{c}\""));
            var sql = $"INSERT INTO {table} ({list}) SELECT {string.Join(", ", columns.Select(c => $"r.\"{c}\""))} " +
                      $"FROM {table} x, jsonb_populate_record(x, jsonb_build_object({string.Join(", ", overrides)})) r " +
                      $"WHERE x.tenant_id = $2 AND NOT EXISTS (SELECT 1 FROM {table} WHERE tenant_id = $1) LIMIT 1";
            await using var tx = await owner.BeginTransactionAsync();
            try
            {
                await NonQueryAsync(owner, sql, B, A);
                await tx.CommitAsync();
            }
            catch (PostgresException e)
            {
                await tx.RollbackAsync(); // a unique key that does not include the tenant: this table stays one-sided
                Console.WriteLine($"{table} stays one-sided: {e.MessageText}");
            }
        }
    }

    private static async Task<List<string>> InsertableColumnsAsync(NpgsqlConnection conn, string table)
    {
        var columns = new List<string>();
        await using var cmd = new NpgsqlCommand(
            "SELECT column_name FROM information_schema.columns WHERE table_name = $1 AND table_schema = current_schema() AND is_generated = 'NEVER' ORDER BY ordinal_position", conn);
        cmd.Parameters.AddWithValue(table);
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync())
        {
            columns.Add(r.GetString(0));
        }
        return columns;
    }

    /// <summary>True when PostgreSQL refuses the statement (row-level security, or an append-only trigger that fires first), inside
    /// a savepoint so the transaction goes on.</summary>
    private static async Task<bool> RefusedAsync(NpgsqlConnection conn, string sql, params object[] values)
    {
        await ExecAsync(conn, "SAVEPOINT probe");
        try
        {
            await NonQueryAsync(conn, sql, values);
            await ExecAsync(conn, "RELEASE SAVEPOINT probe");
            return false;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InsufficientPrivilege)
        {
            await ExecAsync(conn, "ROLLBACK TO SAVEPOINT probe");
            return true;
        }
    }

    private static async Task<object?> ScalarAsync(NpgsqlConnection conn, string sql, params object[] values)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        foreach (var v in values)
        {
            cmd.Parameters.AddWithValue(v);
        }
        return await cmd.ExecuteScalarAsync();
    }

    private static async Task<int> NonQueryAsync(NpgsqlConnection conn, string sql, params object[] values)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        foreach (var v in values)
        {
            cmd.Parameters.AddWithValue(v);
        }
        return await cmd.ExecuteNonQueryAsync();
    }

    private static async Task ExecAsync(NpgsqlConnection conn, string sql)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync();
    }
}
