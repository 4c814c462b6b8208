using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using WeedGo.Core.Accounts;
using WeedGo.Core.Audit;
using WeedGo.Core.Data;
using WeedGo.Tests.Support;
using WeedGo.Web.Live;

namespace WeedGo.Tests.Audit;

/// <summary>The two default rules nothing fed before: errors the app logs become <c>system.error</c> events (3 in 5 minutes
/// raise the platform's "System errors" alert), and a tampered chain found by the scheduled verifier is a
/// <c>security.threat</c> (Critical) on that chain, which raises the tenant's "Security threat" alert at once.</summary>
public sealed class SystemEventTests(DemoDatabaseFixture db) : IClassFixture<DemoDatabaseFixture>, IAsyncLifetime
{
    private static TestUser MapleAdmin => TestUser.Staff(DemoWorld.User("admin@mapleleaf.demo"), DemoWorld.MapleLeaf, Roles.TenantAdmin);

    private AuditAlertEvaluator Evaluator => db.Services.GetRequiredService<AuditAlertEvaluator>();

    public async Task InitializeAsync()
    {
        await DemoWorld.LoadAsync(db);
        await Evaluator.RunOnceAsync(); // seeds the default rules and reads past the demo world's rows
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<List<AuditLogEntry>> EventsAsync(string type)
    {
        await using var ctx = db.Context();
        return await ctx.AuditLogs.AsNoTracking().Where(a => a.EventType == type).OrderBy(a => a.OccurredAt).ToListAsync();
    }

    [Fact]
    public async Task Three_errors_the_app_logs_within_five_minutes_raise_the_platform_system_errors_alert()
    {
        var feed = db.Services.GetRequiredService<SystemErrorFeed>();
        var recorder = db.Services.GetRequiredService<SystemErrorRecorder>();
        using var provider = new SystemErrorLoggerProvider(feed);
        var logger = provider.CreateLogger("WeedGo.Web.Endpoints.CheckoutEndpoints");

        // Not the app failing: a cancelled request, a visitor who closed the tab; warnings are not errors.
        logger.LogError(new OperationCanceledException(), "The request was cancelled");
        logger.LogError(new IOException("connection reset"), "The client went away");
        logger.LogWarning(new InvalidOperationException("meh"), "Only a warning");
        Assert.Equal(0, await recorder.DrainAsync());
        // The audit machinery (which could feed itself) and EF Core (which logs failures the code expects) are not watched.
        Assert.False(SystemErrorLoggerProvider.Watches("WeedGo.Core.Audit.AuditSealer"));
        Assert.False(SystemErrorLoggerProvider.Watches("Microsoft.EntityFrameworkCore.Database.Command"));
        Assert.IsType<NullLogger>(provider.CreateLogger("Microsoft.EntityFrameworkCore.Update"));
        Assert.True(SystemErrorLoggerProvider.Watches("Microsoft.AspNetCore.Components.Server.Circuits.CircuitHost"));

        for (var i = 1; i <= 2; i++)
        {
            db.Clock.Advance(TimeSpan.FromSeconds(20));
            logger.LogError(new InvalidOperationException($"boom {i}"), "Unhandled exception rendering the checkout");
            logger.LogError(new InvalidOperationException("again"), "The same failure in a loop"); // within a second: dropped
            Assert.Equal(1, await recorder.DrainAsync());
            Assert.DoesNotContain((await Evaluator.RunOnceAsync()).Raised, a => a.RuleName == "System errors");
        }
        db.Clock.Advance(TimeSpan.FromSeconds(20));
        logger.LogCritical(new TimeoutException("database"), "The database did not answer");
        Assert.Equal(1, await recorder.DrainAsync());
        var raised = Assert.Single((await Evaluator.RunOnceAsync()).Raised, a => a.RuleName == "System errors");
        Assert.Equal(AuditAlertDefaults.PlatformTenant, raised.TenantId);
        Assert.Equal(AuditSeverity.Error, raised.Severity);
        Assert.Equal(3, raised.Count);

        var events = await EventsAsync(AuditEvents.SystemError);
        Assert.Equal(3, events.Count);
        Assert.All(events, e => Assert.Null(e.TenantId));
        Assert.Contains("System.InvalidOperationException", events[0].Details);
        Assert.Contains("WeedGo.Web.Endpoints.CheckoutEndpoints", events[0].Details);
        Assert.Contains("System.TimeoutException", events[2].Details);
    }

    [Fact]
    public async Task A_tampered_chain_found_by_the_scheduled_verifier_is_a_security_threat_that_alerts_its_tenant_at_once()
    {
        await using (var scope = db.As(MapleAdmin))
        {
            var log = scope.ServiceProvider.GetRequiredService<IAuditLog>();
            for (var i = 0; i < 3; i++)
            {
                await log.RecordAsync(AuditEvents.Exported, AuditSeverity.Info, new { n = i });
            }
        }
        var service = new AuditVerificationService(db.Services.GetRequiredService<IServiceScopeFactory>(),
            db.Services.GetRequiredService<IOptions<AuditOptions>>(), db.Clock, NullLogger<AuditVerificationService>.Instance);
        var clean = await service.RunOnceAsync();
        Assert.All(clean, c => Assert.True(c.Intact, c.Problem));
        Assert.Empty(await EventsAsync(AuditEvents.SecurityThreat));

        // Someone with the owner's rights rewrites a row behind the trigger's back.
        await using (var conn = new NpgsqlConnection(RowLevelSecurity.PlatformScope(db.ConnectionString)))
        {
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand($$"""
                ALTER TABLE agi_audit_logs DISABLE TRIGGER agi_audit_logs_append_only;
                UPDATE agi_audit_logs SET details = '{"n": 42}' WHERE chain = '{{DemoWorld.MapleLeaf}}' AND details = '{"n": 1}';
                ALTER TABLE agi_audit_logs ENABLE TRIGGER agi_audit_logs_append_only;
                """, conn);
            await cmd.ExecuteNonQueryAsync();
        }
        var broken = await service.RunOnceAsync();
        Assert.Contains(broken, c => c.TenantId == DemoWorld.MapleLeaf && !c.Intact);

        var threat = Assert.Single(await EventsAsync(AuditEvents.SecurityThreat));
        Assert.Equal(DemoWorld.MapleLeaf, threat.TenantId);
        Assert.Equal(AuditSeverity.Critical, threat.Severity);
        Assert.Contains("was altered", threat.Details);
        var alert = Assert.Single((await Evaluator.RunOnceAsync()).Raised, a => a.RuleName == "Security threat");
        Assert.Equal(DemoWorld.MapleLeaf, alert.TenantId);
        Assert.Equal(AuditSeverity.Critical, alert.Severity);
    }
}
