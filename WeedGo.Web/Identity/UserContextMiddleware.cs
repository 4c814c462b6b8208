using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;

namespace WeedGo.Web.Identity;

/// <summary>Fills <see cref="UserContext"/> from the authenticated request.</summary>
public sealed class UserContextMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context, UserContext user, WeedGo.Core.Audit.AuditRequestContext request)
    {
        user.Set(context.User, context.Request.Host.Host, ShopperCookie.Ensure(context));
        request.Set(context.Connection.RemoteIpAddress?.ToString(), context.Request.Headers.UserAgent.ToString(),
            System.Diagnostics.Activity.Current?.TraceId.ToString() ?? context.TraceIdentifier);
        return next(context);
    }
}

/// <summary>The guest cart key: a random value in an HTTP-only cookie, given to every page visit that has none.</summary>
public static class ShopperCookie
{
    public const string Name = "weedgo.shopper";

    public static string? Ensure(HttpContext context)
    {
        if (context.Request.Cookies.TryGetValue(Name, out var key) && IsValid(key))
        {
            return key;
        }
        // Only page requests get a new key; APIs, hubs and static files do not need one.
        var path = context.Request.Path;
        if (!HttpMethods.IsGet(context.Request.Method) || path.StartsWithSegments("/api") || path.StartsWithSegments("/hubs")
            || path.StartsWithSegments("/_blazor") || path.StartsWithSegments("/_framework") || Path.HasExtension(path.Value))
        {
            return null;
        }
        key = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
        context.Response.Cookies.Append(Name, key, new CookieOptions
        {
            HttpOnly = true, SameSite = SameSiteMode.Lax, Secure = context.Request.IsHttps, IsEssential = true, MaxAge = TimeSpan.FromDays(30),
        });
        return key;
    }

    public static bool IsValid(string? key) => key is { Length: 32 } && key.All(Uri.IsHexDigit);
}

/// <summary>Keeps <see cref="UserContext"/> in step with a circuit's authentication state (sign-in, revalidation).</summary>
public sealed class UserCircuitHandler(
    AuthenticationStateProvider auth, UserContext user, Microsoft.AspNetCore.Components.NavigationManager nav, IHttpContextAccessor http,
    WeedGo.Core.Audit.AuditRequestContext request)
    : CircuitHandler, IDisposable
{
    public override async Task OnCircuitOpenedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        auth.AuthenticationStateChanged += OnChanged;
        var state = await auth.GetAuthenticationStateAsync();
        // The circuit's own connection request carries the browser's cookies: the guest cart key comes from there.
        var key = http.HttpContext?.Request.Cookies[ShopperCookie.Name];
        user.Set(state.User, HostOf(nav), ShopperCookie.IsValid(key) ? key : null);
        // Audit rows written from this circuit carry the browser's address and agent and the circuit as correlation id.
        var context = http.HttpContext;
        request.Set(context?.Connection.RemoteIpAddress?.ToString(), context?.Request.Headers.UserAgent.ToString(), "circuit:" + circuit.Id);
    }

    private void OnChanged(Task<AuthenticationState> task) =>
        _ = task.ContinueWith(t =>
        {
            if (t.IsCompletedSuccessfully)
            {
                user.Set(t.Result.User, null);
            }
        }, TaskScheduler.Default);

    private static string? HostOf(Microsoft.AspNetCore.Components.NavigationManager nav)
    {
        try
        {
            return new Uri(nav.BaseUri).Host;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    public void Dispose() => auth.AuthenticationStateChanged -= OnChanged;
}
