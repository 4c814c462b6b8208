using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace WeedGo.Web.Security;

/// <summary>
/// Behind a reverse proxy or load balancer every request comes from the proxy's address, so per-IP rate limits, the audit
/// log's IP and the circuit limit per IP would all see one visitor. <c>WeedGo:Security:KnownProxies</c> (addresses or CIDR
/// networks, a list or comma-separated) names the proxies whose <c>X-Forwarded-For</c>/<c>X-Forwarded-Proto</c> are believed;
/// the client's address is then the first one, from the right, that is not a known proxy. Nothing configured (the default):
/// the headers are ignored, because anyone can send them.
/// </summary>
public static class KnownProxies
{
    public const string Section = "WeedGo:Security:KnownProxies";

    /// <summary>The configured proxies, or null when none are.</summary>
    public static ForwardedHeadersOptions? Options(IConfiguration configuration)
    {
        var section = configuration.GetSection(Section);
        var entries = section.Value is { Length: > 0 } csv
            ? csv.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : section.GetChildren().Select(c => c.Value?.Trim()).OfType<string>().Where(v => v.Length > 0).ToArray();
        return Build(entries);
    }

    /// <summary>Options that believe the forwarding headers only from <paramref name="proxies"/>; null when the list is empty.</summary>
    public static ForwardedHeadersOptions? Build(IReadOnlyCollection<string> proxies)
    {
        if (proxies.Count == 0)
        {
            return null;
        }
        var options = new ForwardedHeadersOptions
        {
            ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto,
            ForwardLimit = null, // every hop is checked against the list, however many known proxies there are
        };
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        foreach (var p in proxies)
        {
            if (p.Contains('/') && System.Net.IPNetwork.TryParse(p, out var network))
            {
                options.KnownIPNetworks.Add(network);
            }
            else if (IPAddress.TryParse(p, out var address))
            {
                options.KnownProxies.Add(address);
            }
            else
            {
                throw new InvalidOperationException(
                    $"{Section}: '{p}' is neither an IP address nor a network in CIDR form (e.g. 10.0.0.5 or 10.0.0.0/8).");
            }
        }
        return options;
    }

    /// <summary>Believes the forwarding headers of the configured proxies (first in the pipeline); does nothing without any.</summary>
    public static WebApplication UseKnownProxies(this WebApplication app)
    {
        if (Options(app.Configuration) is { } options)
        {
            app.UseForwardedHeaders(options);
        }
        return app;
    }
}
