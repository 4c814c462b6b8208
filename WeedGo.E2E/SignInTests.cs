using System.Security.Claims;
using Microsoft.Playwright;
using WeedGo.Core.Accounts;
using WeedGo.Core.Data.DemoData;
using WeedGo.E2E.Support;
using WeedGo.Web.Components.Layout;

namespace WeedGo.E2E;

public sealed class SignInTests(AppHost app, BrowserFixture browser) : E2ETest(app, browser)
{
    /// <summary>The six people of Northern Lights and the platform, with the home each one lands on.</summary>
    public static TheoryData<string, string, string> DemoPeople => new()
    {
        { DemoDataSeeder.PlatformAdminEmail, Roles.PlatformAdmin, "/admin" },
        { "admin@northernlights.demo", Roles.TenantAdmin, "/admin" },
        { "manager@northernlights.demo", Roles.StoreManager, "/admin" },
        { "budtender@northernlights.demo", Roles.Budtender, "/admin" },
        { "driver@northernlights.demo", Roles.Driver, "/driver" },
        { "customer@northernlights.demo", Roles.Customer, "/" },
    };

    [Theory]
    [MemberData(nameof(DemoPeople))]
    public async Task Each_demo_role_lands_on_its_home_with_exactly_its_allowed_nav_items(string email, string role, string home)
    {
        Assert.Contains(DemoDataSeeder.Accounts, a => a.Email == email && a.Role == role);
        var expected = AdminAreas.VisibleTo(PersonIn(role)).Select(TestIdOf).ToList();
        Assert.Equal(home, AdminAreas.HomeFor(PersonIn(role)));

        await Login.SignInAsync(email);
        await Page.WaitForInteractiveAsync();

        Assert.Equal(home, Page.PathAndQuery());
        if (home == "/admin")
        {
            Assert.Equal(expected, await Admin.NavTestIdsAsync());
            await Assertions.Expect(Admin.Greeting).ToBeVisibleAsync();
        }
        else
        {
            Assert.Empty(expected);
            Assert.Equal(0, await Admin.Nav.CountAsync());
            await Assertions.Expect(Admin.UserMenu.Root).ToBeVisibleAsync();
        }

        // Concrete facts, written out, so a change to the policy map cannot silently change what the test expects.
        switch (role)
        {
            case Roles.Budtender:
                Assert.Contains("nav-orders", expected);
                Assert.DoesNotContain("nav-users", expected);
                Assert.DoesNotContain("nav-audit", expected);
                Assert.DoesNotContain("nav-stores", expected);
                break;
            case Roles.StoreManager:
                Assert.Contains("nav-stores", expected);
                Assert.Contains("nav-catalogue", expected);
                Assert.DoesNotContain("nav-users", expected);
                break;
            case Roles.TenantAdmin:
                Assert.Contains("nav-users", expected);
                Assert.Contains("nav-audit", expected);
                Assert.Contains("nav-rate-limits", expected); // their tenant's rules
                break;
            case Roles.PlatformAdmin:
                Assert.Contains("nav-rate-limits", expected);
                Assert.Contains("nav-stores", expected);
                Assert.DoesNotContain("nav-orders", expected);
                Assert.DoesNotContain("nav-chats", expected);
                break;
            case Roles.Driver:
                await Assertions.Expect(Page.GetByTestId("driver-greeting")).ToBeVisibleAsync();
                break;
            case Roles.Customer:
                await Assertions.Expect(Shop.StoreList).ToBeVisibleAsync();
                break;
        }
        if (home == "/admin")
        {
            Assert.Equal("nav-admin", expected[0]);
        }
    }

    [Fact]
    public async Task Anonymous_admin_is_sent_to_sign_in_and_returns_to_admin_after_signing_in()
    {
        await Page.GotoAsync("/admin");

        Assert.Equal("/Account/Login?ReturnUrl=%2Fadmin", Page.PathAndQuery());
        await Login.SubmitAsync("manager@northernlights.demo", DemoDataSeeder.DemoPassword);
        await Page.WaitForInteractiveAsync();
        Assert.Equal("/admin", Page.PathAndQuery());
        await Assertions.Expect(Admin.Greeting).ToContainTextAsync("Northern Lights");
    }

    [Fact]
    public async Task A_wrong_password_shows_a_clear_message_and_stays_on_sign_in()
    {
        await Login.GotoAsync();
        await Login.SubmitAsync("manager@northernlights.demo", "not-the-password-at-all");

        Assert.StartsWith(LoginPage.Path, Page.PathAndQuery());
        await Assertions.Expect(Login.StatusMessage).ToContainTextAsync("That email and password do not match");
        await Assertions.Expect(Login.StatusMessage).ToContainTextAsync("locked");
        Assert.Equal("manager@northernlights.demo", await Login.Email.InputValueAsync());
    }

    [Fact]
    public async Task Five_wrong_passwords_lock_the_account_and_then_even_the_right_password_is_refused()
    {
        // A Maple Leaf account, so the lock does not disturb the Northern Lights journeys sharing this app.
        const string email = "budtender@mapleleaf.demo";
        await Login.GotoAsync();
        for (var attempt = 1; attempt <= 4; attempt++)
        {
            await Login.SubmitAsync(email, $"wrong-password-{attempt}");
            await Assertions.Expect(Login.StatusMessage).ToBeVisibleAsync();
        }

        await Login.SubmitAsync(email, "wrong-password-5");
        Assert.Equal("/Account/Lockout", Page.PathAndQuery());
        await Assertions.Expect(Login.LockedOut).ToBeVisibleAsync();

        await Login.SignInAsync(email, DemoDataSeeder.DemoPassword);
        Assert.Equal("/Account/Lockout", Page.PathAndQuery());
        await Assertions.Expect(Login.LockedOut).ToBeVisibleAsync();
        Assert.DoesNotContain(await Context.CookiesAsync(), c => c.Name == "weedgo.auth");
    }

    [Fact]
    public async Task A_customer_opening_admin_sees_the_access_denied_page()
    {
        await Login.SignInAsync("customer@northernlights.demo");
        Assert.Equal("/", Page.PathAndQuery());

        await Page.GotoAsync("/admin");

        Assert.StartsWith("/Account/AccessDenied", Page.PathAndQuery());
        await Assertions.Expect(Page.GetByTestId("access-denied")).ToBeVisibleAsync();
        Assert.Equal(0, await Admin.Nav.CountAsync());
    }

    [Fact]
    public async Task Signing_out_returns_to_the_shop_as_an_anonymous_visitor()
    {
        await Login.SignInAsync("budtender@northernlights.demo");
        Assert.Equal("/admin", Page.PathAndQuery());

        await Admin.UserMenu.SignOutAsync();

        Assert.Equal("/", Page.PathAndQuery());
        await Page.WaitForInteractiveAsync();
        await Assertions.Expect(Shop.SignInButton).ToBeVisibleAsync();
        Assert.Equal(0, await Shop.UserMenu.Root.CountAsync());
        Assert.DoesNotContain(await Context.CookiesAsync(), c => c.Name == "weedgo.auth");

        // The session is really gone: the dashboard asks to sign in again.
        await Page.GotoAsync("/admin");
        Assert.Equal("/Account/Login?ReturnUrl=%2Fadmin", Page.PathAndQuery());
    }

    private static ClaimsPrincipal PersonIn(string role) =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.Role, role)], authenticationType: "e2e"));

    private static string TestIdOf(AdminArea area) => "nav-" + area.Href.Split('/').Last();
}
