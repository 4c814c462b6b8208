using Microsoft.AspNetCore.Identity;
using WeedGo.Core.Accounts;

namespace WeedGo.Web.Endpoints;

public static class AuthEndpoints
{
    public sealed record TokenRequest(string Email, string Password);

    /// <summary>
    /// <c>POST /api/auth/token</c>: bearer tokens for non-Blazor clients (driver phones, integrations, the SignalR hubs).
    /// Failures count toward lockout exactly like the sign-in page.
    /// </summary>
    public static void MapAuthApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/auth/token", async (TokenRequest request, SignInManager<AppUser> signIn, UserManager<AppUser> users, WeedGo.Core.Audit.IAuditLog audit,
            WeedGo.Core.RateLimiting.IOperationLimiter limiter) =>
        {
            if (string.IsNullOrWhiteSpace(request.Email) || string.IsNullOrWhiteSpace(request.Password))
            {
                return Results.Problem(title: "Email and password are required.", statusCode: 400);
            }
            // Sign-in attempts are limited like the sign-in page's (per IP address by default), on top of the API limits.
            if (await limiter.TryAcquireAsync(WeedGo.Core.RateLimiting.RateOperations.SignIn) is { Allowed: false } refused)
            {
                return WeedGo.Web.RateLimiting.HttpRateLimiting.TooManyRequests(refused);
            }
            var user = await users.FindByEmailAsync(request.Email);
            if (user is null)
            {
                await WeedGo.Web.Identity.SignInAudit.RecordAsync(audit, "token", request.Email, null, false, SignInResult.Failed);
                return Results.Problem(title: "Invalid email or password.", statusCode: 401);
            }
            var wasLocked = await users.IsLockedOutAsync(user);
            var check = await signIn.CheckPasswordSignInAsync(user, request.Password, lockoutOnFailure: true);
            await WeedGo.Web.Identity.SignInAudit.RecordAsync(audit, "token", request.Email, user, wasLocked, check);
            if (check.IsLockedOut)
            {
                return Results.Problem(title: "This account is locked after too many failed attempts. Try again in 5 minutes.", statusCode: 423);
            }
            if (!check.Succeeded)
            {
                return Results.Problem(title: "Invalid email or password.", statusCode: 401);
            }
            var principal = await signIn.CreateUserPrincipalAsync(user);
            return Results.SignIn(principal, authenticationScheme: IdentityConstants.BearerScheme);
        }).AllowAnonymous().DisableAntiforgery();
    }
}
