using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using WeedGo.Core.Accounts;

namespace WeedGo.Web.Security;

public sealed class AuthenticatorCodeOptions
{
    public const string Section = "WeedGo:Security";

    /// <summary>True (the default): an authenticator code that was accepted once is refused ever after, and so is any code
    /// older than it. Identity's own provider accepts a code as many times as it is shown (up to 90 s either way). Test
    /// hosts that sign the same demo admin in many times a minute switch it off; its own tests switch it on.</summary>
    public bool RejectReusedAuthenticatorCodes { get; set; } = true;
}

/// <summary>
/// Identity's authenticator provider with replay protection: a code (its 30 s time step, within ±2 steps of now, as Identity
/// allows for clock drift) is accepted only when its step is later than the last step this account used, which is then
/// stored with the account's tokens (<c>[WeedGo] AuthenticatorLastStep</c>). Someone who saw a code over a shoulder, in a
/// screen share or in a phishing proxy cannot use it again, at the password page's code step, the token API or 2FA setup.
/// </summary>
public sealed class OneUseAuthenticatorTokenProvider(IOptions<AuthenticatorCodeOptions> options, TimeProvider clock)
    : AuthenticatorTokenProvider<AppUser>
{
    public const string TokenStore = "WeedGo";
    public const string LastStepToken = "AuthenticatorLastStep";

    public override async Task<bool> ValidateAsync(string purpose, string token, UserManager<AppUser> manager, AppUser user)
    {
        if (!options.Value.RejectReusedAuthenticatorCodes)
        {
            return await base.ValidateAsync(purpose, token, manager, user);
        }
        var key = await manager.GetAuthenticatorKeyAsync(user);
        if (string.IsNullOrWhiteSpace(key) || AuthenticatorCode.MatchingStep(key, token, clock.GetUtcNow()) is not { } step)
        {
            return false;
        }
        var last = await manager.GetAuthenticationTokenAsync(user, TokenStore, LastStepToken);
        if (long.TryParse(last, System.Globalization.CultureInfo.InvariantCulture, out var used) && step <= used)
        {
            return false; // used already (or older than one that was)
        }
        var saved = await manager.SetAuthenticationTokenAsync(user, TokenStore, LastStepToken,
            step.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return saved.Succeeded;
    }
}
