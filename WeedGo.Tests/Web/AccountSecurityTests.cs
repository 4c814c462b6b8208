using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using WeedGo.Core.Accounts;
using WeedGo.Tests.Support;

namespace WeedGo.Tests.Web;

public sealed class AccountSecurityTests(WebAppFixture app) : IClassFixture<WebAppFixture>
{
    [Fact]
    public async Task Passwords_need_twelve_characters_and_nothing_else()
    {
        await using var scope = app.Factory.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var shortOne = await users.CreateAsync(new AppUser { UserName = "short@example.com", Email = "short@example.com" }, "elevenchars");
        Assert.Contains(shortOne.Errors, e => e.Code == "PasswordTooShort");
        var plain = await users.CreateAsync(new AppUser { UserName = "plain@example.com", Email = "plain@example.com" }, "correcthorsebattery");
        Assert.True(plain.Succeeded, string.Join(" ", plain.Errors.Select(e => e.Description)));
    }

    [Fact]
    public async Task Password_hashes_use_at_least_210000_pbkdf2_iterations()
    {
        await using var scope = app.Factory.Services.CreateAsyncScope();
        var hasher = scope.ServiceProvider.GetRequiredService<IPasswordHasher<AppUser>>();
        var hash = Convert.FromBase64String(hasher.HashPassword(new AppUser(), "some long passphrase"));
        Assert.Equal(0x01, hash[0]); // format v3
        var iterations = (hash[5] << 24) | (hash[6] << 16) | (hash[7] << 8) | hash[8];
        Assert.True(iterations >= 210_000, $"iterations: {iterations}");
    }

    [Fact]
    public async Task Five_failures_lock_the_account_for_five_minutes_and_then_the_right_password_is_refused_too()
    {
        var client = app.Client();
        for (var i = 0; i < 4; i++)
        {
            var wrong = await client.PostAsJsonAsync("/api/auth/token", new { email = "budtender@mapleleaf.demo", password = "wrong password " + i });
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }
        var fifth = await client.PostAsJsonAsync("/api/auth/token", new { email = "budtender@mapleleaf.demo", password = "wrong password 5" });
        Assert.Equal(HttpStatusCode.Locked, fifth.StatusCode);
        var right = await client.PostAsJsonAsync("/api/auth/token", new { email = "budtender@mapleleaf.demo", password = Core.Data.DemoData.DemoDataSeeder.DemoPassword });
        Assert.Equal(HttpStatusCode.Locked, right.StatusCode);

        var options = app.Factory.Services.GetRequiredService<IOptions<IdentityOptions>>().Value.Lockout;
        Assert.Equal(5, options.MaxFailedAccessAttempts);
        Assert.Equal(TimeSpan.FromMinutes(5), options.DefaultLockoutTimeSpan);
    }
}
