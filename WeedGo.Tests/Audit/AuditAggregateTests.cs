using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using WeedGo.Core.Accounts;
using WeedGo.Core.Audit;
using WeedGo.Tests.Support;

namespace WeedGo.Tests.Audit;

/// <summary>The aggregates equal the raw log (hourly and daily, per type and severity, distinct users), stay equal after more
/// rows (incremental) and after a repeated run (idempotent); the dashboard reads them within the caller's tenant.</summary>
public sealed class AuditAggregateTests(DemoDatabaseFixture db) : IClassFixture<DemoDatabaseFixture>, IAsyncLifetime
{
    public Task InitializeAsync() => DemoWorld.LoadAsync(db);
    public Task DisposeAsync() => Task.CompletedTask;

    private async Task WriteAsync(Guid? tenant, string type, AuditSeverity severity, Guid? user)
    {
        await using var scope = db.As(TestUser.Anonymous());
        await scope.ServiceProvider.GetRequiredService<IAuditLog>().RecordAsync(type, severity, new { n = 1 }, tenant, userId: user, platform: tenant is null);
    }

    private sealed record Count(Guid Tenant, string Period, DateTime Bucket, string Type, string Severity, long N, int Users);

    private async Task<List<Count>> ReadAsync(string sql)
    {
        // Every tenant's rows: the owner is under forced row-level security too.
        await using var conn = new NpgsqlConnection(Core.Data.RowLevelSecurity.PlatformScope(db.ConnectionString));
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        await using var r = await cmd.ExecuteReaderAsync();
        var list = new List<Count>();
        while (await r.ReadAsync())
        {
            list.Add(new Count(r.GetGuid(0), r.GetString(1), r.GetDateTime(2), r.GetString(3), r.GetString(4), r.GetInt64(5), r.GetInt32(6)));
        }
        return list.OrderBy(c => c.Tenant).ThenBy(c => c.Period).ThenBy(c => c.Bucket).ThenBy(c => c.Type).ThenBy(c => c.Severity).ToList();
    }

    private const string Raw = """
        SELECT coalesce(tenant_id, '00000000-0000-0000-0000-000000000000'::uuid), p.period,
               date_trunc(lower(p.period), occurred_at, 'UTC'), event_type, severity, count(*), count(DISTINCT user_id)::int
        FROM agi_audit_logs CROSS JOIN (VALUES ('Hour'), ('Day')) AS p(period) GROUP BY 1, 2, 3, 4, 5
        """;

    private const string Aggregated = "SELECT tenant_id, period, bucket_start, event_type, severity, count, unique_users FROM agi_audit_aggregates";

