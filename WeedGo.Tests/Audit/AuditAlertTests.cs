using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WeedGo.Core.Accounts;
using WeedGo.Core.Audit;
using WeedGo.Core.Common;
using WeedGo.Core.Live;
using WeedGo.Tests.Support;

namespace WeedGo.Tests.Audit;

/// <summary>Alert rules over the audit log: the exact threshold, deduplication, windows, rule edits without a restart,
/// the inbox's tenant walls, acknowledge/resolve (audited, live).</summary>
public sealed class AuditAlertTests(DemoDatabaseFixture db) : IClassFixture<DemoDatabaseFixture>, IAsyncLifetime
{
    private static TestUser NorthernAdmin => TestUser.Staff(DemoWorld.User("admin@northernlights.demo"), DemoWorld.NorthernLights, Roles.TenantAdmin);
    private static TestUser MapleAdmin => TestUser.Staff(DemoWorld.User("admin@mapleleaf.demo"), DemoWorld.MapleLeaf, Roles.TenantAdmin);
    private static TestUser PlatformAdmin => TestUser.Platform(DemoWorld.User("platform@weedgo.demo"));
    private static TestUser Budtender => TestUser.Staff(DemoWorld.User("budtender@northernlights.demo"), DemoWorld.NorthernLights, Roles.Budtender, DemoWorld.QueenWest);

    private AuditAlertEvaluator Evaluator => db.Services.GetRequiredService<AuditAlertEvaluator>();

    public async Task InitializeAsync()
    {
        await DemoWorld.LoadAsync(db);
        await Evaluator.RunOnceAsync(); // seeds the default rules and reads past the demo world's rows
    }

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>One failed sign-in of <paramref name="user"/> 20 seconds after the previous event, as the sign-in page records it.</summary>
    private async Task FailAsync(Guid tenant, Guid user, string email, string ip = "203.0.113.7")
    {
        db.Clock.Advance(TimeSpan.FromSeconds(20));
        await using var scope = db.As(TestUser.Anonymous());
        scope.ServiceProvider.GetRequiredService<AuditRequestContext>().Set(ip, "test", "t");
        await scope.ServiceProvider.GetRequiredService<IAuditLog>().RecordAsync(AuditEvents.SignInFailed, AuditSeverity.Warning,
            new { email, method = "password", reason = "wrong_password" }, tenant, userId: user);
    }

    private async Task<List<AuditAlert>> AlertsAsync(Guid tenant, string groupKey)
    {
        await using var ctx = db.Context();
        return await ctx.AuditAlerts.AsNoTracking().Where(a => a.TenantId == tenant && a.GroupKey == groupKey).OrderBy(a => a.CreatedAt).ToListAsync();
    }

    [Fact]
    public async Task The_fifth_failed_sign_in_within_five_minutes_raises_one_alert_and_later_ones_only_count()
    {
        var user = Guid.CreateVersion7();
        for (var i = 1; i <= 4; i++)
        {
            await FailAsync(DemoWorld.NorthernLights, user, "victim1@example.test");
            var run = await Evaluator.RunOnceAsync();
            Assert.Empty(run.Raised);
            Assert.Empty(await AlertsAsync(DemoWorld.NorthernLights, user.ToString()));
        }

        await FailAsync(DemoWorld.NorthernLights, user, "victim1@example.test");
        var fifthAt = db.Clock.GetUtcNow();
        var fifth = await Evaluator.RunOnceAsync();
        var raised = Assert.Single(fifth.Raised);
        Assert.Equal(5, raised.Count);
        Assert.Equal(fifthAt, raised.TriggeredAt);
        Assert.Equal(AuditSeverity.Warning, raised.Severity);
        Assert.Equal(AlertStatus.Open, raised.Status);
        Assert.Contains("victim1@example.test", raised.Message);

        // The 6th and 7th (even evaluated together) update the same alert: no second alert while it is open.
        await FailAsync(DemoWorld.NorthernLights, user, "victim1@example.test");
        await FailAsync(DemoWorld.NorthernLights, user, "victim1@example.test");
        var later = await Evaluator.RunOnceAsync();
        Assert.Empty(later.Raised);
        var alert = Assert.Single(await AlertsAsync(DemoWorld.NorthernLights, user.ToString()));
        Assert.Equal(7, alert.Count);
        Assert.Equal(db.Clock.GetUtcNow(), alert.LastSeenAt);
        Assert.Equal(fifthAt, alert.TriggeredAt);

        // The raising is itself in the audit log (and alert events never count toward a rule).
        await using var ctx = db.Context();
        Assert.Single(await ctx.AuditLogs.Where(a => a.EventType == AuditEvents.AlertRaised && a.EntityKey == alert.Id.ToString()).ToListAsync());
    }

