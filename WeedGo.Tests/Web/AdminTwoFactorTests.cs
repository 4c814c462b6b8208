using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using WeedGo.Core.Accounts;
using WeedGo.Core.Data.DemoData;
using WeedGo.Tests.Support;

namespace WeedGo.Tests.Web;

/// <summary>Admins must use an authenticator app: the admin pages and API refuse admins without it; the token endpoint asks for the code.</summary>
public sealed class AdminTwoFactorTests(WebAppFixture app) : IClassFixture<WebAppFixture>
{
    private const string Password = "a long enough passphrase";

    /// <summary>A new account with <paramref name="role"/> and no 2FA (Northern Lights, or the platform for PlatformAdmin).</summary>
    private async Task<AppUser> NewAccountAsync(string role)
    {
        await using var scope = app.Factory.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var email = $"{role.ToLowerInvariant()}.{Guid.NewGuid():N}@example.com";
        var user = new AppUser
        {
            UserName = email, Email = email, EmailConfirmed = true, DisplayName = "New " + role,
            TenantId = role == Roles.PlatformAdmin ? null : DemoDataSeeder.IdFor(DemoDataSeeder.NorthernLights.Slug),
        };
        Assert.True((await users.CreateAsync(user, Password)).Succeeded);
        Assert.True((await users.AddToRoleAsync(user, role)).Succeeded);
        return user;
    }

    /// <summary>Turns 2FA on as the enrolment page does; returns the key.</summary>
    private async Task<string> EnrolAsync(AppUser account)
    {
        await using var scope = app.Factory.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = (await users.FindByIdAsync(account.Id.ToString()))!;
        await users.ResetAuthenticatorKeyAsync(user);
        var key = (await users.GetAuthenticatorKeyAsync(user))!;
        Assert.True(await users.VerifyTwoFactorTokenAsync(user, TokenOptions.DefaultAuthenticatorProvider, Totp.Code(key)));
        await users.SetTwoFactorEnabledAsync(user, true);
        return key;
    }

    private Task<HttpResponseMessage> TokenAsync(string email, string? code = null, string? recovery = null) =>
        app.Client().PostAsJsonAsync("/api/auth/token", new { email, password = email.EndsWith(".demo", StringComparison.Ordinal) ? DemoDataSeeder.DemoPassword : Password, twoFactorCode = code, recoveryCode = recovery });

    private static async Task<string> ReasonAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reason").GetString()!;

    private HttpClient Bearer(string token)
    {
        var client = app.Client();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    [Fact]
    public async Task The_token_endpoint_asks_a_2fa_account_for_its_code_refuses_a_wrong_one_and_accepts_the_right_one()
    {
        var missing = await TokenAsync("admin@mapleleaf.demo");
        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        Assert.Equal("two_factor_required", await ReasonAsync(missing));

        var right = Totp.DemoCode();
        var wrong = right == "000000" ? "111111" : "000000";
        var refused = await TokenAsync("admin@mapleleaf.demo", wrong);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal("two_factor_invalid", await ReasonAsync(refused));

        var ok = await TokenAsync("admin@mapleleaf.demo", right);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        // Accounts without 2FA need no code.
        Assert.Equal(HttpStatusCode.OK, (await TokenAsync("manager@mapleleaf.demo")).StatusCode);
    }

    [Fact]
    public async Task A_platform_admin_without_2fa_is_refused_by_the_admin_api_and_pages_until_enrolled()
    {
        var admin = await NewAccountAsync(Roles.PlatformAdmin);
        var token = await TokenAsync(admin.Email!);
        Assert.Equal(HttpStatusCode.OK, token.StatusCode);
        var client = Bearer((await token.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString()!);

        var api = await client.GetAsync("/api/admin/stats");
        Assert.Equal(HttpStatusCode.Forbidden, api.StatusCode);
        Assert.Equal("two_factor_required", await ReasonAsync(api));
        var page = await client.GetAsync("/admin/stores");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.Equal("/Account/Manage/TwoFactor?required=true", page.Headers.Location!.ToString());
        // The enrolment page itself stays open to them.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/Account/Manage/TwoFactor")).StatusCode);

        var key = await EnrolAsync(admin);
        Assert.Equal(HttpStatusCode.Unauthorized, (await TokenAsync(admin.Email!)).StatusCode);
        var enrolled = await TokenAsync(admin.Email!, Totp.Code(key));
        Assert.Equal(HttpStatusCode.OK, enrolled.StatusCode);
        client = Bearer((await enrolled.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString()!);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/admin/stats")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/admin/stores")).StatusCode);
    }

