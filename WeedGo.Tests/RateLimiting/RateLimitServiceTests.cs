using Microsoft.EntityFrameworkCore;
using WeedGo.Core.Audit;
using WeedGo.Core.Common;
using WeedGo.Core.RateLimiting;
using WeedGo.Tests.Support;
using static WeedGo.Tests.RateLimiting.RateLimitKit;

namespace WeedGo.Tests.RateLimiting;

/// <summary>The admin side: who may see and change which rules, validation, audited changes, seeded defaults.</summary>
public sealed class RateLimitServiceTests(RateLimitDatabaseFixture db) : IClassFixture<RateLimitDatabaseFixture>
{
    [Fact]
    public async Task The_defaults_from_the_domain_rules_are_seeded_platform_wide()
    {
        var rules = await AdminAsync(db.Services, Platform, s => s.RulesAsync());
        var byId = rules.Value.ToDictionary(r => r.Id);
        var user = byId[RateLimitDefaults.PerUserRequests];
        Assert.Equal((RateLimitScope.User, "/api", 100, 100, 60, 20), (user.Scope, user.Target, user.Capacity, user.TokensPerPeriod, user.PeriodSeconds, user.Burst));
        var ip = byId[RateLimitDefaults.PerIpRequests];
        Assert.Equal((RateLimitScope.Ip, 500, 60, 0), (ip.Scope, ip.TokensPerPeriod, ip.PeriodSeconds, ip.Burst));
        var ai = byId[RateLimitDefaults.AiCalls];
        Assert.Equal((RateOperations.AiModel, 50, 3600), (ai.Target, ai.TokensPerPeriod, ai.PeriodSeconds));
        Assert.All(rules.Value.Where(r => RateLimitDefaults.Rules.Any(d => d.Id == r.Id)), r => Assert.Null(r.TenantId));
    }

    [Fact]
    public async Task A_tenant_admin_cannot_touch_another_tenants_rules_or_the_platform_rules()
    {
        var maple = await CreateAsync(db.Services, Rule(RateOperations.Search, 50, 50, 60, tenant: DemoWorld.MapleLeaf), MapleAdmin);

        var create = await AdminAsync(db.Services, NorthernAdmin, s => s.CreateAsync(Rule(RateOperations.Search, 5, 5, 60, tenant: DemoWorld.MapleLeaf)));
        Assert.Equal(ErrorKind.Forbidden, create.Error!.Kind);
        var platformWide = await AdminAsync(db.Services, NorthernAdmin, s => s.CreateAsync(Rule(RateOperations.Search, 5, 5, 60)));
        Assert.Equal(ErrorKind.Forbidden, platformWide.Error!.Kind);
        var edit = await AdminAsync(db.Services, NorthernAdmin, s => s.UpdateAsync(maple.Id,
            Rule(RateOperations.Search, 1, 1, 60, tenant: DemoWorld.MapleLeaf), maple.Version));
        Assert.Equal(ErrorKind.NotFound, edit.Error!.Kind); // not even visible
        var off = await AdminAsync(db.Services, NorthernAdmin, s => s.SetEnabledAsync(maple.Id, false));
        Assert.Equal(ErrorKind.NotFound, off.Error!.Kind);
        var seeded = await AdminAsync(db.Services, NorthernAdmin, s => s.SetEnabledAsync(RateLimitDefaults.SignIn, false));
        Assert.Equal(ErrorKind.Forbidden, seeded.Error!.Kind);

        // What the Northern Lights admin sees: the platform rules (read only) and none of Maple Leaf's.
        var list = (await AdminAsync(db.Services, NorthernAdmin, s => s.RulesAsync())).Value;
        Assert.DoesNotContain(list, r => r.TenantId == DemoWorld.MapleLeaf);
        Assert.All(list.Where(r => r.TenantId is null), r => Assert.False(r.CanEdit));
        // A customer may not read the rules at all.
        var customer = await AdminAsync(db.Services, Shopper(), s => s.RulesAsync());
        Assert.Equal(ErrorKind.Forbidden, customer.Error!.Kind);

        await using var ctx = db.Context();
        var unchanged = await ctx.RateLimitRules.AsNoTracking().SingleAsync(r => r.Id == maple.Id);
        Assert.Equal((50, true), (unchanged.Capacity, unchanged.Enabled));
    }

