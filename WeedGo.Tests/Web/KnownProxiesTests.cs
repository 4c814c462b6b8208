using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using WeedGo.Web.Security;

namespace WeedGo.Tests.Web;

/// <summary>The visitor's address behind a reverse proxy: ASP.NET Core's forwarded-headers middleware with the options built
/// from <c>WeedGo:Security:KnownProxies</c>, run over a request as the proxy would pass it on.</summary>
public sealed class KnownProxiesTests
{
    private static async Task<HttpContext> ThroughAsync(ForwardedHeadersOptions? options, string remote, string? forwardedFor)
    {
        var ctx = new DefaultHttpContext();
        ctx.Connection.RemoteIpAddress = IPAddress.Parse(remote);
        ctx.Request.Scheme = "http";
        if (forwardedFor is not null)
        {
            ctx.Request.Headers["X-Forwarded-For"] = forwardedFor;
            ctx.Request.Headers["X-Forwarded-Proto"] = "https";
        }
        if (options is not null)
        {
            var middleware = new ForwardedHeadersMiddleware(_ => Task.CompletedTask, NullLoggerFactory.Instance,
                Microsoft.Extensions.Options.Options.Create(options));
            await middleware.Invoke(ctx);
        }
        return ctx;
    }

    private static IConfiguration Config(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.ToDictionary(v => v.Key, v => (string?)v.Value)).Build();

    [Fact]
    public async Task With_no_proxy_configured_the_headers_are_ignored_because_anyone_can_send_them()
    {
        var options = KnownProxies.Options(Config());
        Assert.Null(options);
        var ctx = await ThroughAsync(options, "198.51.100.7", "203.0.113.9");
        Assert.Equal("198.51.100.7", ctx.Connection.RemoteIpAddress!.ToString());
    }

    [Fact]
    public async Task A_known_proxy_passes_on_the_visitors_address_and_scheme_and_a_stranger_cannot_spoof_one()
    {
        var options = KnownProxies.Options(Config(("WeedGo:Security:KnownProxies", "10.0.0.5")));
        var proxied = await ThroughAsync(options, "10.0.0.5", "203.0.113.9");
        Assert.Equal("203.0.113.9", proxied.Connection.RemoteIpAddress!.ToString());
        Assert.Equal("https", proxied.Request.Scheme);

        var spoofed = await ThroughAsync(KnownProxies.Options(Config(("WeedGo:Security:KnownProxies", "10.0.0.5"))), "198.51.100.7", "203.0.113.9");
        Assert.Equal("198.51.100.7", spoofed.Connection.RemoteIpAddress!.ToString());
        Assert.Equal("http", spoofed.Request.Scheme);
    }

    [Fact]
    public async Task Through_a_chain_of_known_proxies_the_client_is_the_first_unknown_address_from_the_right()
    {
        var options = KnownProxies.Options(Config(("WeedGo:Security:KnownProxies:0", "10.0.0.0/8"), ("WeedGo:Security:KnownProxies:1", "192.0.2.1")));
        var chained = await ThroughAsync(options, "10.2.2.2", "203.0.113.9, 10.1.1.1");
        Assert.Equal("203.0.113.9", chained.Connection.RemoteIpAddress!.ToString());
        // A visitor who writes their own X-Forwarded-For gets no further than their real address.
        var forged = await ThroughAsync(KnownProxies.Options(Config(("WeedGo:Security:KnownProxies", "10.0.0.0/8"))), "10.0.0.5", "1.2.3.4, 203.0.113.9");
        Assert.Equal("203.0.113.9", forged.Connection.RemoteIpAddress!.ToString());
    }

    [Fact]
    public void A_mistyped_entry_stops_the_app_with_a_clear_message()
    {
        var e = Assert.Throws<InvalidOperationException>(() => KnownProxies.Options(Config(("WeedGo:Security:KnownProxies", "10.0.0.5, proxy.local"))));
        Assert.Contains("'proxy.local' is neither an IP address nor a network", e.Message);
    }
}
