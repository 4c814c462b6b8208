using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using WeedGo.Core.Accounts;
using WeedGo.Web.Identity;

namespace WeedGo.Web.Security;

/// <summary>
/// Admins (PlatformAdmin, TenantAdmin) must use two-factor authentication: every role policy (so every /admin page, the admin
/// API and the alerts hub) carries this requirement. It holds for other roles, and for admins whose account has an
/// authenticator app enabled (the <see cref="WeedGoClaims.TwoFactor"/> claim, rebuilt from the account whenever the principal
/// is). An account with 2FA on can only get a session through the code step: the password page asks for it, the token
/// endpoint requires it and the emailed-code sign-in refuses such accounts.
/// </summary>
public sealed class AdminTwoFactorRequirement : IAuthorizationRequirement
{
    public const string EnrolPath = "/Account/Manage/TwoFactor";

    /// <summary>True for admins whose account does not have 2FA on yet.</summary>
    public static bool IsMissing(ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated == true
        && (user.IsInRole(Roles.PlatformAdmin) || user.IsInRole(Roles.TenantAdmin))
        && !user.HasClaim(WeedGoClaims.TwoFactor, "on");
}

public sealed class AdminTwoFactorHandler : AuthorizationHandler<AdminTwoFactorRequirement>
{
    public static readonly string Reason = "Two-factor authentication is required for administrators: turn it on at " + AdminTwoFactorRequirement.EnrolPath + ".";

    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, AdminTwoFactorRequirement requirement)
    {
        if (AdminTwoFactorRequirement.IsMissing(context.User))
        {
            context.Fail(new AuthorizationFailureReason(this, Reason));
        }
        else
        {
            context.Succeed(requirement);
        }
        return Task.CompletedTask;
    }
}

/// <summary>A refusal caused by missing 2FA sends people to the enrolment page and answers APIs with a 403 that says why.</summary>
public sealed class AdminTwoFactorResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler fallback = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Forbidden
            && authorizeResult.AuthorizationFailure?.FailureReasons.Any(r => r.Handler is AdminTwoFactorHandler) == true
            && AdminTwoFactorRequirement.IsMissing(context.User))
        {
            var path = context.Request.Path;
            if (path.StartsWithSegments("/api") || path.StartsWithSegments("/hubs"))
            {
                await Results.Problem(title: "Two-factor authentication required.", detail: AdminTwoFactorHandler.Reason, statusCode: 403,
                    extensions: new Dictionary<string, object?> { ["reason"] = "two_factor_required" }).ExecuteAsync(context);
            }
            else
            {
                context.Response.Redirect(AdminTwoFactorRequirement.EnrolPath + "?required=true");
            }
            return;
        }
        await fallback.HandleAsync(next, context, policy, authorizeResult);
    }
}
