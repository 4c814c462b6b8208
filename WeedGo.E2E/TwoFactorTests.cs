using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using WeedGo.Core.Accounts;
using WeedGo.Core.Data.DemoData;
using WeedGo.E2E.Support;
using WeedGo.Tests.Support;

namespace WeedGo.E2E;

public sealed class TwoFactorTests(AppHost app, BrowserFixture browser) : E2ETest(app, browser)
{
    private const string Password = "a long enough passphrase";

    [Fact]
    public async Task A_new_tenant_admin_is_made_to_enrol_then_signs_in_with_the_app_code_or_a_recovery_code()
    {
        var email = $"new.admin.{Guid.NewGuid():N}@mapleleaf.demo";
        await using (var scope = App.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            var user = new AppUser
            {
                UserName = email, Email = email, EmailConfirmed = true, DisplayName = "Nia Newadmin",
                TenantId = DemoDataSeeder.IdFor(DemoDataSeeder.MapleLeaf.Slug),
            };
            Assert.True((await users.CreateAsync(user, Password)).Succeeded);
            Assert.True((await users.AddToRoleAsync(user, Roles.TenantAdmin)).Succeeded);
        }

        // Password only: the admin home sends them to the enrolment page, and so does any admin page.
        await Login.SignInAsync(email, Password, authenticatorKey: null);
        Assert.Equal("/Account/Manage/TwoFactor?required=true", Page.PathAndQuery());
        await Assertions.Expect(Page.GetByTestId("two-factor-required")).ToBeVisibleAsync();
        await Page.GotoAsync("/admin/users");
        Assert.StartsWith("/Account/Manage/TwoFactor", Page.PathAndQuery());
        await Assertions.Expect(Page.GetByTestId("authenticator-qr")).ToBeVisibleAsync();
        await Screenshots.SaveAsync(Page, "two-factor-enrol");

        // Scan-free: read the key from the page and compute the code as an authenticator app would.
        var key = (await Page.GetByTestId("authenticator-key").InnerTextAsync()).Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();
        await Assertions.Expect(Page.GetByTestId("authenticator-uri")).ToContainTextAsync($"secret={key}");
        await Page.GetByTestId("enrol-code").FillAsync(Totp.Code(key) == "000000" ? "111111" : "000000");
        await Page.RunAndWaitForLoadAsync(() => Page.GetByTestId("enrol-submit").ClickAsync());
        await Assertions.Expect(Page.GetByTestId("status-message")).ToContainTextAsync("That code is not right");
        await Page.GetByTestId("enrol-code").FillAsync(Totp.Code(key));
        await Page.RunAndWaitForLoadAsync(() => Page.GetByTestId("enrol-submit").ClickAsync());
        var codes = Page.GetByTestId("recovery-codes").Locator("li");
        await Assertions.Expect(codes).ToHaveCountAsync(10);
        var recovery = await codes.Nth(0).InnerTextAsync();
        await Screenshots.SaveAsync(Page, "two-factor-recovery-codes");

        await Page.RunAndWaitForLoadAsync(() => Page.GetByTestId("two-factor-done").ClickAsync());
        await Page.WaitForInteractiveAsync();
        Assert.Equal("/admin", Page.PathAndQuery());
        await Assertions.Expect(Admin.Greeting).ToBeVisibleAsync();

        // Signed out and back in: the password is followed by the code step; a wrong code is refused with a reason.
        await Admin.UserMenu.SignOutAsync();
        await Login.SignInAsync(email, Password, authenticatorKey: null);
        Assert.StartsWith(LoginPage.TwoFactorPath, Page.PathAndQuery());
        await Screenshots.SaveAsync(Page, "two-factor-code-step");
        await Login.EnterTwoFactorCodeAsync(Totp.Code(key) == "000000" ? "111111" : "000000");
        await Assertions.Expect(Login.StatusMessage).ToContainTextAsync("That code is not right");
        await Screenshots.SaveAsync(Page, "two-factor-code-wrong");
        await Login.EnterTwoFactorCodeAsync(Totp.Code(key));
        await Page.WaitForInteractiveAsync();
        Assert.Equal("/admin", Page.PathAndQuery());
        await Page.GotoAsync("/admin/users");
        Assert.Equal("/admin/users", Page.PathAndQuery());

        // Lost phone: a recovery code signs in once.
        await Context.ClearCookiesAsync();
        await Login.SignInAsync(email, Password, authenticatorKey: null);
        await Page.RunAndWaitForLoadAsync(() => Page.GetByTestId("use-recovery-code").ClickAsync());
        await Page.GetByTestId("recovery-code").FillAsync(recovery);
        await Page.RunAndWaitForLoadAsync(() => Page.GetByTestId("recovery-submit").ClickAsync());
        Assert.Equal("/admin", Page.PathAndQuery());
        await Context.ClearCookiesAsync();
        await Login.SignInAsync(email, Password, authenticatorKey: null);
        await Page.GotoAsync(LoginPage.TwoFactorPath.Replace("LoginWith2fa", "LoginWithRecoveryCode", StringComparison.Ordinal));
        await Page.GetByTestId("recovery-code").FillAsync(recovery);
        await Page.RunAndWaitForLoadAsync(() => Page.GetByTestId("recovery-submit").ClickAsync());
        await Assertions.Expect(Login.StatusMessage).ToContainTextAsync("used already");
    }

    [Fact]
    public async Task An_emailed_code_alone_does_not_sign_in_an_admin_with_two_factor_authentication()
    {
        var codes = new CodeSignInPage(Page);
        await Page.GotoAsync(CodeSignInPage.Path);
        await codes.RequestAsync(DemoDataSeeder.PlatformAdminEmail);
        await codes.EnterAsync(await codes.ReadCodeFromOutboxAsync(DemoDataSeeder.PlatformAdminEmail));
        await Assertions.Expect(codes.StatusMessage).ToContainTextAsync("uses two-factor authentication");
        Assert.StartsWith("/Account/LoginWithCode/Enter", Page.PathAndQuery());
        await Page.GotoAsync("/admin");
        Assert.StartsWith("/Account/Login", Page.PathAndQuery());
    }
}
