using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;

namespace WeedGo.Web.Identity;

/// <summary>Fills <see cref="UserContext"/> from the authenticated request.</summary>
public sealed class UserContextMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context, UserContext user)
    {
        user.Set(context.User, context.Request.Host.Host);
        return next(context);
    }
}

/// <summary>Keeps <see cref="UserContext"/> in step with a circuit's authentication state (sign-in, revalidation).</summary>
public sealed class UserCircuitHandler(AuthenticationStateProvider auth, UserContext user, Microsoft.AspNetCore.Components.NavigationManager nav)
    : CircuitHandler, IDisposable
{
    public override async Task OnCircuitOpenedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        auth.AuthenticationStateChanged += OnChanged;
        var state = await auth.GetAuthenticationStateAsync();
        user.Set(state.User, HostOf(nav));
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
