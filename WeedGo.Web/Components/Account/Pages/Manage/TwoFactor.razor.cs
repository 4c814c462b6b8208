using System.Text;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Identity;
using QRCoder;
using WeedGo.Core.Accounts;
using WeedGo.Core.Audit;
using WeedGo.Web.Identity;

namespace WeedGo.Web.Components.Account.Pages.Manage;

/// <summary>
/// Authenticator-app enrolment (ASP.NET Core Identity's authenticator token provider: RFC 6238, SHA-1, 30 s, 6 digits):
/// shows the key as text, otpauth:// link and QR code (a PNG data URI: the CSP allows data: images), turns 2FA on after a
/// first right code and shows 10 recovery codes once. Admins (PlatformAdmin, TenantAdmin) are sent here until they enrol and
/// cannot turn it off.
/// </summary>
public sealed partial class TwoFactor
{
    private const string Issuer = "WeedGo";

    [Inject] private UserManager<AppUser> UserManager { get; set; } = default!;
    [Inject] private SignInManager<AppUser> SignInManager { get; set; } = default!;
    [Inject] private IdentityRedirectManager RedirectManager { get; set; } = default!;
    [Inject] private IAuditLog Audit { get; set; } = default!;
    [Inject] private WeedGo.Core.RateLimiting.IOperationLimiter Limiter { get; set; } = default!;
    [Inject] private ILogger<TwoFactor> Logger { get; set; } = default!;

    [CascadingParameter] private HttpContext HttpContext { get; set; } = default!;

    [SupplyParameterFromForm(FormName = "enable-2fa")] private InputModel Input { get; set; } = default!;

    [SupplyParameterFromQuery] private bool Required { get; set; }

    private AppUser? user;
    private bool enabled;
    private bool mustHave;
    private int recoveryLeft;
    private string sharedKey = "";
    private string authenticatorUri = "";
    private string qrDataUri = "";
    private string? message;
    private IReadOnlyList<string>? recoveryCodes;

    protected override async Task OnInitializedAsync()
    {
        Input ??= new();
        user = await UserManager.GetUserAsync(HttpContext.User);
        if (user is null)
        {
            RedirectManager.RedirectToInvalidUser(UserManager, HttpContext);
            return;
        }
        var roles = await UserManager.GetRolesAsync(user);
        mustHave = roles.Contains(Roles.PlatformAdmin) || roles.Contains(Roles.TenantAdmin);
        await LoadAsync();
    }

    private async Task LoadAsync()
    {
        enabled = await UserManager.GetTwoFactorEnabledAsync(user!);
        if (enabled)
        {
            recoveryLeft = await UserManager.CountRecoveryCodesAsync(user!);
            return;
        }
        var key = await UserManager.GetAuthenticatorKeyAsync(user!);
        if (string.IsNullOrEmpty(key))
        {
            await UserManager.ResetAuthenticatorKeyAsync(user!);
            key = await UserManager.GetAuthenticatorKeyAsync(user!);
        }
        sharedKey = key!;
        authenticatorUri = AuthenticatorUri(user!.Email!, sharedKey);
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(authenticatorUri, QRCodeGenerator.ECCLevel.M);
        qrDataUri = "data:image/png;base64," + Convert.ToBase64String(new PngByteQRCode(data).GetGraphic(5));
    }

    public static string AuthenticatorUri(string email, string key) =>
        $"otpauth://totp/{Uri.EscapeDataString(Issuer)}:{Uri.EscapeDataString(email)}?secret={key}&issuer={Uri.EscapeDataString(Issuer)}&digits=6";

    /// <summary>"ABCDEFGH…" → "abcd efgh …" (easier to type; authenticator apps ignore case and spaces).</summary>
    public static string FormatKey(string key)
    {
        var result = new StringBuilder();
        for (var i = 0; i < key.Length; i += 4)
        {
            if (i > 0)
            {
                result.Append(' ');
            }
            result.Append(key.AsSpan(i, Math.Min(4, key.Length - i)));
        }
        return result.ToString().ToLowerInvariant();
    }

    private async Task EnableAsync()
    {
        if (await Limiter.TryAcquireAsync(WeedGo.Core.RateLimiting.RateOperations.SignIn) is { Allowed: false } refused)
        {
            message = "Error: " + refused.Message;
            return;
        }
        var code = TwoFactorSignIn.Normalize(Input.Code);
        if (!await UserManager.VerifyTwoFactorTokenAsync(user!, UserManager.Options.Tokens.AuthenticatorTokenProvider, code))
        {
            message = "Error: That code is not right. Check the key in your app and enter the code it shows now (codes change every 30 seconds).";
            Input.Code = "";
            await RecordAsync("enrol_failed", AuditSeverity.Warning);
            return;
        }
        await UserManager.SetTwoFactorEnabledAsync(user!, true);
        recoveryCodes = [.. (await UserManager.GenerateNewTwoFactorRecoveryCodesAsync(user!, 10))!];
        // The new principal carries the 2FA claim, so admin pages open from now on.
        await SignInManager.RefreshSignInAsync(user!);
        Logger.LogInformation("Two-factor authentication turned on ({UserId})", user!.Id);
        await RecordAsync("enabled", AuditSeverity.Info);
        enabled = true;
    }

    private async Task NewRecoveryCodesAsync()
    {
        recoveryCodes = [.. (await UserManager.GenerateNewTwoFactorRecoveryCodesAsync(user!, 10))!];
        await RecordAsync("recovery_codes_renewed", AuditSeverity.Info);
    }

    private async Task ResetKeyAsync()
    {
        await UserManager.SetTwoFactorEnabledAsync(user!, false);
        await UserManager.ResetAuthenticatorKeyAsync(user!);
        await SignInManager.RefreshSignInAsync(user!);
        await RecordAsync("key_reset", AuditSeverity.Warning);
        RedirectManager.RedirectToWithStatus("Account/Manage/TwoFactor",
            "Your authenticator key has been reset: add the new key to your app and verify a code to turn two-factor authentication back on.", HttpContext);
    }

    private async Task DisableAsync()
    {
        if (mustHave)
        {
            message = "Error: Administrators cannot turn two-factor authentication off.";
            return;
        }
        await UserManager.SetTwoFactorEnabledAsync(user!, false);
        await UserManager.ResetAuthenticatorKeyAsync(user!);
        await SignInManager.RefreshSignInAsync(user!);
        await RecordAsync("disabled", AuditSeverity.Warning);
        RedirectManager.RedirectToWithStatus("Account/Manage", "Two-factor authentication is off.", HttpContext);
    }

    private Task RecordAsync(string action, AuditSeverity severity) =>
        Audit.RecordAsync(AuditEvents.TwoFactorChanged, severity, new { email = user!.Email, action }, user.TenantId,
            userId: user.Id, platform: user.TenantId is null);
}
