using System.Net;
using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using WeedGo.Core.Accounts;
using WeedGo.Core.Audit;
using WeedGo.Core.Common;
using WeedGo.Core.Data;
using WeedGo.Core.Inventory;
using WeedGo.Tests.Support;
using WeedGo.Web.Identity;
using WeedGo.Web.Security;

namespace WeedGo.Tests.Web;

/// <summary>Security headers, antiforgery on the account forms, circuit limits, and store-level refusals in the audit log.</summary>
public sealed class HardeningTests(WebAppFixture app) : IClassFixture<WebAppFixture>
{
    [Fact]
    public async Task Every_page_carries_the_security_headers_with_the_tile_host_allowed_for_images()
    {
        using var client = app.Client();
        foreach (var path in new[] { "/", "/Account/Login", "/health" })
        {
            var response = await client.GetAsync(path);
            var csp = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
            Assert.Contains("frame-ancestors 'none'", csp);
            Assert.Contains("script-src 'self';", csp);
            Assert.Contains("connect-src 'self'", csp);
            Assert.Contains("img-src 'self' data: blob: https://tile.openstreetmap.org", csp);
            Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
            Assert.Equal("strict-origin-when-cross-origin", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
            Assert.Equal("DENY", Assert.Single(response.Headers.GetValues("X-Frame-Options")));
        }
    }

    [Theory]
    [InlineData("https://{s}.tile.example.org/{z}/{x}/{y}.png", "https://*.tile.example.org")]
    [InlineData("https://tiles.example.com:8443/osm/{z}/{x}/{y}.png", "https://tiles.example.com:8443")]
    [InlineData("", null)]
    [InlineData("javascript:alert(1)", null)]
    public void The_tile_origin_comes_from_the_configured_template(string template, string? origin) =>
        Assert.Equal(origin, SecurityHeaders.TileOrigin(template));

    [Fact]
    public void An_empty_tile_url_allows_no_outside_images()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["WeedGo:Maps:TileUrl"] = "" }).Build();
        Assert.Contains("img-src 'self' data: blob:;", SecurityHeaders.ContentSecurityPolicy(config));
    }

    [Fact]
    public async Task The_sign_in_form_carries_an_antiforgery_token_and_a_post_without_one_is_refused()
    {
        using var client = app.Client();
        var page = await client.GetStringAsync("/Account/Login");
        Assert.Contains("__RequestVerificationToken", page);
        var post = await client.PostAsync("/Account/Login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Input.Email"] = "admin@northernlights.demo",
            ["Input.Password"] = "WeedGo-demo-2026",
        }));
        Assert.Equal(HttpStatusCode.BadRequest, post.StatusCode);
    }

    [Fact]
    public void A_person_gets_at_most_the_configured_number_of_circuits_and_a_closed_one_frees_its_place()
    {
        var counter = new CircuitCounter();
        Assert.True(counter.TryOpen("user:a", 2));
        Assert.True(counter.TryOpen("user:a", 2));
        Assert.False(counter.TryOpen("user:a", 2));
        Assert.True(counter.TryOpen("user:b", 2));
        counter.Close("user:a");
        Assert.Equal(1, counter.Open("user:a"));
        Assert.True(counter.TryOpen("user:a", 2));
        Assert.True(counter.TryOpen("user:c", 0)); // 0: no limit
        counter.Close("user:b");
        Assert.Equal(0, counter.Open("user:b"));
    }

    [Fact]
    public async Task A_store_level_refusal_in_inventory_is_recorded_as_a_permission_denial_with_the_store()
    {
        var manager = DemoWorld.User("manager@northernlights.demo");
        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            var user = scope.ServiceProvider.GetRequiredService<UserContext>();
            user.Set(new ClaimsPrincipal(new ClaimsIdentity(
            [
                new Claim(ClaimTypes.NameIdentifier, manager.ToString()), new Claim(ClaimTypes.Role, Roles.StoreManager),
                new Claim(WeedGoClaims.Tenant, DemoWorld.NorthernLights.ToString()), new Claim(WeedGoClaims.Store, DemoWorld.QueenWest.ToString()),
            ], "test")), host: null);
            var refused = await scope.ServiceProvider.GetRequiredService<InventoryQueries>().ProductStockAsync(DemoWorld.SquareOne, Guid.NewGuid());
            Assert.Equal(ErrorKind.Forbidden, refused.Error!.Kind);
        }
        List<AuditLogEntry> rows = [];
        for (var i = 0; i < 50 && rows.Count == 0; i++)
        {
            await Task.Delay(100);
            await using var ctx = app.Factory.Services.GetRequiredService<PooledDbContextFactory<WeedGoDbContext>>().CreateDbContext();
            ctx.UseTenant(FixedTenantContext.System);
            rows = await ctx.AuditLogs.AsNoTracking()
                .Where(a => a.EventType == AuditEvents.PermissionDenied && a.UserId == manager && a.StoreId == DemoWorld.SquareOne).ToListAsync();
        }
        var row = Assert.Single(rows);
        Assert.Equal(DemoWorld.NorthernLights, row.TenantId);
        Assert.Contains("not one of the person's stores", row.Details);
    }
}
