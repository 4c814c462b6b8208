using Microsoft.AspNetCore.Identity;
using WeedGo.Core.Accounts;
using WeedGo.Core.Audit;

namespace WeedGo.Web.Identity;

/// <summary>
/// Records sign-in outcomes in the audit log (password page, <c>POST /api/auth/token</c>, one-time codes): success (Info),
/// failure (Warning) and lockout (Warning). The attempt that locks an account is both a failure and a lockout; an attempt on
/// an already locked account is a lockout only. Never the password or the code; the email as typed is kept (it is how an
/// attack on an account shows). Events go to the account's tenant chain, or the platform chain for unknown emails and
/// platform admins.
/// </summary>
public static class SignInAudit
{
    /// <summary>The <c>method</c> values of the second step (the code itself is never recorded).</summary>
    public static class TwoFactorMethods
    {
        public const string Authenticator = "authenticator";
        public const string RecoveryCode = "recovery_code";
        public const string TokenAuthenticator = "token_authenticator";
    }

    /// <summary>Before the attempt: the account (if any) and whether it was already locked.</summary>
    public static async Task<(AppUser? User, bool WasLocked)> BeforeAsync(UserManager<AppUser> users, string? email)
    {
        var user = string.IsNullOrWhiteSpace(email) ? null : await users.FindByEmailAsync(email);
        return (user, user is not null && await users.IsLockedOutAsync(user));
    }

    public static async Task RecordAsync(IAuditLog audit, string method, string? email, AppUser? user, bool wasLocked, SignInResult result)
    {
        var tenant = user?.TenantId;
        var platform = tenant is null;
        if (result.Succeeded)
        {
            await audit.RecordAsync(AuditEvents.SignInSucceeded, AuditSeverity.Info, new { email, method }, tenant, userId: user?.Id, platform: platform);
            return;
        }
        if (result.RequiresTwoFactor)
        {
            // The password was right; the authenticator step records the outcome.
            await audit.RecordAsync(AuditEvents.TwoFactorChallenged, AuditSeverity.Info, new { email, method }, tenant, userId: user?.Id, platform: platform);
            return;
        }
        if (!result.IsLockedOut || !wasLocked)
        {
            var reason = user is null ? "unknown_account" : result.IsNotAllowed ? "not_allowed"
                : method is TwoFactorMethods.Authenticator or TwoFactorMethods.RecoveryCode or TwoFactorMethods.TokenAuthenticator ? "wrong_code"
                : "wrong_password";
            await audit.RecordAsync(AuditEvents.SignInFailed, AuditSeverity.Warning, new { email, method, reason }, tenant, userId: user?.Id, platform: platform);
        }
        if (result.IsLockedOut)
        {
            await audit.RecordAsync(AuditEvents.LockedOut, AuditSeverity.Warning,
                new { email, method, reason = wasLocked ? "attempt_while_locked" : "too_many_failures", lockoutEnd = user?.LockoutEnd },
                tenant, userId: user?.Id, platform: platform);
        }
    }
}
