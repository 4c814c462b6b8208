using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using WeedGo.Core.Audit;
using WeedGo.Core.Common;
using WeedGo.Core.Data;
using WeedGo.Tests.Support;

namespace WeedGo.Tests.Audit;

/// <summary>Sign-in outcomes of <c>POST /api/auth/token</c> reach the audit log with IP and user agent, never the password.</summary>
public sealed class AuditSignInTests(WebAppFixture app) : IClassFixture<WebAppFixture>
{
    private async Task<List<AuditLogEntry>> EventsForAsync(string email)
    {
        await using var db = app.Factory.Services.GetRequiredService<PooledDbContextFactory<WeedGoDbContext>>().CreateDbContext();
        db.UseTenant(FixedTenantContext.System);
        var rows = await db.AuditLogs.AsNoTracking().Where(a => a.EventType.StartsWith("auth.")).OrderBy(a => a.Id).ToListAsync();
        return rows.Where(r => (r.Details ?? "").Contains(email)).ToList();
    }

    [Fact]
    public async Task Five_wrong_passwords_give_five_failures_and_a_lockout_then_the_right_one_is_refused_as_locked()
    {
        const string email = "driver@mapleleaf.demo";
        var client = app.Client();
        client.DefaultRequestHeaders.UserAgent.ParseAdd("AuditTest/1.0");
        for (var i = 0; i < 5; i++)
        {
            var r = await client.PostAsJsonAsync("/api/auth/token", new { email, password = "wrong-password-" + i });
            Assert.Equal(i < 4 ? HttpStatusCode.Unauthorized : (HttpStatusCode)423, r.StatusCode);
        }
        var locked = await client.PostAsJsonAsync("/api/auth/token", new { email, password = Core.Data.DemoData.DemoDataSeeder.DemoPassword });
        Assert.Equal((HttpStatusCode)423, locked.StatusCode);

        var events = await EventsForAsync(email);
        Assert.Equal(5, events.Count(e => e.EventType == AuditEvents.SignInFailed));
        Assert.Equal(2, events.Count(e => e.EventType == AuditEvents.LockedOut));
        Assert.Contains(events, e => e.EventType == AuditEvents.LockedOut && e.Details!.Contains("too_many_failures"));
        Assert.All(events, e =>
        {
            Assert.Equal(DemoWorld.MapleLeaf, e.TenantId);
            Assert.Equal(DemoWorld.User(email), e.UserId);
            Assert.Equal("AuditTest/1.0", e.UserAgent);
            Assert.DoesNotContain("wrong-password", e.Details);
            Assert.DoesNotContain(Core.Data.DemoData.DemoDataSeeder.DemoPassword, e.Details);
        });
    }

    [Fact]
    public async Task A_successful_token_sign_in_and_an_unknown_email_are_recorded()
    {
        await app.TokenAsync("manager@mapleleaf.demo");
        Assert.Contains(await EventsForAsync("manager@mapleleaf.demo"), e => e.EventType == AuditEvents.SignInSucceeded);
        var r = await app.Client().PostAsJsonAsync("/api/auth/token", new { email = "nobody@nowhere.demo", password = "x" });
        Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode);
        var unknown = Assert.Single(await EventsForAsync("nobody@nowhere.demo"));
        Assert.Null(unknown.TenantId);
        Assert.Contains("unknown_account", unknown.Details);
    }
}
