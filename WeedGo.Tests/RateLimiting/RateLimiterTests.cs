using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WeedGo.Core.Audit;
using WeedGo.Core.Catalog;
using WeedGo.Core.Common;
using WeedGo.Core.RateLimiting;
using WeedGo.Tests.Support;
using static WeedGo.Tests.RateLimiting.RateLimitKit;

namespace WeedGo.Tests.RateLimiting;

/// <summary>
/// The limiter on real PostgreSQL: rules from the database that change without a restart, buckets shared by two "instances"
/// (two service providers on one database) and surviving a new one, refusals in the services with their sentence, and
/// violations recorded once per window.
/// </summary>
public sealed class RateLimiterTests(RateLimitDatabaseFixture db) : IClassFixture<RateLimitDatabaseFixture>
{
    [Fact]
    public async Task A_rule_change_takes_effect_at_once_without_a_restart()
    {
        var shopper = Shopper();
        var rule = await CreateAsync(db.Services, Rule(RateOperations.Checkout, capacity: 2, perPeriod: 2, periodSeconds: 3600));
        try
        {
            Assert.Equal(2, await AllowedAsync(db.Services, shopper, RateOperations.Checkout, 5));
            var refused = await TryAsync(db.Services, shopper, RateOperations.Checkout);
            Assert.False(refused.Allowed);
            Assert.Equal(TimeSpan.FromMinutes(30), refused.RetryAfter); // 2 an hour: the next token in half an hour
            Assert.Equal("Too many checkout attempts in a short time. Please wait 30 minutes and try again.", refused.Message);

            // Raised to 5: the stored bucket gets the 3 extra tokens now.
            var raised = await AdminAsync(db.Services, Platform, s => s.UpdateAsync(rule.Id,
                Rule(RateOperations.Checkout, capacity: 5, perPeriod: 2, periodSeconds: 3600, name: rule.Name), rule.Version));
            Assert.True(raised.Succeeded, raised.Error?.Message);
            Assert.Equal(3, await AllowedAsync(db.Services, shopper, RateOperations.Checkout, 5));

            // Off: the rule no longer applies (the seeded 15-a-minute checkout rule still does).
            await DisableAsync(db.Services, rule.Id);
            Assert.Equal(4, await AllowedAsync(db.Services, shopper, RateOperations.Checkout, 4));
        }
        finally
        {
            await DisableAsync(db.Services, rule.Id);
        }
    }

    [Fact]
    public async Task Two_instances_on_one_database_share_one_limit_and_see_each_others_rule_changes_within_seconds()
    {
        await using var second = db.BuildServices();
        var shopper = Shopper();
        // Warm the second instance's rule cache before the rule exists: it must notice the new rule by itself.
        Assert.True((await TryAsync(second, shopper, RateOperations.Checkout)).Allowed);

        var rule = await CreateAsync(db.Services, Rule(RateOperations.Checkout, capacity: 10, perPeriod: 10, periodSeconds: 3600));
        try
        {
            db.Clock.Advance(TimeSpan.FromSeconds(3)); // past the 2 s rule refresh
            var allowed = 0;
            for (var i = 0; i < 30; i++)
            {
                allowed += (await TryAsync(i % 2 == 0 ? db.Services : second, shopper, RateOperations.Checkout)).Allowed ? 1 : 0;
            }
            Assert.Equal(10, allowed);
        }
        finally
        {
            await DisableAsync(db.Services, rule.Id);
        }
    }