    [Fact]
    public async Task A_tenant_admin_adds_a_rule_for_their_tenant_and_every_change_is_audited()
    {
        var rule = await CreateAsync(db.Services, Rule(RateOperations.Checkout, 4, 4, 60, tenant: DemoWorld.NorthernLights, name: "Checkout, Northern Lights"), NorthernAdmin);
        Assert.True(rule.CanEdit);
        var changed = await AdminAsync(db.Services, NorthernAdmin, s => s.UpdateAsync(rule.Id,
            Rule(RateOperations.Checkout, 6, 4, 60, burst: 2, tenant: DemoWorld.NorthernLights, name: "Checkout, Northern Lights"), rule.Version));
        Assert.True(changed.Succeeded, changed.Error?.Message);
        // A stale form (the version it loaded) does not overwrite the newer change.
        var stale = await AdminAsync(db.Services, NorthernAdmin, s => s.UpdateAsync(rule.Id,
            Rule(RateOperations.Checkout, 1, 1, 60, tenant: DemoWorld.NorthernLights, name: "x"), rule.Version));
        Assert.Equal(ErrorKind.Conflict, stale.Error!.Kind);

        await using var ctx = db.Context();
        var rows = (await ctx.AuditLogs.AsNoTracking().Where(a => a.EntityType == nameof(RateLimitRule)).ToListAsync())
            .Where(a => a.EntityKey == rule.Id.ToString()).OrderBy(a => a.OccurredAt).ThenBy(a => a.Action == "insert" ? 0 : 1).ToList();
        Assert.Equal(["insert", "update"], rows.Select(r => r.Action));
        Assert.All(rows, r => Assert.Equal((DemoWorld.NorthernLights, NorthernAdmin.UserId), (r.TenantId, r.UserId)));
        var diff = AuditQueries.Diff(rows[1].Changes).ToDictionary(d => d.Field);
        Assert.Equal(("4", "6"), (diff[nameof(RateLimitRule.Capacity)].Old, diff[nameof(RateLimitRule.Capacity)].New));
        Assert.Equal(("0", "2"), (diff[nameof(RateLimitRule.Burst)].Old, diff[nameof(RateLimitRule.Burst)].New));
        Assert.False(diff.ContainsKey(nameof(RateLimitRule.Version)));
    }

    [Theory]
    [InlineData("", RateLimitTargetKind.Operation, "sign-in", 1, 1, 60, 0, "name")]
    [InlineData("x", RateLimitTargetKind.Operation, "dance", 1, 1, 60, 0, "operation")]
    [InlineData("x", RateLimitTargetKind.Endpoint, "/health", 1, 1, 60, 0, "/api")]
    [InlineData("x", RateLimitTargetKind.Endpoint, "/api/*", 1, 1, 60, 0, "/api")]
    [InlineData("x", RateLimitTargetKind.Operation, "sign-in", 0, 1, 60, 0, "Capacity")]
    [InlineData("x", RateLimitTargetKind.Operation, "sign-in", 1, 0, 60, 0, "refill")]
    [InlineData("x", RateLimitTargetKind.Operation, "sign-in", 1, 1, 0, 0, "period")]
    [InlineData("x", RateLimitTargetKind.Operation, "sign-in", 1, 1, 90_000, 0, "period")]
    [InlineData("x", RateLimitTargetKind.Operation, "sign-in", 1, 1, 60, -1, "Burst")]
    public void Invalid_rules_are_refused_with_a_sentence(string name, RateLimitTargetKind kind, string target, int capacity, int tokens, int period, int burst, string says)
    {
        var error = RateLimitService.Validate(new RateLimitRuleInput(name, null, RateLimitScope.User, kind, target, capacity, tokens, period, burst, 0));
        Assert.NotNull(error);
        Assert.Contains(says, error.Message);
    }

    [Fact]
    public void A_sensible_rule_is_valid()
    {
        Assert.Null(RateLimitService.Validate(new RateLimitRuleInput("Orders API", null, RateLimitScope.Tenant, RateLimitTargetKind.Endpoint, "/api/v5/orders/", 600, 600, 60, 100, 0)));
    }
}
