using Microsoft.Playwright;
using WeedGo.E2E.Support;

namespace WeedGo.E2E;

public sealed class AccountTests(AppHost app, BrowserFixture browser) : E2ETest(app, browser)
{
    private async Task FillRegistrationAsync(string email, string birthDate, string password = "a long enough passphrase")
    {
        await Page.GotoAsync("/Account/Register");
        await Page.Locator("#Input\\.Name").FillAsync("Riley Shopper");
        await Page.Locator("#Input\\.Email").FillAsync(email);
        await Page.Locator("#Input\\.BirthDate").FillAsync(birthDate);
        await Page.Locator("#Input\\.Password").FillAsync(password);
        await Page.Locator("#Input\\.ConfirmPassword").FillAsync(password);
        await Page.RunAndWaitForLoadAsync(() => Page.GetByTestId("register-submit").ClickAsync());
    }

    [Fact]
    public async Task Someone_under_19_cannot_register_and_is_told_why()
    {
        var fifteen = DateTime.Today.AddYears(-15).ToString("yyyy-MM-dd");
        await FillRegistrationAsync("too.young@example.com", fifteen);
        await Assertions.Expect(Page.GetByTestId("status-message")).ToContainTextAsync("You must be 19 or older");
        Assert.StartsWith("/Account/Register", Page.PathAndQuery());
        await Screenshots.SaveAsync(Page, "register-under-age");
    }

    [Fact]
    public async Task A_short_password_is_refused_with_the_rule()
    {
        await FillRegistrationAsync("short.pass@example.com", "1990-01-01", "short");
        await Assertions.Expect(Page.Locator(".validation-message").First).ToContainTextAsync("at least 12 characters");
    }

    [Fact]
    public async Task An_adult_registers_lands_on_the_shop_signed_in_and_can_edit_their_profile()
    {
        await FillRegistrationAsync("riley@example.com", "1995-06-01");
        await Page.WaitForInteractiveAsync();
        Assert.Equal("/", Page.PathAndQuery());
        await Assertions.Expect(Page.GetByTestId("user-name")).ToHaveTextAsync("Riley Shopper");

        await Page.GotoAsync("/Account/Manage");
        await Assertions.Expect(Page.Locator("#Input\\.BirthDate")).ToBeDisabledAsync(); // set once at registration
        await Page.Locator("#Input\\.Phone").FillAsync("416-555-0142");
        await Page.Locator("#Input\\.CustomerType").SelectOptionAsync("Medical");
        await Page.RunAndWaitForLoadAsync(() => Page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync());
        await Assertions.Expect(Page.GetByTestId("status-message")).ToContainTextAsync("Your profile has been saved.");
        await Assertions.Expect(Page.Locator("#Input\\.Phone")).ToHaveValueAsync("416-555-0142");
        await Assertions.Expect(Page.Locator("#Input\\.CustomerType")).ToHaveValueAsync("Medical");
        await Screenshots.SaveAsync(Page, "account-profile");
    }
}