    [Fact]
    public async Task Aggregates_equal_the_raw_counts_after_each_incremental_run_and_a_repeated_run_changes_nothing()
    {
        var aggregator = db.Services.GetRequiredService<AuditAggregator>();
        var alice = Guid.CreateVersion7();
        var bob = Guid.CreateVersion7();
        await aggregator.RunOnceAsync(); // whatever the demo world wrote

        // Events over three hours across midnight UTC, in two tenants and the platform chain, by two users and nobody.
        db.Clock.SetUtcNow(new DateTimeOffset(2026, 11, 25, 22, 50, 0, TimeSpan.Zero));
        foreach (var (tenant, user) in new (Guid?, Guid?)[] { (DemoWorld.NorthernLights, alice), (DemoWorld.NorthernLights, bob), (DemoWorld.NorthernLights, alice), (DemoWorld.MapleLeaf, null), (null, bob) })
        {
            await WriteAsync(tenant, AuditEvents.SignInFailed, AuditSeverity.Warning, user);
        }
        db.Clock.Advance(TimeSpan.FromMinutes(30)); // 23:20
        await WriteAsync(DemoWorld.NorthernLights, AuditEvents.SignInSucceeded, AuditSeverity.Info, alice);
        await WriteAsync(DemoWorld.NorthernLights, AuditEvents.PermissionDenied, AuditSeverity.Warning, bob);
        var first = await aggregator.RunOnceAsync();
        Assert.True(first.RowsRead >= 7);
        Assert.Equal(await ReadAsync(Raw), await ReadAsync(Aggregated));

        db.Clock.Advance(TimeSpan.FromMinutes(50)); // 00:10 the next day
        await WriteAsync(DemoWorld.NorthernLights, AuditEvents.SignInFailed, AuditSeverity.Warning, alice);
        await WriteAsync(DemoWorld.NorthernLights, AuditEvents.SignInFailed, AuditSeverity.Warning, Guid.CreateVersion7());
        await WriteAsync(DemoWorld.MapleLeaf, AuditEvents.ChainVerified, AuditSeverity.Critical, null);
        var second = await aggregator.RunOnceAsync();
        Assert.Equal(3, second.RowsRead);
        Assert.Equal(await ReadAsync(Raw), await ReadAsync(Aggregated));

        var before = await ReadAsync(Aggregated);
        var third = await aggregator.RunOnceAsync();
        Assert.Equal(0, third.RowsRead);
        Assert.Equal(before, await ReadAsync(Aggregated));

        // Spot check one bucket: 22:00 Northern Lights sign-in failures: 3 events by 2 users.
        var bucket = Assert.Single(before, c => c.Tenant == DemoWorld.NorthernLights && c.Period == "Hour"
            && c.Bucket == new DateTime(2026, 11, 25, 22, 0, 0) && c.Type == AuditEvents.SignInFailed);
        Assert.Equal((3L, 2), (bucket.N, bucket.Users));

        // The dashboard: the tenant admin's day series add up to their tenant's raw count, never Maple Leaf's.
        await using var scope = db.As(TestUser.Staff(DemoWorld.User("admin@northernlights.demo"), DemoWorld.NorthernLights, Roles.TenantAdmin));
        var dash = await scope.ServiceProvider.GetRequiredService<AuditDashboardQueries>().LoadAsync(AggregatePeriod.Day);
        Assert.True(dash.Succeeded);
        var rawNorthern = before.Where(c => c.Tenant == DemoWorld.NorthernLights && c.Period == "Day" && c.Bucket >= new DateTime(2026, 11, 13)).Sum(c => c.N);
        Assert.Equal(rawNorthern, dash.Value.Total);
        Assert.Equal(rawNorthern, (long)dash.Value.BySeverity.Sum(s => s.Values.Sum()));
        Assert.Equal(rawNorthern, (long)dash.Value.ByType.Sum(s => s.Values.Sum()));
        var hourly = await scope.ServiceProvider.GetRequiredService<AuditDashboardQueries>().LoadAsync(AggregatePeriod.Hour);
        var rawHours = before.Where(c => c.Tenant == DemoWorld.NorthernLights && c.Period == "Hour"
            && c.Bucket > new DateTime(2026, 11, 25, 0, 10, 0) && c.Bucket <= new DateTime(2026, 11, 26, 0, 10, 0)).Sum(c => c.N);
        Assert.Equal(rawHours, hourly.Value.Total);
        Assert.Equal(24, hourly.Value.Labels.Count);
        var warningsAt22 = hourly.Value.BySeverity.Single(s => s.Name == nameof(AuditSeverity.Warning)).Values[hourly.Value.Buckets.ToList()
            .FindIndex(b => b == new DateTimeOffset(2026, 11, 25, 22, 0, 0, TimeSpan.Zero))];
        Assert.Equal(3, warningsAt22); // Northern Lights' three failures at 22:50, not Maple Leaf's or the platform's
        Assert.Contains(dash.Value.TopTypes, t => t.EventType == AuditEvents.SignInFailed);
    }

    [Fact]
    public async Task A_budtender_cannot_read_the_dashboard()
    {
        await using var scope = db.As(TestUser.Staff(DemoWorld.User("budtender@northernlights.demo"), DemoWorld.NorthernLights, Roles.Budtender, DemoWorld.QueenWest));
        var dash = await scope.ServiceProvider.GetRequiredService<AuditDashboardQueries>().LoadAsync(AggregatePeriod.Hour);
        Assert.False(dash.Succeeded);
    }
}
