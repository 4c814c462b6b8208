using System.Net;
using System.Net.Http.Headers;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using WeedGo.Core.Common;
using WeedGo.Core.Data;
using WeedGo.Tests.Support;

namespace WeedGo.Tests.Tenancy;

/// <summary>
/// Cross-tenant probes through the whole app (pages prerendered on the server and the API), each store manager asking for the
/// other tenant's stock pages, promotions and lists with a bearer token. Positive controls first: the same pages do show the
/// asker's own data, so an empty answer means "refused", not "the page renders nothing".
/// </summary>
public sealed class TenantIsolationWebTests(WebAppFixture app) : IClassFixture<WebAppFixture>
{
    private sealed record Side(string Manager, string TenantName, string StoreName, Guid Tenant);

    private static readonly Side NorthernLights = new("manager@northernlights.demo", "Northern Lights Cannabis Co.", "Queen West", DemoWorld.NorthernLights);
    private static readonly Side MapleLeaf = new("manager@mapleleaf.demo", "Maple Leaf Greens", "Scarborough Town", DemoWorld.MapleLeaf);

    [Fact]
    public void The_app_host_connects_as_the_app_role()
    {
        var used = new NpgsqlConnectionStringBuilder(app.Factory.Services.GetRequiredService<NpgsqlDataSource>().ConnectionString).Username;
        Assert.Equal(TestDatabase.AppRole, used);
    }

    [Fact]
    public async Task Pages_and_api_probes_across_tenants_leak_nothing()
    {
        var probes = 0;
        var leaks = new List<string>();
        foreach (var (me, other) in new[] { (NorthernLights, MapleLeaf), (MapleLeaf, NorthernLights) })
        {
            using var client = app.Client();
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await app.TokenAsync(me.Manager));
            var mine = await ThingsAsync(me.Tenant);
            var theirs = await ThingsAsync(other.Tenant);

            // Positive control: my own stock page shows my store.
            var own = await client.GetStringAsync($"/admin/inventory/{mine.Store}/{mine.Products[0]}");
            Assert.Contains(me.StoreName, own);

            foreach (var product in theirs.Products)
            {
                probes++;
                await ProbeAsync(client, $"/admin/inventory/{theirs.Store}/{product}", other, leaks);
                probes++;
                await ProbeAsync(client, $"/admin/inventory/{mine.Store}/{product}", other, leaks);
            }
            foreach (var promotion in theirs.Promotions)
            {
                probes++;
                await ProbeAsync(client, $"/admin/promotions/{promotion}", other, leaks);
            }
            foreach (var path in new[] { "/admin", "/admin/inventory", "/admin/promotions", "/admin/orders", "/admin/stores", "/admin/catalogue",
                         $"/admin/inventory?store={theirs.Store}", $"/admin/orders?store={theirs.Store}", $"/admin/promotions?store={theirs.Store}" })
            {
                probes++;
                await ProbeAsync(client, path, other, leaks);
            }
            probes++;
            var stats = await client.GetAsync("/api/admin/stats");
            if (stats.StatusCode != HttpStatusCode.Forbidden)
            {
                leaks.Add($"/api/admin/stats answered {(int)stats.StatusCode} to {me.Manager}");
            }
        }
        Console.WriteLine($"{probes} page/API probes, {leaks.Count} leaks");
        Assert.Empty(leaks);
        Assert.True(probes >= 100, $"{probes} probes");
    }

    /// <summary>A page must not name the other tenant or its store (whatever its status: a refusal page is fine).</summary>
    private static async Task ProbeAsync(HttpClient client, string path, Side other, List<string> leaks)
    {
        var response = await client.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        if (body.Contains(other.TenantName, StringComparison.Ordinal) || body.Contains(other.StoreName, StringComparison.Ordinal))
        {
            leaks.Add($"{path} ({(int)response.StatusCode}) shows {other.TenantName}'s data");
        }
    }

    private sealed record Things(Guid Store, List<Guid> Products, List<Guid> Promotions);

    private async Task<Things> ThingsAsync(Guid tenant)
    {
        await using var ctx = app.Factory.Services.GetRequiredService<PooledDbContextFactory<WeedGoDbContext>>().CreateDbContext();
        ctx.UseTenant(FixedTenantContext.For(tenant));
        var store = tenant == DemoWorld.NorthernLights ? DemoWorld.QueenWest : DemoWorld.Scarborough;
        var products = await ctx.Inventory.Where(i => i.StoreId == store).OrderBy(i => i.ProductId).Select(i => i.ProductId).Take(25).ToListAsync();
        var promotions = await ctx.Promotions.Select(p => p.Id).ToListAsync();
        return new Things(store, products, promotions);
    }
}
