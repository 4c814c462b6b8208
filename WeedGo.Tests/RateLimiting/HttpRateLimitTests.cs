using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using WeedGo.Core.Common;
using WeedGo.Core.Data;
using WeedGo.Core.RateLimiting;
using WeedGo.Tests.Support;

namespace WeedGo.Tests.RateLimiting;

/// <summary>The whole app with rate limits on (as deployed), over its own demo database.</summary>
public sealed class RateLimitedAppFixture : IAsyncLifetime
{
    public string ConnectionString { get; private set; } = "";
    public WebApplicationFactory<Program> Factory { get; private set; } = default!;

    public async Task InitializeAsync()
    {
        ConnectionString = await TestDatabase.CreateAsync("web", demoData: true);
        Factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseEnvironment("Development");
            b.UseSetting("ConnectionStrings:WeedGo", ConnectionString);
            b.UseSetting("WeedGo:DemoData", "true");
            b.UseSetting("WeedGo:Security:RejectReusedAuthenticatorCodes", "false"); // the same admin signs in many times a minute
            b.UseSetting("Logging:LogLevel:Default", "Warning");
            // Not set: rate limits are on unless configuration says otherwise.
        });
        _ = Factory.Server;
    }

    public async Task DisposeAsync()
    {
        await Factory.DisposeAsync();
        await TestDatabase.DropAsync(ConnectionString);
    }
}

/// <summary>HTTP: ASP.NET Core's rate limiting with the rules' buckets answers 429 with Retry-After and a reason.</summary>
public sealed class HttpRateLimitTests(RateLimitedAppFixture app) : IClassFixture<RateLimitedAppFixture>
{
    /// <summary>A rule written straight to the table (as another instance's admin would), then this instance told.</summary>
    private async Task<Guid> AddRuleAsync(string path, int capacity, int periodSeconds)
    {
        var pool = app.Factory.Services.GetRequiredService<PooledDbContextFactory<WeedGoDbContext>>();
        await using var db = await pool.CreateDbContextAsync();
        db.UseTenant(FixedTenantContext.System);
        var rule = new RateLimitRule
        {
            Name = "Token endpoint, everyone", Scope = RateLimitScope.Global, TargetKind = RateLimitTargetKind.Endpoint, Target = path,
            Capacity = capacity, TokensPerPeriod = capacity, PeriodSeconds = periodSeconds, Priority = 500,
        };
        db.RateLimitRules.Add(rule);
        await db.SaveChangesAsync();
        await app.Factory.Services.GetRequiredService<RateLimitEngine>().Rules.InvalidateAsync();
        return rule.Id;
    }

    [Fact]
    public async Task Over_the_limit_an_api_answers_429_with_retry_after_and_the_reason()
    {
        var rule = await AddRuleAsync("/api/auth/token", capacity: 2, periodSeconds: 120);
        var client = app.Factory.CreateClient();
        var body = new { email = "customer@northernlights.demo", password = Core.Data.DemoData.DemoDataSeeder.DemoPassword };
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/api/auth/token", body)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/api/auth/token", body)).StatusCode);

        var refused = await client.PostAsJsonAsync("/api/auth/token", body);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        var retryAfter = int.Parse(refused.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 1, 60); // one token per 60 s, less the time the two sign-ins took (seconds on a loaded machine)
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        Assert.StartsWith("Too many requests. Please wait", problem.GetProperty("title").GetString());
        Assert.Equal("rate_limited", problem.GetProperty("code").GetString());
        Assert.Equal("Token endpoint, everyone", problem.GetProperty("rule").GetString());

        // Pages, static files and other APIs are not under this rule.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);
        Assert.NotEqual(HttpStatusCode.TooManyRequests, (await client.GetAsync("/api/admin/stats")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/Account/Login")).StatusCode);

        // The refusal is a violation with the path.
        await app.Factory.Services.GetRequiredService<RateLimitViolationRecorder>().FlushAsync();
        var pool = app.Factory.Services.GetRequiredService<PooledDbContextFactory<WeedGoDbContext>>();
        await using var db = await pool.CreateDbContextAsync();
        db.UseTenant(FixedTenantContext.System);
        var violation = await db.RateLimitViolations.AsNoTracking().SingleAsync(v => v.RuleId == rule);
        Assert.Equal(("/api/auth/token", RateLimitTargetKind.Endpoint), (violation.Target, violation.TargetKind));
    }
}
