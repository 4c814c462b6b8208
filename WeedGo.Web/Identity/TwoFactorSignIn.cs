using Microsoft.AspNetCore.Identity;
using WeedGo.Core.Accounts;
using WeedGo.Web.Components.Layout;

namespace WeedGo.Web.Identity;

/// <summary>Small helpers shared by the code step pages and the token endpoint.</summary>
public static class TwoFactorSignIn
{
    /// <summary>"123 456" or "123-456" → "123456".</summary>
    public static string Normalize(string? code) =>
        (code ?? "").Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal).Trim();

    public static string WithQuery(string path, string? returnUrl, bool? rememberMe)
    {
        var query = new List<string>();
        if (!string.IsNullOrEmpty(returnUrl))
        {
            query.Add("ReturnUrl=" + Uri.EscapeDataString(returnUrl));
        }
        if (rememberMe == true)
        {
            query.Add("RememberMe=true");
        }
        return query.Count == 0 ? path : path + "?" + string.Join('&', query);
    }

    /// <summary>The page asked for, or the person's home (admins land on /admin).</summary>
    public static async Task<string> DestinationAsync(SignInManager<AppUser> signIn, AppUser user, string? returnUrl)
    {
        if (!string.IsNullOrEmpty(returnUrl) && returnUrl != "/")
        {
            return returnUrl;
        }
        return AdminAreas.HomeFor(await signIn.CreateUserPrincipalAsync(user));
    }
}