    [Fact]
    public async Task Leased_buckets_hand_out_exactly_the_limit_across_two_instances()
    {
        // 100 a minute per person on an API path: each instance leases 10 tokens at a time and spends them from memory.
        await using var second = db.BuildServices();
        var created = await AdminAsync(db.Services, Platform, s => s.CreateAsync(new RateLimitRuleInput(
            "Test API lease", null, RateLimitScope.User, RateLimitTargetKind.Endpoint, "/api/v5/lease-test", 100, 100, 60, 0, 1000)));
        Assert.True(created.Succeeded, created.Error?.Message);
        try
        {
            var subject = new RateSubject(Guid.NewGuid(), DemoWorld.NorthernLights, "198.51.100.4");
            var engines = new[] { db.Services.GetRequiredService<RateLimitEngine>(), second.GetRequiredService<RateLimitEngine>() };
            await engines[1].Rules.InvalidateAsync();
            var allowed = 0;
            for (var i = 0; i < 300; i++)
            {
                allowed += (await engines[i % 3 == 0 ? 1 : 0].DecideEndpointAsync("/api/v5/lease-test/orders", subject)).Allowed ? 1 : 0;
            }
            Assert.Equal(100, allowed);
            await using var ctx = db.Context();
            var bucket = await ctx.RateLimitBuckets.AsNoTracking().SingleAsync(b => b.RuleId == created.Value.Id);
            Assert.True(bucket.Tokens < 1, $"the stored bucket holds {bucket.Tokens}");
        }
        finally
        {
            await DisableAsync(db.Services, created.Value.Id);
        }
    }

    [Fact]
    public async Task A_bucket_survives_a_new_instance_and_refills_with_time()
    {
        var shopper = Shopper();
        var rule = await CreateAsync(db.Services, Rule(RateOperations.Search, capacity: 3, perPeriod: 3, periodSeconds: 60));
        try
        {
            await using (var first = db.BuildServices())
            {
                Assert.Equal(3, await AllowedAsync(first, shopper, RateOperations.Search, 3));
            }
            // "Restarted": a new instance reads the bucket from the database, empty.
            await using var restarted = db.BuildServices();
            var refused = await TryAsync(restarted, shopper, RateOperations.Search);
            Assert.False(refused.Allowed);
            Assert.Equal(TimeSpan.FromSeconds(20), refused.RetryAfter);
            db.Clock.Advance(TimeSpan.FromSeconds(20));
            Assert.Equal(1, await AllowedAsync(restarted, shopper, RateOperations.Search, 3));
        }
        finally
        {
            await DisableAsync(db.Services, rule.Id);
        }
    }

    [Fact]
    public async Task A_flood_of_refusals_is_one_violation_row_and_one_audit_event_per_window()
    {
        var shopper = Shopper();
        var rule = await CreateAsync(db.Services, Rule(RateOperations.Checkout, capacity: 1, perPeriod: 1, periodSeconds: 3600, name: "Test flood"));
        try
        {
            Assert.Equal(1, await AllowedAsync(db.Services, shopper, RateOperations.Checkout, 201, ip: "192.0.2.55"));
            var recorder = db.Services.GetRequiredService<RateLimitViolationRecorder>();
            await recorder.FlushAsync();

            await using var ctx = db.Context();
            var row = await ctx.RateLimitViolations.AsNoTracking().SingleAsync(v => v.RuleId == rule.Id);
            Assert.Equal(200, row.Refusals);
            Assert.Equal(("Test flood", RateOperations.Checkout, "192.0.2.55"), (row.RuleName, row.Target, row.Ip));
            Assert.Equal((shopper.UserId, DemoWorld.NorthernLights), (row.UserId, row.TenantId));
            var events = (await ctx.AuditLogs.AsNoTracking().Where(a => a.EventType == AuditEvents.RateLimitViolated).ToListAsync())
                .Where(a => a.Details!.Contains(rule.Id.ToString())).ToList();
            var audit = Assert.Single(events);
            Assert.Equal((DemoWorld.NorthernLights, shopper.UserId, "192.0.2.55"), (audit.TenantId, audit.UserId, audit.Ip));

            // A new window (after a minute) opens a new row; the later refusals of the old window were written to it.
            db.Clock.Advance(TimeSpan.FromMinutes(1));
            Assert.False((await TryAsync(db.Services, shopper, RateOperations.Checkout, "192.0.2.55")).Allowed);
            await recorder.FlushAsync();
            Assert.Equal(2, await ctx.RateLimitViolations.CountAsync(v => v.RuleId == rule.Id));
        }
        finally
        {
            await DisableAsync(db.Services, rule.Id);
        }
    }

