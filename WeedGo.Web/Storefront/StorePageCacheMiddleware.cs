using System.Text;
using Microsoft.AspNetCore.Http.Features;
using WeedGo.Web.Components.Layout;
using WeedGo.Web.Components.Shop;

namespace WeedGo.Web.Storefront;

/// <summary>
/// Serves anonymous storefront menu and product pages from <see cref="StorePageCache"/>, and fills it. Runs after
/// authentication and the per-visitor middleware (guest cart cookie, audit context), so every response still gets its own
/// cookies; only the HTML body is shared.
/// </summary>
public sealed class StorePageCacheMiddleware(RequestDelegate next, StorePageCache cache)
{
    /// <summary>The query keys the menu reads; anything else does not change the page and is left out of the key.</summary>
    private static readonly string[] MenuKeys = ["q", "cat", "sort", "page", "strain", "brand", "terp", "size", "thc", "cbd", "price", "soldout"];

    /// <summary>Cookies that change what a page prerenders for an anonymous visitor.</summary>
    private static readonly string[] PageCookies = [ShopCookies.Age, WeedGoTheme.ThemeCookie, ShopCookies.Store, ShopCookies.Store + ".name"];

    public async Task InvokeAsync(HttpContext context)
    {
        var key = cache.Enabled ? KeyOf(context) : null;
        if (key is null)
        {
            await next(context);
            return;
        }
        if (cache.TryGet(key, out var page))
        {
            await WriteAsync(context, page);
            return;
        }
        var rendering = cache.RenderOnceAsync(key, () => RenderAndCaptureAsync(context, key), out var leader);
        if (leader)
        {
            await rendering; // this request rendered the page and already wrote it
            return;
        }
        CachedPage? result;
        try
        {
            result = await rendering;
        }
        catch (Exception)
        {
            result = null; // the other request's failure is its own; render this one
        }
        if (result is not null)
        {
            await WriteAsync(context, result);
            return;
        }
        await next(context);
    }

    /// <summary>The cache key, or null when this request must be rendered for the visitor alone.</summary>
    public static string? KeyOf(HttpContext context)
    {
        var request = context.Request;
        if (!HttpMethods.IsGet(request.Method) || context.User.Identity?.IsAuthenticated == true
            || !request.Cookies.ContainsKey(ShopCookies.Age) || !IsStorePage(request.Path))
        {
            return null;
        }
        var key = new StringBuilder(256).Append(request.Host.Value).Append('|').Append(request.Path.Value);
        foreach (var name in MenuKeys)
        {
            if (request.Query.TryGetValue(name, out var value))
            {
                key.Append('|').Append(name).Append('=').Append(value.ToString());
            }
        }
        foreach (var name in PageCookies)
        {
            key.Append("|c:").Append(request.Cookies[name]);
        }
        return key.ToString();
    }

    /// <summary><c>/s/{slug}</c> (the menu) or <c>/s/{slug}/p/{sku}</c> (a product).</summary>
    private static bool IsStorePage(PathString path)
    {
        var segments = (path.Value ?? "").Split('/', StringSplitOptions.RemoveEmptyEntries);
        return segments is ["s", _] || segments is ["s", _, "p", _];
    }

    private async Task<CachedPage?> RenderAndCaptureAsync(HttpContext context, string key)
    {
        var started = cache.Now();
        var renderedAt = cache.UtcNow;
        var original = context.Features.Get<IHttpResponseBodyFeature>()!;
        using var buffer = new MemoryStream();
        var capture = new StreamResponseBodyFeature(buffer, original);
        context.Features.Set<IHttpResponseBodyFeature>(capture);
        try
        {
            await next(context);
            await capture.CompleteAsync();
        }
        finally
        {
            context.Features.Set(original);
        }
        var body = buffer.ToArray();
        var cacheable = context.Response.StatusCode == StatusCodes.Status200OK
                        && context.Response.ContentType?.StartsWith("text/html", StringComparison.OrdinalIgnoreCase) == true
                        && context.Items.TryGetValue(StorePageCache.StoreIdItem, out var store) && store is Guid
                        && !context.Items.ContainsKey(StorePageCache.NotSharedItem);
        if (!context.Response.HasStarted)
        {
            context.Response.ContentLength = body.Length;
        }
        await original.Stream.WriteAsync(body, context.RequestAborted);
        if (!cacheable)
        {
            return null;
        }
        var page = new CachedPage(body, context.Response.ContentType!, renderedAt);
        cache.Store(key, page, (Guid)context.Items[StorePageCache.StoreIdItem]!, started);
        return page;
    }

    private static Task WriteAsync(HttpContext context, CachedPage page)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = page.ContentType;
        response.ContentLength = page.Body.Length;
        // As the rendered page says: browsers must not keep it (prices and stock change); the sharing happens here only.
        response.Headers.CacheControl = "no-cache, no-store, max-age=0";
        response.Headers.Pragma = "no-cache";
        return response.Body.WriteAsync(page.Body, context.RequestAborted).AsTask();
    }
}
