using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using WeedGo.Core.Data.DemoData;
using WeedGo.Tests.Support;

namespace WeedGo.Tests.Web;

public sealed class DemoPasswordGuardTests(DemoDatabaseFixture db) : IClassFixture<DemoDatabaseFixture>
{
    private WebApplicationFactory<Program> Host(string environment) => new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
    {
        b.UseEnvironment(environment);
        b.UseSetting("ConnectionStrings:WeedGo", db.ConnectionString);
        b.UseSetting("Logging:LogLevel:Default", "Warning");
    });

    [Fact]
    public async Task Outside_development_the_app_refuses_to_start_while_a_demo_password_or_the_demo_authenticator_key_works_and_starts_once_they_are_changed()
    {
        await DemoWorld.LoadAsync(db);
        await using (var production = Host("Production"))
        {
            var e = Assert.ThrowsAny<Exception>(() => production.Server);
            Assert.Contains("demo account(s) still use the demo password", e.GetBaseException().Message);
        }

        // Rotate every demo password (as an operator would), then the same environment starts.
        await using (var ctx = db.Context())
        {
            var rotated = new Microsoft.AspNetCore.Identity.PasswordHasher<Core.Accounts.AppUser>().HashPassword(new(), "a rotated operator password");
            await ctx.Users.ExecuteUpdateAsync(u => u.SetProperty(x => x.PasswordHash, rotated));
        }
        // The demo admins' published authenticator key still stops it.
        await using (var keyed = Host("Production"))
        {
            var e = Assert.ThrowsAny<Exception>(() => keyed.Server);
            Assert.Contains("still use the published demo authenticator key", e.GetBaseException().Message);
            Assert.Contains(DemoDataSeeder.PlatformAdminEmail, e.GetBaseException().Message);
        }
        await using (var ctx = db.Context())
        {
            await ctx.UserTokens.Where(t => t.Value == DemoDataSeeder.DemoAuthenticatorKey)
                .ExecuteUpdateAsync(t => t.SetProperty(x => x.Value, "OPERATORRESETKEYOPERATORRESETKEY"));
        }
        await using var afterRotation = Host("Production");
        Assert.NotNull(afterRotation.Server);
    }
}
