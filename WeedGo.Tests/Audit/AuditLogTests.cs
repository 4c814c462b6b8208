using WeedGo.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using WeedGo.Core.Accounts;
using WeedGo.Core.Audit;
using WeedGo.Core.Common;
using WeedGo.Core.Inventory;
using WeedGo.Tests.Support;
using static WeedGo.Tests.Inventory.InventoryKit;

namespace WeedGo.Tests.Audit;

/// <summary>The audit log: one row per audited write in the same transaction, masked secrets, an append-only table,
/// a hash chain the verifier checks, and the explorer's access rules.</summary>
public sealed class AuditLogTests(DemoDatabaseFixture db) : IClassFixture<DemoDatabaseFixture>, IAsyncLifetime
{
    private static readonly Guid Store = DemoWorld.QueenWest;
    private static TestUser TenantAdmin => TestUser.Staff(DemoWorld.User("admin@northernlights.demo"), DemoWorld.NorthernLights, Roles.TenantAdmin);
    private static TestUser MapleAdmin => TestUser.Staff(DemoWorld.User("admin@mapleleaf.demo"), DemoWorld.MapleLeaf, Roles.TenantAdmin);
    private static TestUser PlatformAdmin => TestUser.Platform(DemoWorld.User("platform@weedgo.demo"));

    public Task InitializeAsync() => DemoWorld.LoadAsync(db);
    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>Every audit row (filtered in memory: jsonb columns are text to the app), by chain and sequence, after sealing
    /// what was written (the app's sealing worker does that every second; the test host runs no workers).</summary>
    private async Task<List<AuditLogEntry>> RowsAsync(Func<AuditLogEntry, bool> where, bool seal = true)
    {
        if (seal)
        {
            await db.Services.GetRequiredService<AuditSealer>().SealAsync();
        }
        await using var ctx = db.Context();
        var all = await ctx.AuditLogs.AsNoTracking().OrderBy(a => a.Chain).ThenBy(a => a.Sequence).ToListAsync();
        return all.Where(where).ToList();
    }

    /// <summary>Raw SQL as the tables' owner in the platform scope (row-level security is forced on the owner too).</summary>
    private Task<int> ExecuteAsync(string sql) => ExecuteOnAsync(RowLevelSecurity.PlatformScope(db.ConnectionString), sql);

    /// <summary>Raw SQL as the app's runtime role in the platform scope: only its grants stand between it and the rows.</summary>
    private Task<int> ExecuteAsAppAsync(string sql) => ExecuteOnAsync(RowLevelSecurity.PlatformScope(db.AppConnectionString), sql);

