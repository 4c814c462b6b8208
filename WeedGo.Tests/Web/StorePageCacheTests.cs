using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using WeedGo.Core.Live;
using WeedGo.Tests.Support;
using WeedGo.Web.Storefront;

namespace WeedGo.Tests.Web;

/// <summary>The anonymous storefront page cache, through the real app and database.</summary>
public sealed class StorePageCacheTests(WebAppFixture app) : IClassFixture<WebAppFixture>
{
    private const string Menu = "/s/northern-lights-queen-west?cat=Flower&strain=Indica&sort=pricelow";

    private StorePageCache Cache => app.Factory.Services.GetRequiredService<StorePageCache>();

    private async Task<HttpResponseMessage> GetAsync(string path, string? bearer = null, string cookies = "weedgo.age=19")
    {
        var client = app.Factory.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = false });
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("Cookie", cookies);
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }
        var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return response;
    }

    private static string? GuestCookie(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var values)
            ? values.FirstOrDefault(v => v.StartsWith("weedgo.shopper=", StringComparison.Ordinal))
            : null;

    [Fact]
    public async Task Anonymous_visitors_share_one_rendered_menu_but_each_gets_their_own_guest_cookie()
    {
        var path = Menu + "&page=1";
        var first = await GetAsync(path);
        var hitsBefore = Cache.Hits;
        var second = await GetAsync(path);

        Assert.Equal(hitsBefore + 1, Cache.Hits);
        var firstBody = await first.Content.ReadAsStringAsync();
        Assert.Equal(firstBody, await second.Content.ReadAsStringAsync());
        Assert.Contains("data-testid=\"menu-grid\"", firstBody);
        // Per-visitor headers are made for every request, never replayed from the cache.
        Assert.NotNull(GuestCookie(first));
        Assert.NotNull(GuestCookie(second));
        Assert.NotEqual(GuestCookie(first), GuestCookie(second));
        Assert.Contains("no-store", second.Headers.CacheControl!.ToString());
    }

    [Fact]
    public async Task A_search_a_rate_limit_refused_is_shown_to_that_visitor_only_and_never_shared()
    {
        // The app with a limiter that refuses every search (as a visitor's exhausted bucket would).
        await using var limited = app.Factory.WithWebHostBuilder(b => b.ConfigureTestServices(services =>
            services.AddScoped<Core.RateLimiting.IOperationLimiter, RefuseSearches>()));
        var cache = limited.Services.GetRequiredService<StorePageCache>();
        var client = limited.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = false });
        async Task<string> SearchAsync()
        {
            var request = new HttpRequestMessage(HttpMethod.Get, "/s/northern-lights-queen-west?q=blue");
            request.Headers.Add("Cookie", "weedgo.age=19");
            var response = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return await response.Content.ReadAsStringAsync();
        }
        var first = await SearchAsync();
        Assert.Contains("data-testid=\"rate-limited\"", first);
        var hits = cache.Hits;
        var second = await SearchAsync();
        Assert.Contains("data-testid=\"rate-limited\"", second);
        Assert.Equal(hits, cache.Hits); // rendered again: the refusal was never stored for the next visitor
    }

    private sealed class RefuseSearches : Core.RateLimiting.IOperationLimiter
    {
        public ValueTask<Core.RateLimiting.RateDecision> TryAcquireAsync(string operation, CancellationToken ct = default) =>
            ValueTask.FromResult(operation == Core.RateLimiting.RateOperations.Search
                ? Core.RateLimiting.RateDecision.Refuse(TimeSpan.FromSeconds(30))
                : Core.RateLimiting.RateDecision.Allow);
    }

    [Fact]
    public async Task A_stock_change_at_the_store_drops_its_cached_pages()
    {
        var path = Menu + "&page=2";
        await GetAsync(path);
        var hits = Cache.Hits;
        await GetAsync(path);
        Assert.Equal(hits + 1, Cache.Hits);

        var (storeId, tenantId) = await StoreAsync("northern-lights-queen-west");
        await app.Factory.Services.GetRequiredService<ILiveEvents>()
            .PublishAsync(new StockChanged(tenantId, storeId, Guid.NewGuid(), "X", 1, 0, 1));

        var renders = Cache.Renders;
        await GetAsync(path);
        Assert.Equal(renders + 1, Cache.Renders);
    }

    [Fact]
    public async Task A_change_at_another_store_keeps_this_stores_pages()
    {
        var path = Menu + "&page=3";
        await GetAsync(path);
        var (otherId, tenantId) = await StoreAsync("northern-lights-yorkville");
        await app.Factory.Services.GetRequiredService<ILiveEvents>()
            .PublishAsync(new StockChanged(tenantId, otherId, Guid.NewGuid(), "X", 1, 0, 1));

        var hits = Cache.Hits;
        await GetAsync(path);
        Assert.Equal(hits + 1, Cache.Hits);
    }

    [Fact]
    public async Task Signed_in_customers_are_never_served_from_the_cache()
    {
        var token = await app.TokenAsync("customer@northernlights.demo");
        var path = "/s/northern-lights-queen-west?cat=Flower&sort=pricehigh";
        var hits = Cache.Hits;
        var first = await GetAsync(path, token);
        var second = await GetAsync(path, token);

        Assert.Equal(hits, Cache.Hits);
        Assert.Contains("data-testid=\"user-name\"", await first.Content.ReadAsStringAsync());
        Assert.Contains("data-testid=\"user-name\"", await second.Content.ReadAsStringAsync());
        // And an anonymous visitor afterwards does not get the signed-in page.
        Assert.DoesNotContain("data-testid=\"user-name\"", await (await GetAsync(path)).Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Visitors_with_another_theme_or_age_answer_get_their_own_page()
    {
        var path = "/s/northern-lights-queen-west?cat=Edibles";
        var light = await (await GetAsync(path)).Content.ReadAsStringAsync();
        var dark = await (await GetAsync(path, cookies: "weedgo.age=19; weedgo.theme=dark")).Content.ReadAsStringAsync();
        Assert.NotEqual(light, dark);
    }

    [Theory]
    [InlineData("GET", "/s/northern-lights-queen-west", "weedgo.age=19", true)]
    [InlineData("GET", "/s/northern-lights-queen-west/p/SKU-1", "weedgo.age=19", true)]
    [InlineData("GET", "/s/northern-lights-queen-west/cart", "weedgo.age=19", false)]
    [InlineData("GET", "/s/northern-lights-queen-west/checkout", "weedgo.age=19", false)]
    [InlineData("GET", "/orders", "weedgo.age=19", false)]
    [InlineData("GET", "/s/northern-lights-queen-west", "", false)]
    [InlineData("POST", "/s/northern-lights-queen-west", "weedgo.age=19", false)]
    public void Only_anonymous_menu_and_product_pages_past_the_age_gate_are_shared(string method, string path, string cookie, bool shared)
    {
        var context = Request(method, path, cookie);
        Assert.Equal(shared, StorePageCacheMiddleware.KeyOf(context) is not null);
    }

    [Fact]
    public void The_key_holds_the_host_and_the_menu_query_but_not_unknown_parameters()
    {
        var a = StorePageCacheMiddleware.KeyOf(Request("GET", "/s/x", "weedgo.age=19", "a.example", "?cat=Flower&utm=1"));
        var b = StorePageCacheMiddleware.KeyOf(Request("GET", "/s/x", "weedgo.age=19", "a.example", "?cat=Flower&utm=2"));
        var otherTenant = StorePageCacheMiddleware.KeyOf(Request("GET", "/s/x", "weedgo.age=19", "b.example", "?cat=Flower"));
        var otherQuery = StorePageCacheMiddleware.KeyOf(Request("GET", "/s/x", "weedgo.age=19", "a.example", "?cat=Edibles"));
        Assert.Equal(a, b);
        Assert.NotEqual(a, otherTenant);
        Assert.NotEqual(a, otherQuery);
    }

    private static DefaultHttpContext Request(string method, string path, string cookie, string host = "shop.example", string query = "")
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Request.Path = path;
        context.Request.Host = new HostString(host);
        context.Request.QueryString = new QueryString(query);
        if (cookie.Length > 0)
        {
            context.Request.Headers.Cookie = cookie;
        }
        return context;
    }

    private async Task<(Guid Id, Guid TenantId)> StoreAsync(string slug)
    {
        await using var db = await app.Factory.Services
            .GetRequiredService<Microsoft.EntityFrameworkCore.Infrastructure.PooledDbContextFactory<Core.Data.WeedGoDbContext>>()
            .CreateDbContextAsync();
        db.UseTenant(Core.Common.FixedTenantContext.System);
        var store = Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.AsNoTracking(db.Stores).First(s => s.Slug == slug);
        return (store.Id, store.TenantId);
    }
}