    [Fact]
    public async Task Five_events_processed_in_one_run_raise_exactly_one_alert_at_the_fifth()
    {
        var user = Guid.CreateVersion7();
        for (var i = 1; i <= 6; i++)
        {
            await FailAsync(DemoWorld.NorthernLights, user, "victim2@example.test");
        }
        var run = await Evaluator.RunOnceAsync();
        var alert = Assert.Single(run.Raised);
        Assert.Equal(6, Assert.Single(await AlertsAsync(DemoWorld.NorthernLights, user.ToString())).Count);
        Assert.Equal(db.Clock.GetUtcNow() - TimeSpan.FromSeconds(20), alert.TriggeredAt); // the 5th, not the 6th
    }

    [Fact]
    public async Task Failures_spread_wider_than_the_window_raise_nothing_and_other_users_do_not_add_up()
    {
        var user = Guid.CreateVersion7();
        for (var i = 1; i <= 4; i++)
        {
            await FailAsync(DemoWorld.NorthernLights, user, "victim3@example.test");
        }
        db.Clock.Advance(TimeSpan.FromMinutes(5));
        await FailAsync(DemoWorld.NorthernLights, user, "victim3@example.test");
        // Four other accounts failing once each in the same minutes are their own groups.
        for (var i = 0; i < 4; i++)
        {
            await FailAsync(DemoWorld.NorthernLights, Guid.CreateVersion7(), $"other{i}@example.test");
        }
        var run = await Evaluator.RunOnceAsync();
        Assert.DoesNotContain(run.Raised, a => a.GroupKey == user.ToString());
        Assert.Empty(await AlertsAsync(DemoWorld.NorthernLights, user.ToString()));
    }

    [Fact]
    public async Task A_rule_edit_takes_effect_on_the_next_events_without_a_restart()
    {
        var rules = await As(MapleAdmin, sp => sp.GetRequiredService<AuditAlertQueries>().RulesAsync());
        var rule = Assert.Single(rules.Value, r => r.Key == "failed-sign-ins");
        Assert.Equal((5, 300), (rule.Threshold, rule.WindowSeconds));
        var edit = new AlertRuleEdit(rule.Name, rule.EventTypes, rule.MinSeverity, 3, 600, AuditSeverity.Error, rule.GroupBy, true);
        Assert.True((await As(MapleAdmin, sp => sp.GetRequiredService<AuditAlertService>().UpdateRuleAsync(rule.Id, edit))).Succeeded);

        var user = Guid.CreateVersion7();
        for (var i = 1; i <= 3; i++)
        {
            await FailAsync(DemoWorld.MapleLeaf, user, "victim4@example.test");
        }
        var run = await Evaluator.RunOnceAsync(); // the same evaluator instance that read the old rule before
        var alert = Assert.Single(run.Raised, a => a.GroupKey == user.ToString());
        Assert.Equal((3, AuditSeverity.Error), (alert.Count, alert.Severity));

        // The edit is audited, and a tenant admin cannot edit another tenant's rule.
        await using (var ctx = db.Context())
        {
            Assert.Contains(await ctx.AuditLogs.Where(a => a.EventType == AuditEvents.AlertRuleChanged && a.TenantId == DemoWorld.MapleLeaf).ToListAsync(),
                a => a.Changes!.Contains("\"Threshold\""));
        }
        var refused = await As(NorthernAdmin, sp => sp.GetRequiredService<AuditAlertService>().UpdateRuleAsync(rule.Id, edit));
        Assert.Equal(ErrorKind.NotFound, refused.Error!.Kind);
        // Disabled: no alert at all.
        Assert.True((await As(MapleAdmin, sp => sp.GetRequiredService<AuditAlertService>().UpdateRuleAsync(rule.Id, edit with { Enabled = false }))).Succeeded);
        var other = Guid.CreateVersion7();
        for (var i = 1; i <= 4; i++)
        {
            await FailAsync(DemoWorld.MapleLeaf, other, "victim5@example.test");
        }
        Assert.DoesNotContain((await Evaluator.RunOnceAsync()).Raised, a => a.GroupKey == other.ToString());
        Assert.True((await As(MapleAdmin, sp => sp.GetRequiredService<AuditAlertService>().UpdateRuleAsync(rule.Id, edit with { Threshold = 5, WindowSeconds = 300, Severity = AuditSeverity.Warning }))).Succeeded);
    }