    [Fact]
    public async Task A_tenant_admin_without_2fa_cannot_open_admin_pages_while_other_staff_can()
    {
        var admin = await NewAccountAsync(Roles.TenantAdmin);
        var client = Bearer(await app.TokenAsync(admin.Email!, Password));
        foreach (var path in new[] { "/admin", "/admin/users", "/admin/audit" })
        {
            var response = await client.GetAsync(path);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.StartsWith("/Account/Manage/TwoFactor", response.Headers.Location!.ToString());
        }
        // A store manager needs no 2FA; the demo tenant admin (enrolled) gets in.
        Assert.Equal(HttpStatusCode.OK, (await Bearer(await app.TokenAsync("manager@northernlights.demo")).GetAsync("/admin")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Bearer(await app.TokenAsync("admin@northernlights.demo")).GetAsync("/admin/users")).StatusCode);
    }

    [Fact]
    public async Task A_recovery_code_works_once()
    {
        var admin = await NewAccountAsync(Roles.TenantAdmin);
        await EnrolAsync(admin);
        string[] codes;
        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            codes = [.. (await users.GenerateNewTwoFactorRecoveryCodesAsync((await users.FindByIdAsync(admin.Id.ToString()))!, 10))!];
        }
        Assert.Equal(10, codes.Length);
        Assert.Equal(HttpStatusCode.OK, (await TokenAsync(admin.Email!, recovery: codes[3])).StatusCode);
        var again = await TokenAsync(admin.Email!, recovery: codes[3]);
        Assert.Equal(HttpStatusCode.Unauthorized, again.StatusCode);
        Assert.Equal("two_factor_invalid", await ReasonAsync(again));
        Assert.Equal(HttpStatusCode.OK, (await TokenAsync(admin.Email!, recovery: codes[4])).StatusCode);
    }

    [Fact]
    public async Task Wrong_codes_count_toward_lockout()
    {
        var admin = await NewAccountAsync(Roles.TenantAdmin);
        var key = await EnrolAsync(admin);
        var right = Totp.Code(key);
        var wrong = right == "000000" ? "111111" : "000000";
        for (var i = 1; i <= 4; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await TokenAsync(admin.Email!, wrong)).StatusCode);
        }
        Assert.Equal((HttpStatusCode)423, (await TokenAsync(admin.Email!, wrong)).StatusCode);
        // Locked: even the right code is refused now.
        Assert.Equal((HttpStatusCode)423, (await TokenAsync(admin.Email!, right)).StatusCode);

        // Audited: each wrong code is a failed sign-in (method and reason, never the code), the fifth also locks the account.
        var pool = app.Factory.Services.GetRequiredService<Microsoft.EntityFrameworkCore.Infrastructure.PooledDbContextFactory<Core.Data.WeedGoDbContext>>();
        await using var db = await pool.CreateDbContextAsync();
        db.UseTenant(Core.Common.FixedTenantContext.System);
        var rows = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ToListAsync(
            db.AuditLogs.Where(a => a.UserId == admin.Id));
        var failures = rows.Where(a => a.EventType == Core.Audit.AuditEvents.SignInFailed).ToList();
        Assert.Equal(5, failures.Count);
        Assert.All(failures, f => Assert.Contains("\"reason\":\"wrong_code\"", f.Details!.Replace(" ", "", StringComparison.Ordinal)));
        Assert.Equal(2, rows.Count(a => a.EventType == Core.Audit.AuditEvents.LockedOut));
        Assert.DoesNotContain(rows, a => (a.Details ?? "").Contains($"\"{wrong}\"", StringComparison.Ordinal) || (a.Details ?? "").Contains($"\"{right}\"", StringComparison.Ordinal));
    }

    [Fact]
    public void The_totp_helper_matches_the_rfc_6238_test_vector()
    {
        // RFC 6238 appendix B, SHA-1 key "12345678901234567890" (base32 below), T = 59 s → 94287082 (8 digits; 6 digits: 287082).
        Assert.Equal("287082", Totp.Code("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", DateTimeOffset.FromUnixTimeSeconds(59)));
        Assert.Equal("081804", Totp.Code("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", DateTimeOffset.FromUnixTimeSeconds(1111111109)));
    }
}
