namespace WeedGo.Web.Security;

/// <summary>
/// Response headers every page and endpoint gets: a Content-Security-Policy that suits Blazor Server (scripts only from this
/// origin, the circuit's WebSocket to this origin), MudBlazor (inline styles) and Leaflet (tiles from the configured
/// <c>WeedGo:Maps:TileUrl</c> host), no framing (<c>frame-ancestors 'none'</c>), <c>X-Content-Type-Options: nosniff</c>,
/// <c>Referrer-Policy</c> and a <c>Permissions-Policy</c> that keeps geolocation for this origin (the driver page).
/// </summary>
public static class SecurityHeaders
{
    /// <summary>OpenStreetMap's tiles, the maps' default when <c>WeedGo:Maps:TileUrl</c> is not set.</summary>
    public const string DefaultTileUrl = "https://tile.openstreetmap.org/{z}/{x}/{y}.png";

    /// <summary>The policy for this configuration: <c>WeedGo:Maps:TileUrl</c>'s origin (a <c>{s}</c> subdomain becomes a
    /// wildcard) and any <c>WeedGo:Security:ImageSources</c> (space-separated) may serve images.</summary>
    public static string ContentSecurityPolicy(IConfiguration configuration)
    {
        var images = new List<string> { "'self'", "data:", "blob:" };
        var tiles = configuration["WeedGo:Maps:TileUrl"] ?? DefaultTileUrl;
        if (TileOrigin(tiles) is { } origin)
        {
            images.Add(origin);
        }
        if (configuration["WeedGo:Security:ImageSources"] is { Length: > 0 } extra)
        {
            images.AddRange(extra.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        }
        return string.Join("; ",
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self' 'unsafe-inline'", // MudBlazor sets inline styles on its components
            $"img-src {string.Join(' ', images.Distinct())}",
            "font-src 'self' data:",
            "connect-src 'self'", // the circuit's and hubs' WebSockets go to this origin
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'");
    }

    /// <summary><c>https://{s}.tile.example.org/{z}/{x}/{y}.png</c> → <c>https://*.tile.example.org</c>; null when empty or not http(s).</summary>
    public static string? TileOrigin(string? template)
    {
        if (string.IsNullOrWhiteSpace(template))
        {
            return null;
        }
        var probe = template.Replace("{s}", "a", StringComparison.Ordinal).Replace("{z}", "0", StringComparison.Ordinal)
            .Replace("{x}", "0", StringComparison.Ordinal).Replace("{y}", "0", StringComparison.Ordinal).Replace("{r}", "", StringComparison.Ordinal);
        if (!Uri.TryCreate(probe, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
        {
            return null;
        }
        var host = template.Contains("{s}.", StringComparison.Ordinal) ? "*." + uri.Host[(uri.Host.IndexOf('.') + 1)..] : uri.Host;
        return $"{uri.Scheme}://{host}{(uri.IsDefaultPort ? "" : ":" + uri.Port)}";
    }

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app, IConfiguration configuration)
    {
        var csp = ContentSecurityPolicy(configuration);
        return app.Use(async (context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                headers.ContentSecurityPolicy = csp;
                headers.XContentTypeOptions = "nosniff";
                headers.XFrameOptions = "DENY";
                headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
                headers["Permissions-Policy"] = "geolocation=(self), camera=(), microphone=(), payment=()";
                headers["Cross-Origin-Opener-Policy"] = "same-origin";
                return Task.CompletedTask;
            });
            await next();
        });
    }
}
