using Microsoft.Extensions.DependencyInjection;
using WeedGo.Core.Accounts;
using WeedGo.Core.Audit;
using WeedGo.Core.RateLimiting;
using WeedGo.Tests.Support;

namespace WeedGo.Tests.RateLimiting;

/// <summary>The demo world with rate limiting turned on (as the web app has it).</summary>
public sealed class RateLimitDatabaseFixture : DatabaseFixture
{
    protected override bool DemoData => true;

    protected override void ConfigureServices(IServiceCollection services) =>
        services.Configure<RateLimitOptions>(o => o.Enabled = true);
}

public static class RateLimitKit
{
    public static TestUser Platform => TestUser.Platform(DemoWorld.User("platform@weedgo.demo"));
    public static TestUser NorthernAdmin => TestUser.Staff(DemoWorld.User("admin@northernlights.demo"), DemoWorld.NorthernLights, Roles.TenantAdmin);
    public static TestUser MapleAdmin => TestUser.Staff(DemoWorld.User("admin@mapleleaf.demo"), DemoWorld.MapleLeaf, Roles.TenantAdmin);

    /// <summary>A shopper of Northern Lights nobody else uses (a fresh id), so seeded per-person buckets start full.</summary>
    public static TestUser Shopper() => new() { UserId = Guid.NewGuid(), TenantId = DemoWorld.NorthernLights, Roles = [Roles.Customer] };

    /// <summary>One operation through <see cref="IOperationLimiter"/> in <paramref name="services"/> ("an instance"), as
    /// <paramref name="who"/> from <paramref name="ip"/>.</summary>
    public static async Task<RateDecision> TryAsync(IServiceProvider services, TestUser who, string operation, string ip = "203.0.113.7")
    {
        await using var scope = services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TestUser>().CopyFrom(who);
        scope.ServiceProvider.GetRequiredService<AuditRequestContext>().Set(ip, "WeedGo.Tests", "rate-limit-test");
        return await scope.ServiceProvider.GetRequiredService<IOperationLimiter>().TryAcquireAsync(operation);
    }

    public static async Task<int> AllowedAsync(IServiceProvider services, TestUser who, string operation, int attempts, string ip = "203.0.113.7")
    {
        var allowed = 0;
        for (var i = 0; i < attempts; i++)
        {
            allowed += (await TryAsync(services, who, operation, ip)).Allowed ? 1 : 0;
        }
        return allowed;
    }

    /// <summary>Runs <paramref name="action"/> on the rate-limit service as <paramref name="who"/>.</summary>
    public static async Task<T> AdminAsync<T>(IServiceProvider services, TestUser who, Func<RateLimitService, Task<T>> action)
    {
        await using var scope = services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TestUser>().CopyFrom(who);
        return await action(scope.ServiceProvider.GetRequiredService<RateLimitService>());
    }

    public static RateLimitRuleInput Rule(string operation, int capacity, int perPeriod, int periodSeconds, int burst = 0,
        RateLimitScope scope = RateLimitScope.User, Guid? tenant = null, int priority = 1000, string? name = null) =>
        new(name ?? $"Test {operation} {Guid.NewGuid():N}"[..30], tenant, scope, RateLimitTargetKind.Operation, operation, capacity, perPeriod,
            periodSeconds, burst, priority);

    /// <summary>Creates the rule as the platform admin; returns it.</summary>
    public static async Task<RateLimitRuleView> CreateAsync(IServiceProvider services, RateLimitRuleInput input, TestUser? who = null)
    {
        var created = await AdminAsync(services, who ?? Platform, s => s.CreateAsync(input));
        Assert.True(created.Succeeded, created.Error?.Message);
        return created.Value;
    }

    public static async Task DisableAsync(IServiceProvider services, Guid rule)
    {
        var off = await AdminAsync(services, Platform, s => s.SetEnabledAsync(rule, false));
        Assert.True(off.Succeeded, off.Error?.Message);
    }
}