    private static async Task<int> ExecuteOnAsync(string connection, string sql)
    {
        await using var conn = new NpgsqlConnection(connection);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        return await cmd.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task A_price_change_writes_exactly_one_row_with_old_and_new_values_and_the_actor()
    {
        var p = await AddProductAsync(db, price: 30m);
        await ReceiveAsync(db, Store, p.Id, 5, "LOT");
        var set = await As(db, Manager, sp => sp.GetRequiredService<InventoryService>().SetPriceAsync(Store, p.Id, 24.99m, 11.5m));
        Assert.True(set.Succeeded);

        var rows = await RowsAsync(a => a.EntityType == nameof(InventoryItem) && a.EventType == AuditEvents.PriceChanged
            && a.StoreId == Store && (a.Changes ?? "").Contains("24.99"));
        var row = Assert.Single(rows);
        Assert.Equal("update", row.Action);
        Assert.Equal(DemoWorld.NorthernLights, row.TenantId);
        Assert.Equal(Manager.UserId, row.UserId);
        var diff = AuditQueries.Diff(row.Changes).ToDictionary(d => d.Field);
        Assert.Equal((null, "24.99"), (diff["RetailPriceOverride"].Old, diff["RetailPriceOverride"].New));
        Assert.Equal("11.5", diff["UnitCost"].New);
        Assert.DoesNotContain("OnHand", row.Changes);
        Assert.NotNull(row.Sequence);
        Assert.Matches("^[0-9a-f]{64}$", row.Hash!);
    }

    [Fact]
    public async Task Stock_movements_that_only_change_figures_are_left_to_the_ledger_but_an_adjustment_is_one_event()
    {
        var p = await AddProductAsync(db);
        await ReceiveAsync(db, Store, p.Id, 10, "LOT");
        var before = (await RowsAsync(_ => true)).Count;
        var done = await As(db, Manager, sp => sp.GetRequiredService<InventoryService>().AdjustAsync(Store, p.Id, -2, AdjustmentReason.Damage, "dropped"));
        Assert.True(done.Succeeded);
        var after = await RowsAsync(_ => true);
        var added = Assert.Single(after, a => a.EventType == AuditEvents.StockAdjusted && (a.Details ?? "").Contains(p.Id.ToString()));
        Assert.Equal(before + 1, after.Count);
        Assert.Equal(Store, added.StoreId);
        Assert.Contains("Damage", added.Details);

        // A refused adjustment (more than there is) rolls back with the ledger: no event.
        var refused = await As(db, Manager, sp => sp.GetRequiredService<InventoryService>().AdjustAsync(Store, p.Id, -50, AdjustmentReason.Damage, null));
        Assert.False(refused.Succeeded);
        Assert.Equal(after.Count, (await RowsAsync(_ => true)).Count);
    }

    [Fact]
    public async Task A_rolled_back_transaction_leaves_no_audit_row()
    {
        await using (var ctx = db.Context(FixedTenantContext.For(DemoWorld.NorthernLights)))
        {
            await using var tx = await ctx.Database.BeginTransactionAsync();
            var store = await ctx.Stores.SingleAsync(s => s.Id == Store);
            store.Name += " (renamed)";
            await ctx.SaveChangesAsync();
            Assert.Single(ctx.ChangeTracker.Entries<AuditLogEntry>());
            await tx.RollbackAsync();
        }
        Assert.Empty(await RowsAsync(a => a.EntityType == "Store" && (a.Changes ?? "").Contains("(renamed)")));

        await using (var ctx = db.Context(FixedTenantContext.For(DemoWorld.NorthernLights)))
        {
            var store = await ctx.Stores.SingleAsync(s => s.Id == Store);
            store.Name += " (renamed)";
            await ctx.SaveChangesAsync();
        }
        var row = Assert.Single(await RowsAsync(a => a.EntityType == "Store" && (a.Changes ?? "").Contains("(renamed)")));
        Assert.Equal(Store, row.StoreId);
    }

    [Fact]
    public async Task Password_hashes_security_stamps_and_tokens_are_masked()
    {
        var userId = DemoWorld.User("budtender@mapleleaf.demo");
        await using (var ctx = db.Context())
        {
            var user = await ctx.Users.SingleAsync(u => u.Id == userId);
            user.PasswordHash = "AQAAAAIAAYagAAAAEsecret-hash-value";
            user.SecurityStamp = "STAMP-SECRET-123";
            user.DisplayName = "Renamed Budtender";
            ctx.UserTokens.Add(new Microsoft.AspNetCore.Identity.IdentityUserToken<Guid>
            {
                UserId = userId, LoginProvider = "x", Name = "y", Value = "token-secret-xyz",
            });
            await ctx.SaveChangesAsync();
        }
        var row = Assert.Single(await RowsAsync(a => a.EntityType == nameof(AppUser) && a.EntityKey == userId.ToString()));
        Assert.Equal(AuditEvents.UserChanged, row.EventType);
        Assert.DoesNotContain("secret-hash-value", row.Changes);
        Assert.DoesNotContain("STAMP-SECRET", row.Changes);
        var diff = AuditQueries.Diff(row.Changes).ToDictionary(d => d.Field);
        Assert.Equal(("***", "***"), (diff["PasswordHash"].Old, diff["PasswordHash"].New));
        Assert.Equal("Renamed Budtender", diff["DisplayName"].New);
        // Identity tokens are not an audited entity at all.
        Assert.Empty(await RowsAsync(a => (a.Changes ?? "").Contains("token-secret")));
    }

    [Fact]
    public async Task The_app_role_cannot_update_or_delete_or_truncate_an_audit_row()
    {
        await using (var scope = db.As(TenantAdmin))
        {
            await scope.ServiceProvider.GetRequiredService<IAuditLog>().RecordAsync(AuditEvents.Exported, AuditSeverity.Info, new { test = "immutability" });
        }
        // The app role has no UPDATE, DELETE or TRUNCATE right on the table at all (it may read and insert)…
        var update = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsAppAsync("UPDATE agi_audit_logs SET severity = 'Critical'"));
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, update.SqlState);
        Assert.Contains("permission denied", update.MessageText);
        var delete = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsAppAsync("DELETE FROM agi_audit_logs"));
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, delete.SqlState);
        var truncate = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsAppAsync("TRUNCATE agi_audit_logs"));
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, truncate.SqlState);
        // …and even the owner, who has them, is stopped: updates by the append-only trigger, deletes already by row-level
        // security (forced on the owner too, and no policy allows a delete).
        var ownerUpdate = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync("UPDATE agi_audit_logs SET severity = 'Critical'"));
        Assert.Contains("immutable", ownerUpdate.MessageText);
        Assert.Equal(0, await ExecuteAsync("DELETE FROM agi_audit_logs"));
        Assert.NotEmpty(await RowsAsync(_ => true));
        // Forging the chain on insert is ignored: the database sets the chain, and only its sealer the sequence and hashes.
        await ExecuteAsAppAsync("""
            INSERT INTO agi_audit_logs (id, event_type, severity, occurred_at, chain, sequence, previous_hash, hash)
            VALUES (gen_random_uuid(), 'forged', 'Info', now(), gen_random_uuid(), 999, 'x', 'y')
            """);
        var forged = Assert.Single(await RowsAsync(a => a.EventType == "forged"));
        Assert.Equal(Guid.Empty, forged.Chain);
        Assert.NotEqual(999, forged.Sequence);
        Assert.NotEqual("y", forged.Hash);
    }

    [Fact]
    public async Task The_verifier_names_a_row_altered_or_deleted_by_raw_sql()
    {
        var tenant = DemoWorld.MapleLeaf;
        await using (var scope = db.As(MapleAdmin))
        {
            var log = scope.ServiceProvider.GetRequiredService<IAuditLog>();
            for (var i = 0; i < 5; i++)
            {
                await log.RecordAsync(AuditEvents.Exported, AuditSeverity.Info, new { n = i });
            }
        }
        var verifier = db.Services.GetRequiredService<AuditVerifier>();
        var ok = await verifier.VerifyAsync(tenant);
        Assert.True(ok.Intact, ok.Problem);
        var rows = await RowsAsync(a => a.Chain == tenant);
        var third = rows[2];

        // As the tables' owner (the migrations role; no superuser) the test switches the append-only trigger off for a moment:
        // exactly what an attacker with owner rights could do. The hash chain is what still catches it.
        await ExecuteAsync($$"""
            ALTER TABLE agi_audit_logs DISABLE TRIGGER agi_audit_logs_append_only;
            UPDATE agi_audit_logs SET details = '{"n": 99}' WHERE id = '{{third.Id}}';
            ALTER TABLE agi_audit_logs ENABLE TRIGGER agi_audit_logs_append_only;
            """);
        var altered = await verifier.VerifyAsync(tenant);
        Assert.False(altered.Intact);
        Assert.Equal(third.Sequence, altered.FirstBadSequence);
        Assert.Contains($"Row #{third.Sequence} was altered", altered.Problem);

        // Rewriting the row's hash too moves the break to the link in the next row.
        await ExecuteAsync($"""
            ALTER TABLE agi_audit_logs DISABLE TRIGGER agi_audit_logs_append_only, NO FORCE ROW LEVEL SECURITY;
            UPDATE agi_audit_logs SET hash = encode(sha256(convert_to(coalesce(previous_hash, '') || agi_audit_canonical(agi_audit_logs), 'UTF8')), 'hex')
                WHERE id = '{third.Id}';
            DELETE FROM agi_audit_logs WHERE id = '{rows[0].Id}';
            ALTER TABLE agi_audit_logs ENABLE TRIGGER agi_audit_logs_append_only, FORCE ROW LEVEL SECURITY;
            """);
        var missing = await verifier.VerifyAsync(tenant);
        Assert.False(missing.Intact);
        Assert.Equal(rows[0].Sequence, missing.FirstBadSequence);
        Assert.Contains("is missing", missing.Problem);
    }

    [Fact]
    public async Task A_writer_never_waits_for_its_chain_and_the_sealer_adds_its_rows_in_the_order_written()
    {
        var tenant = DemoWorld.MapleLeaf;
        var sealer = db.Services.GetRequiredService<AuditSealer>();
        await using (var scope = db.As(MapleAdmin))
        {
            await scope.ServiceProvider.GetRequiredService<IAuditLog>().RecordAsync(AuditEvents.Exported, AuditSeverity.Info, new { before = true });
        }
        await sealer.SealAsync();
        // Another sealer holds the chain's lock (as if it were sealing a large batch right now).
        await using var holder = new NpgsqlConnection(RowLevelSecurity.PlatformScope(db.ConnectionString));
        await holder.OpenAsync();
        await using (var take = new NpgsqlCommand($"SELECT pg_advisory_lock(1097, hashtext('{tenant}'))", holder))
        {
            await take.ExecuteNonQueryAsync();
        }
        // The writes still commit: a writer only inserts its row. (Had they queued on the lock, they would never finish
        // while it is held; the generous wait turns that into a failure instead of a hung test.)
        await using (var scope = db.As(MapleAdmin))
        {
            var log = scope.ServiceProvider.GetRequiredService<IAuditLog>();
            for (var i = 0; i < 3; i++)
            {
                await log.RecordAsync(AuditEvents.Exported, AuditSeverity.Info, new { written = i }).WaitAsync(TimeSpan.FromSeconds(30));
            }
        }
        var pending = await RowsAsync(a => a.Chain == tenant && (a.Details ?? "").Contains("written"), seal: false);
        Assert.Equal(3, pending.Count);
        Assert.All(pending, r => Assert.Null(r.Sequence));
        Assert.Equal(3, await sealer.PendingAsync(tenant));

        var sealing = sealer.SealAsync(tenant); // waits for the lock
        await using (var release = new NpgsqlCommand($"SELECT pg_advisory_unlock(1097, hashtext('{tenant}'))", holder))
        {
            await release.ExecuteNonQueryAsync();
        }
        Assert.Equal(3, await sealing);
        Assert.Equal(0, await sealer.PendingAsync(tenant));
        var chain = await RowsAsync(a => a.Chain == tenant, seal: false);
        var mine = chain.Where(r => (r.Details ?? "").Contains("written")).ToList();
        Assert.Equal(["{\"written\": 0}", "{\"written\": 1}", "{\"written\": 2}"], mine.Select(r => r.Details));
        Assert.Equal(Enumerable.Range(chain.Count - 2, 3).Select(i => (long?)i), mine.Select(r => r.Sequence));
        Assert.Equal(chain[^4].Hash, mine[0].PreviousHash);
        var status = await db.Services.GetRequiredService<AuditVerifier>().VerifyAsync(tenant);
        Assert.True(status.Intact, status.Problem);
        Assert.Equal(0, status.Pending);
    }

    [Fact]
    public async Task Only_the_sealer_fills_the_chain_fields_of_a_pending_row()
    {
        await using (var scope = db.As(TenantAdmin))
        {
            await scope.ServiceProvider.GetRequiredService<IAuditLog>().RecordAsync(AuditEvents.Exported, AuditSeverity.Info, new { pendingRow = true });
        }
        var row = Assert.Single(await RowsAsync(a => (a.Details ?? "").Contains("pendingRow"), seal: false));
        Assert.Null(row.Sequence);
        // The owner cannot fill them by hand…
        var owner = await Assert.ThrowsAsync<PostgresException>(() =>
            ExecuteAsync($"UPDATE agi_audit_logs SET sequence = 100000, previous_hash = 'x', hash = 'y' WHERE id = '{row.Id}'"));
        Assert.Contains("immutable", owner.MessageText);
        // …nor the app's role, even claiming to be the sealer: it has no right to update audit rows at all.
        var app = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsAppAsync(
            $"SELECT set_config('app.audit_sealing', 'on', false); UPDATE agi_audit_logs SET sequence = 100000, hash = 'y' WHERE id = '{row.Id}'"));
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, app.SqlState);
        // The app's role may run the sealer, which fills them by the chain's rule only.
        await ExecuteAsAppAsync("SELECT agi_audit_seal()");
        var sealedRow = Assert.Single(await RowsAsync(a => a.Id == row.Id, seal: false));
        Assert.NotEqual(100000, sealedRow.Sequence);
        Assert.NotNull(sealedRow.Sequence);
        Assert.Equal(AuditVerifier.Hash(sealedRow.PreviousHash, await CanonicalAsync(row.Id)), sealedRow.Hash);
        var status = await db.Services.GetRequiredService<AuditVerifier>().VerifyAsync(DemoWorld.NorthernLights);
        Assert.True(status.Intact, status.Problem);
    }

    private async Task<string> CanonicalAsync(Guid id)
    {
        await using var conn = new NpgsqlConnection(RowLevelSecurity.PlatformScope(db.ConnectionString));
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand($"SELECT agi_audit_canonical(a) FROM agi_audit_logs a WHERE a.id = '{id}'", conn);
        return (string)(await cmd.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task Twenty_parallel_writers_and_three_sealers_at_once_keep_one_linear_chain()
    {
        var tenant = DemoWorld.NorthernLights;
        var sealer = db.Services.GetRequiredService<AuditSealer>();
        using var stop = new CancellationTokenSource();
        // Three sealers (as three app instances would run) seal while the writers write.
        var sealers = Enumerable.Range(0, 3).Select(async _ =>
        {
            while (!stop.IsCancellationRequested)
            {
                await sealer.SealAsync();
                await Task.Delay(5);
            }
        }).ToList();
        await Task.WhenAll(Enumerable.Range(0, 20).Select(async i =>
        {
            await using var scope = db.As(TenantAdmin);
            await scope.ServiceProvider.GetRequiredService<IAuditLog>().RecordAsync(AuditEvents.Exported, AuditSeverity.Info, new { writer = i });
        }));
        await stop.CancelAsync();
        await Task.WhenAll(sealers);
        var chain = await RowsAsync(a => a.Chain == tenant);
        Assert.Equal(Enumerable.Range(1, chain.Count).Select(i => (long?)i), chain.Select(r => r.Sequence));
        for (var i = 1; i < chain.Count; i++)
        {
            Assert.Equal(chain[i - 1].Hash, chain[i].PreviousHash);
        }
        Assert.Equal(20, chain.Count(r => (r.Details ?? "").Contains("writer")));
        var status = await db.Services.GetRequiredService<AuditVerifier>().VerifyAsync(tenant);
        Assert.True(status.Intact, status.Problem);
    }

    [Fact]
    public async Task A_tenant_admin_sees_only_their_tenant_a_platform_admin_sees_all_and_a_budtender_is_refused()
    {
        await using (var scope = db.As(MapleAdmin))
        {
            await scope.ServiceProvider.GetRequiredService<IAuditLog>().RecordAsync(AuditEvents.Exported, AuditSeverity.Warning, new { who = "maple" });
        }
        await using (var scope = db.As(TenantAdmin))
        {
            await scope.ServiceProvider.GetRequiredService<IAuditLog>().RecordAsync(AuditEvents.Exported, AuditSeverity.Warning, new { who = "northern" });
        }
        var filter = new AuditFilter(EventType: AuditEvents.Exported);
        var northern = await As(db, TenantAdmin, sp => sp.GetRequiredService<AuditQueries>().SearchAsync(filter, 0, 100));
        Assert.All(northern.Value.Rows, r => Assert.Equal(DemoWorld.NorthernLights, r.TenantId));
        Assert.Contains(northern.Value.Rows, r => (r.Details ?? "").Contains("northern"));
        // A tenant admin's tenant filter for another tenant is ignored.
        var probe = await As(db, TenantAdmin, sp => sp.GetRequiredService<AuditQueries>().SearchAsync(filter with { TenantId = DemoWorld.MapleLeaf }, 0, 100));
        Assert.DoesNotContain(probe.Value.Rows, r => r.TenantId == DemoWorld.MapleLeaf);

        var all = await As(db, PlatformAdmin, sp => sp.GetRequiredService<AuditQueries>().SearchAsync(filter, 0, 100));
        Assert.Contains(all.Value.Rows, r => r.TenantId == DemoWorld.MapleLeaf);
        Assert.Contains(all.Value.Rows, r => r.TenantId == DemoWorld.NorthernLights);
        var maple = await As(db, PlatformAdmin, sp => sp.GetRequiredService<AuditQueries>().SearchAsync(filter with { TenantId = DemoWorld.MapleLeaf }, 0, 100));
        Assert.All(maple.Value.Rows, r => Assert.Equal(DemoWorld.MapleLeaf, r.TenantId));

        var refused = await As(db, Budtender, sp => sp.GetRequiredService<AuditQueries>().SearchAsync(filter, 0, 100));
        Assert.Equal(ErrorKind.Forbidden, refused.Error!.Kind);
        Assert.Contains(await RowsAsync(a => a.EventType == AuditEvents.PermissionDenied), r => r.UserId == Budtender.UserId);
    }

    [Fact]
    public async Task The_csv_export_holds_the_filtered_rows_and_is_itself_audited()
    {
        await using (var scope = db.As(TenantAdmin))
        {
            await scope.ServiceProvider.GetRequiredService<IAuditLog>().RecordAsync(AuditEvents.SignInFailed, AuditSeverity.Warning, new { email = "x@y.z", password = "hunter2" });
        }
        var csv = await As(db, TenantAdmin, sp => sp.GetRequiredService<AuditQueries>().ExportCsvAsync(new AuditFilter(EventType: AuditEvents.SignInFailed)));
        var lines = csv.Value.TrimEnd('\n').Split('\n');
        Assert.StartsWith("occurred_at,tenant,store,user,event_type", lines[0]);
        Assert.All(lines.Skip(1), l => Assert.Contains(AuditEvents.SignInFailed, l));
        Assert.DoesNotContain("hunter2", csv.Value);
        Assert.Contains(await RowsAsync(a => a.EventType == AuditEvents.Exported), r => (r.Details ?? "").Contains("audit_log"));
        var verified = await As(db, TenantAdmin, sp => sp.GetRequiredService<AuditQueries>().VerifyNowAsync());
        Assert.True(Assert.Single(verified.Value).Intact);
    }
}
