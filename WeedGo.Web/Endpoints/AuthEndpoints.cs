using Microsoft.AspNetCore.Identity;
using WeedGo.Core.Accounts;

namespace WeedGo.Web.Endpoints;

public static class AuthEndpoints
{
    /// <param name="TwoFactorCode">The authenticator app's current 6-digit code; required when the account has 2FA on.</param>
    /// <param name="RecoveryCode">Instead of <paramref name="TwoFactorCode"/>: one of the account's recovery codes (works once).</param>
    public sealed record TokenRequest(string Email, string Password, string? TwoFactorCode = null, string? RecoveryCode = null);

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
            if (!(check.Succeeded && user.TwoFactorEnabled))
            {
                // With 2FA on, the outcome is recorded once the code is checked.
                await WeedGo.Web.Identity.SignInAudit.RecordAsync(audit, "token", request.Email, user, wasLocked, check);
            }
            if (check.IsLockedOut)
            {
                return Results.Problem(title: "This account is locked after too many failed attempts. Try again in 5 minutes.", statusCode: 423);
            }
            if (!check.Succeeded)
            {
                return Results.Problem(title: "Invalid email or password.", statusCode: 401);
            }
            if (user.TwoFactorEnabled)
            {
                // Accounts with an authenticator app (every admin) need its code too; failures count toward lockout.
                var refusal = await CheckSecondFactorAsync(request, user, users, audit);
                if (refusal is not null)
                {
                    return refusal;
                }
            }
            var principal = await signIn.CreateUserPrincipalAsync(user);
            return Results.SignIn(principal, authenticationScheme: IdentityConstants.BearerScheme);
        }).AllowAnonymous().DisableAntiforgery();
    }

    private static async Task<IResult?> CheckSecondFactorAsync(TokenRequest request, AppUser user, UserManager<AppUser> users, WeedGo.Core.Audit.IAuditLog audit)
    {
        var code = WeedGo.Web.Identity.TwoFactorSignIn.Normalize(request.TwoFactorCode);
        var recovery = (request.RecoveryCode ?? "").Replace(" ", "", StringComparison.Ordinal).Trim();
        if (code.Length == 0 && recovery.Length == 0)
        {
            await WeedGo.Web.Identity.SignInAudit.RecordAsync(audit, "token", user.Email, user, wasLocked: false, SignInResult.TwoFactorRequired);
            // Not a failed attempt: the client has not tried a code yet.
            return Results.Problem(title: "Two-factor code required.",
                detail: "This account uses two-factor authentication: send the authenticator app's current code as twoFactorCode (or a recovery code as recoveryCode).",
                statusCode: 401, extensions: new Dictionary<string, object?> { ["reason"] = "two_factor_required" });
        }
        var method = code.Length > 0 ? WeedGo.Web.Identity.SignInAudit.TwoFactorMethods.TokenAuthenticator : WeedGo.Web.Identity.SignInAudit.TwoFactorMethods.RecoveryCode;
        var ok = code.Length > 0
            ? await users.VerifyTwoFactorTokenAsync(user, TokenOptions.DefaultAuthenticatorProvider, code)
            : (await users.RedeemTwoFactorRecoveryCodeAsync(user, recovery)).Succeeded;
        if (ok)
        {
            await users.ResetAccessFailedCountAsync(user);
            await WeedGo.Web.Identity.SignInAudit.RecordAsync(audit, method, user.Email, user, wasLocked: false, SignInResult.Success);
            return null;
        }
        await users.AccessFailedAsync(user);
        var locked = await users.IsLockedOutAsync(user);
        await WeedGo.Web.Identity.SignInAudit.RecordAsync(audit, method, user.Email, user, wasLocked: false, locked ? SignInResult.LockedOut : SignInResult.Failed);
        return locked
            ? Results.Problem(title: "This account is locked after too many failed attempts. Try again in 5 minutes.", statusCode: 423)
            : Results.Problem(title: "Invalid two-factor code.", detail: "The code is wrong, expired (codes change every 30 seconds) or was used already (each code signs in once: wait for the next one), or the recovery code was used already.",
                statusCode: 401, extensions: new Dictionary<string, object?> { ["reason"] = "two_factor_invalid" });
    }
}
