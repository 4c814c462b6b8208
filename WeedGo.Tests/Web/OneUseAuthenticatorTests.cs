using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using WeedGo.Core.Accounts;
using WeedGo.Core.Data.DemoData;
using WeedGo.Tests.Support;
using WeedGo.Web.Security;

namespace WeedGo.Tests.Web;

/// <summary>Authenticator codes are good once: replay protection on the real Identity stores of a demo database.</summary>
public sealed class OneUseAuthenticatorTests(WebAppFixture app) : IClassFixture<WebAppFixture>
{
    private const string Purpose = "TwoFactor";

    [Fact]
    public async Task A_code_signs_in_once_and_neither_it_nor_an_older_one_works_again()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var provider = new OneUseAuthenticatorTokenProvider(Options.Create(new AuthenticatorCodeOptions()), clock);
        await using var scope = app.Factory.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var admin = (await users.FindByEmailAsync("admin@mapleleaf.demo"))!;
        var key = (await users.GetAuthenticatorKeyAsync(admin))!;
        var now = AuthenticatorCode.StepAt(clock.GetUtcNow());
        string Code(long step) => AuthenticatorCode.ForStep(key, step);

        Assert.True(await provider.ValidateAsync(Purpose, Code(now), users, admin));
        Assert.False(await provider.ValidateAsync(Purpose, Code(now), users, admin)); // seen over a shoulder: refused
        Assert.False(await provider.ValidateAsync(Purpose, Code(now - 1), users, admin)); // older than the one used
        Assert.True(await provider.ValidateAsync(Purpose, Code(now + 1), users, admin)); // a phone a little ahead
        Assert.False(await provider.ValidateAsync(Purpose, Code(now + 3), users, admin)); // too far ahead
        Assert.False(await provider.ValidateAsync(Purpose, "12 345", users, admin));
        Assert.False(await provider.ValidateAsync(Purpose, "abcdef", users, admin));
        clock.Advance(TimeSpan.FromSeconds(AuthenticatorCode.StepSeconds));
        Assert.True(await provider.ValidateAsync(Purpose, Code(now + 2), users, admin)); // the next code, 30 s on
        Assert.Equal((now + 2).ToString(System.Globalization.CultureInfo.InvariantCulture),
            await users.GetAuthenticationTokenAsync(admin, OneUseAuthenticatorTokenProvider.TokenStore, OneUseAuthenticatorTokenProvider.LastStepToken));

        // Switched off (test hosts only), it behaves as Identity's: the code shown now works as often as it is typed.
        var lenient = new OneUseAuthenticatorTokenProvider(
            Options.Create(new AuthenticatorCodeOptions { RejectReusedAuthenticatorCodes = false }), TimeProvider.System);
        var current = Totp.Code(key);
        Assert.True(await lenient.ValidateAsync(Purpose, current, users, admin));
        Assert.True(await lenient.ValidateAsync(Purpose, current, users, admin));
    }

    [Fact]
    public async Task The_token_api_refuses_a_code_that_was_used_once_with_a_reason()
    {
        // The app as deployed: replay protection on.
        await using var deployed = app.Factory.WithWebHostBuilder(b => b.UseSetting("WeedGo:Security:RejectReusedAuthenticatorCodes", "true"));
        var client = deployed.CreateClient();
        var code = Totp.Code(DemoDataSeeder.DemoAuthenticatorKey);
        var request = new { email = "platform@weedgo.demo", password = DemoDataSeeder.DemoPassword, twoFactorCode = code };
        var first = await client.PostAsJsonAsync("/api/auth/token", request);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var again = await client.PostAsJsonAsync("/api/auth/token", request);
        Assert.Equal(HttpStatusCode.Unauthorized, again.StatusCode);
        var problem = await again.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        Assert.Equal("two_factor_invalid", problem.GetProperty("reason").GetString());
        Assert.Contains("used already", problem.GetProperty("detail").GetString());
    }
}