    [Fact]
    public async Task A_tenant_admin_cannot_see_or_acknowledge_another_tenants_alert_and_the_owner_can_with_a_note()
    {
        var user = Guid.CreateVersion7();
        for (var i = 1; i <= 5; i++)
        {
            await FailAsync(DemoWorld.NorthernLights, user, "victim6@example.test");
        }
        var received = new List<AuditAlertChanged>();
        using var sub = db.Services.GetRequiredService<ILiveEvents>().Subscribe<AuditAlertChanged>(DemoWorld.NorthernLights, e => { lock (received) { received.Add(e); } return Task.CompletedTask; });
        var alert = Assert.Single((await Evaluator.RunOnceAsync()).Raised, a => a.GroupKey == user.ToString());
        Assert.Contains(received, e => e.AlertId == alert.Id && e.IsNew && e.Status == AlertStatus.Open);

        var maple = await As(MapleAdmin, sp => sp.GetRequiredService<AuditAlertQueries>().SearchAsync(new AlertFilter(), 0, 200));
        Assert.DoesNotContain(maple.Value.Rows, r => r.Id == alert.Id);
        Assert.All(maple.Value.Rows, r => Assert.Equal(DemoWorld.MapleLeaf, r.TenantId));
        // Asking for Northern Lights by filter changes nothing for a tenant admin.
        var probe = await As(MapleAdmin, sp => sp.GetRequiredService<AuditAlertQueries>().SearchAsync(new AlertFilter(TenantId: DemoWorld.NorthernLights), 0, 200));
        Assert.DoesNotContain(probe.Value.Rows, r => r.Id == alert.Id);
        var ack = await As(MapleAdmin, sp => sp.GetRequiredService<AuditAlertService>().AcknowledgeAsync(alert.Id, "not mine"));
        Assert.Equal(ErrorKind.NotFound, ack.Error!.Kind);
        var resolve = await As(MapleAdmin, sp => sp.GetRequiredService<AuditAlertService>().ResolveAsync(alert.Id, null));
        Assert.Equal(ErrorKind.NotFound, resolve.Error!.Kind);
        Assert.Equal(0, await As(Budtender, sp => sp.GetRequiredService<AuditAlertQueries>().OpenCountAsync()));
        Assert.False((await As(Budtender, sp => sp.GetRequiredService<AuditAlertService>().AcknowledgeAsync(alert.Id, null))).Succeeded);

        var platform = await As(PlatformAdmin, sp => sp.GetRequiredService<AuditAlertQueries>().SearchAsync(new AlertFilter(TenantId: DemoWorld.NorthernLights), 0, 200));
        Assert.Contains(platform.Value.Rows, r => r.Id == alert.Id && r.TenantName == "Northern Lights Cannabis Co.");
        var openBefore = await As(NorthernAdmin, sp => sp.GetRequiredService<AuditAlertQueries>().OpenCountAsync());
        Assert.True(openBefore >= 1);

        Assert.True((await As(NorthernAdmin, sp => sp.GetRequiredService<AuditAlertService>().AcknowledgeAsync(alert.Id, "  looking into it "))).Succeeded);
        Assert.Equal(openBefore - 1, await As(NorthernAdmin, sp => sp.GetRequiredService<AuditAlertQueries>().OpenCountAsync()));
        Assert.Equal(ErrorKind.Conflict, (await As(NorthernAdmin, sp => sp.GetRequiredService<AuditAlertService>().AcknowledgeAsync(alert.Id, null))).Error!.Kind);
        Assert.True((await As(NorthernAdmin, sp => sp.GetRequiredService<AuditAlertService>().ResolveAsync(alert.Id, "password reset, IP blocked"))).Succeeded);
        Assert.Contains(received, e => e.AlertId == alert.Id && e.Status == AlertStatus.Resolved);

        var row = Assert.Single((await As(NorthernAdmin, sp => sp.GetRequiredService<AuditAlertQueries>().SearchAsync(new AlertFilter(Status: AlertStatus.Resolved), 0, 200))).Value.Rows,
            r => r.Id == alert.Id);
        Assert.Equal(("looking into it", "password reset, IP blocked", "admin@northernlights.demo"), (row.AcknowledgeNote, row.ResolveNote, row.ResolvedBy));
        await using var ctx = db.Context();
        var events = (await ctx.AuditLogs.Where(a => a.TenantId == DemoWorld.NorthernLights && a.EventType.StartsWith("alert.")).ToListAsync())
            .Where(a => a.Details!.Contains(alert.Id.ToString())).Select(a => a.EventType).ToList();
        Assert.Equal([AuditEvents.AlertAcknowledged, AuditEvents.AlertResolved], events.Where(e => e != AuditEvents.AlertRaised).Order().ToList());

        // Resolved: the next failures must reach the threshold again (counted from the resolution) before a new alert.
        for (var i = 1; i <= 4; i++)
        {
            await FailAsync(DemoWorld.NorthernLights, user, "victim6@example.test");
        }
        Assert.DoesNotContain((await Evaluator.RunOnceAsync()).Raised, a => a.GroupKey == user.ToString());
        await FailAsync(DemoWorld.NorthernLights, user, "victim6@example.test");
        Assert.Single((await Evaluator.RunOnceAsync()).Raised, a => a.GroupKey == user.ToString());
    }

