using Microsoft.AspNetCore.DataProtection;
using WeedGo.Core.Messaging;

namespace WeedGo.Web.Components.Account;

/// <summary>
/// Which email (and channel) the code-entry page is waiting for, between asking for a sign-in code and typing it. Kept in a
/// short-lived, data-protected, HTTP-only cookie rather than the URL, so the address stays out of history and access logs and
/// cannot be edited into another.
/// </summary>
public sealed class PendingCodeCookie(IDataProtectionProvider protection)
{
    public const string Name = "weedgo.otp";
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(15);
    private readonly ITimeLimitedDataProtector _protector =
        protection.CreateProtector("WeedGo.OneTimeCode.Pending").ToTimeLimitedDataProtector();

    public sealed record Pending(string Email, MessageChannel Channel);

    public void Set(HttpContext context, string email, MessageChannel channel) =>
        context.Response.Cookies.Append(Name, _protector.Protect($"{channel}\n{email}", Lifetime), new CookieOptions
        {
            HttpOnly = true, SameSite = SameSiteMode.Lax, Secure = context.Request.IsHttps, IsEssential = true, MaxAge = Lifetime,
            Path = "/Account",
        });

    public Pending? Get(HttpContext context)
    {
        if (context.Request.Cookies[Name] is not { Length: > 0 } value)
        {
            return null;
        }
        try
        {
            var parts = _protector.Unprotect(value).Split('\n', 2);
            return parts.Length == 2 && Enum.TryParse<MessageChannel>(parts[0], out var channel) ? new Pending(parts[1], channel) : null;
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return null; // expired or tampered with: ask again
        }
    }

    public static void Clear(HttpContext context) => context.Response.Cookies.Delete(Name, new CookieOptions { Path = "/Account" });
}