    [Fact]
    public async Task A_refused_search_and_checkout_say_why_in_a_sentence()
    {
        var shopper = Shopper();
        var search = await CreateAsync(db.Services, Rule(RateOperations.Search, capacity: 1, perPeriod: 1, periodSeconds: 60));
        var checkout = await CreateAsync(db.Services, Rule(RateOperations.Checkout, capacity: 1, perPeriod: 1, periodSeconds: 60));
        try
        {
            await using var scope = db.As(shopper);
            var menu = scope.ServiceProvider.GetRequiredService<MenuQueries>();
            var first = await menu.PageAsync(DemoWorld.QueenWest, new MenuFilter(Text: "blue"));
            Assert.Null(first.Refused);
            var second = await menu.PageAsync(DemoWorld.QueenWest, new MenuFilter(Text: "dream"));
            Assert.Equal("You are searching faster than we can keep up. Please wait 60 seconds and search again.", second.Refused);
            Assert.Empty(second.Items);
            // Browsing without words is not a search.
            Assert.Null((await menu.PageAsync(DemoWorld.QueenWest, new MenuFilter(Category: "Flower"))).Refused);

            var checkouts = scope.ServiceProvider.GetRequiredService<Core.Ordering.CheckoutService>();
            var request = new Core.Ordering.PlaceOrderRequest(Guid.NewGuid(), Core.Ordering.Fulfilment.Pickup, db.Clock.GetUtcNow().AddHours(1), null,
                "Sam Shopper", "sam@example.com", null, new DateOnly(1990, 1, 1), Core.Ordering.PaymentMethod.PayAtPickup, null, null, "attempt-1");
            var once = await checkouts.PlaceOrderAsync(request);
            Assert.NotEqual("rate_limited", once.Error?.Code); // the limiter let it through (the checkout itself does not exist)
            var twice = await checkouts.PlaceOrderAsync(request);
            Assert.Equal((ErrorKind.TooManyRequests, "rate_limited"), (twice.Error!.Kind, twice.Error.Code));
            Assert.StartsWith("Too many checkout attempts", twice.Error.Message);
        }
        finally
        {
            await DisableAsync(db.Services, search.Id);
            await DisableAsync(db.Services, checkout.Id);
        }
    }

    [Fact]
    public async Task Tenant_rules_apply_only_to_their_tenant_and_limits_off_means_everything_passes()
    {
        var rule = await CreateAsync(db.Services, Rule(RateOperations.Chat, capacity: 1, perPeriod: 1, periodSeconds: 3600, tenant: DemoWorld.MapleLeaf), MapleAdmin);
        try
        {
            var maple = new TestUser { UserId = Guid.NewGuid(), TenantId = DemoWorld.MapleLeaf };
            Assert.Equal(1, await AllowedAsync(db.Services, maple, RateOperations.Chat, 3));
            Assert.Equal(3, await AllowedAsync(db.Services, Shopper(), RateOperations.Chat, 3)); // Northern Lights: not theirs

            // A host with limits off (tests, tools) allows everything.
            var off = new ServiceCollection();
            off.AddLogging();
            off.AddSingleton<TimeProvider>(db.Clock);
            Core.DependencyInjection.AddWeedGoCore(off, db.ConnectionString);
            off.AddScoped<TestUser>();
            off.AddScoped<ITenantContext>(sp => sp.GetRequiredService<TestUser>());
            off.AddScoped<ICurrentUser>(sp => sp.GetRequiredService<TestUser>());
            await using var plain = off.BuildServiceProvider();
            Assert.Equal(3, await AllowedAsync(plain, maple, RateOperations.Chat, 3));
        }
        finally
        {
            await DisableAsync(db.Services, rule.Id);
        }
    }
}