    [Fact]
    public async Task A_critical_event_raises_a_critical_alert_and_unknown_accounts_are_counted_on_the_platform_by_email()
    {
        await using (var scope = db.As(TestUser.Anonymous()))
        {
            await scope.ServiceProvider.GetRequiredService<IAuditLog>().RecordAsync(AuditEvents.ChainVerified, AuditSeverity.Critical,
                new { broken = 1 }, DemoWorld.MapleLeaf);
        }
        for (var i = 0; i < 5; i++)
        {
            db.Clock.Advance(TimeSpan.FromSeconds(5));
            await using var scope = db.As(TestUser.Anonymous());
            await scope.ServiceProvider.GetRequiredService<IAuditLog>().RecordAsync(AuditEvents.SignInFailed, AuditSeverity.Warning,
                new { email = "Nobody@Example.test", reason = "unknown_account" }, platform: true);
        }
        var run = await Evaluator.RunOnceAsync();
        Assert.Contains(run.Raised, a => a.TenantId == DemoWorld.MapleLeaf && a.Severity == AuditSeverity.Critical && a.RuleName == "Security threat");
        var platform = Assert.Single(run.Raised, a => a.TenantId == AuditAlertDefaults.PlatformTenant);
        Assert.Equal("email:nobody@example.test", platform.GroupKey);

        // The platform's alerts are the platform admin's only.
        var mine = await As(MapleAdmin, sp => sp.GetRequiredService<AuditAlertQueries>().SearchAsync(new AlertFilter(), 0, 200));
        Assert.DoesNotContain(mine.Value.Rows, r => r.Id == platform.Id);
        var all = await As(PlatformAdmin, sp => sp.GetRequiredService<AuditAlertQueries>().SearchAsync(new AlertFilter(TenantId: AuditAlertDefaults.PlatformTenant), 0, 200));
        Assert.Contains(all.Value.Rows, r => r.Id == platform.Id && r.TenantName == "Platform");
        Assert.True((await As(PlatformAdmin, sp => sp.GetRequiredService<AuditAlertService>().AcknowledgeAsync(platform.Id, null))).Succeeded);
        await using var ctx = db.Context();
        var ackEvent = Assert.Single(await ctx.AuditLogs.Where(a => a.EventType == AuditEvents.AlertAcknowledged).ToListAsync(),
            a => a.Details!.Contains(platform.Id.ToString()));
        Assert.Null(ackEvent.TenantId); // on the platform chain
    }

    [Fact]
    public void The_signal_wakes_the_evaluator_only_for_events_a_rule_counts()
    {
        var signal = new AuditAlertSignal();
        Assert.True(signal.Matters(AuditEvents.StockAdjusted, AuditSeverity.Info)); // before the first evaluation: everything
        signal.Watch(AuditAlertDefaults.For(Guid.Empty));
        Assert.True(signal.Matters(AuditEvents.SignInFailed, AuditSeverity.Warning));
        Assert.True(signal.Matters(AuditEvents.RateLimitViolated, AuditSeverity.Info));
        Assert.True(signal.Matters(AuditEvents.StockAdjusted, AuditSeverity.Critical));
        Assert.False(signal.Matters(AuditEvents.StockAdjusted, AuditSeverity.Info));
        Assert.False(signal.Matters(AuditEvents.PriceChanged, AuditSeverity.Warning));
    }

    [Fact]
    public void A_rule_without_event_types_or_severity_is_refused()
    {
        var edit = new AlertRuleEdit("All", [], null, 1, 60, AuditSeverity.Info, AlertGrouping.Tenant, true);
        Assert.NotNull(AuditAlertService.Validate(edit));
        Assert.NotNull(AuditAlertService.Validate(edit with { EventTypes = [AuditEvents.AlertRaised] }));
        Assert.NotNull(AuditAlertService.Validate(edit with { EventTypes = [AuditEvents.SignInFailed], Threshold = 0 }));
        Assert.Null(AuditAlertService.Validate(edit with { MinSeverity = AuditSeverity.Error }));
    }

    private Task<T> As<T>(TestUser user, Func<IServiceProvider, Task<T>> act) => Inventory.InventoryKit.As(db, user, act);
}
