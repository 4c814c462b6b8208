using Microsoft.Playwright;
using WeedGo.E2E.Support;

namespace WeedGo.E2E;

/// <summary>One-time codes: sign in with an emailed code (read from /dev/outbox), wrong codes, and verifying email and phone.</summary>
public sealed class CodeSignInTests(AppHost app, BrowserFixture browser) : E2ETest(app, browser)
{
    private CodeSignInPage Codes => new(Page);

    [Fact]
    public async Task A_customer_asks_for_a_code_reads_it_from_the_outbox_enters_it_and_lands_on_the_shop_signed_in()
    {
        const string email = "customer@northernlights.demo";
        await Login.GotoAsync();
        await Screenshots.SaveAsync(Page, "sign-in-with-code-option");
        // A link between static pages: Blazor's enhanced navigation swaps the page without a load event.
        await Page.GetByTestId("login-with-code").ClickAsync();
        await Page.WaitForURLAsync("**" + CodeSignInPage.Path);
        await Page.GetByTestId("code-by-email").WaitForAsync();
        await Screenshots.SaveAsync(Page, "sign-in-code-request");

        await Codes.RequestAsync(email);

        Assert.Equal("/Account/LoginWithCode/Enter", Page.PathAndQuery());
        await Assertions.Expect(Codes.SentTo).ToContainTextAsync($"If an account uses {email}, we've emailed it a 6-digit code.");
        await Screenshots.SaveAsync(Page, "sign-in-code-entry");
        var code = await Codes.ReadCodeFromOutboxAsync(email, screenshot: "dev-outbox");
        Assert.Matches("^[0-9]{6}$", code);

        await Codes.Code.FillAsync(code);
        await Screenshots.SaveAsync(Page, "sign-in-code-typed");
        await Codes.EnterAsync(code);

        Assert.Equal("/", Page.PathAndQuery());
        await Page.WaitForInteractiveAsync();
        await Assertions.Expect(Shop.UserMenu.Root).ToBeVisibleAsync();
        Assert.Contains(await Context.CookiesAsync(), c => c.Name == "weedgo.auth");
        Assert.DoesNotContain(await Context.CookiesAsync(), c => c.Name == "weedgo.otp");
    }

    [Fact]
    public async Task A_wrong_code_says_how_many_attempts_are_left_and_the_right_one_still_works()
    {
        const string email = "customer@mapleleaf.demo";
        await Page.GotoAsync(CodeSignInPage.Path);
        await Codes.RequestAsync(email);
        var code = await Codes.ReadCodeFromOutboxAsync(email);

        await Codes.EnterAsync(CodeSignInPage.Not(code));

        Assert.Equal("/Account/LoginWithCode/Enter", Page.PathAndQuery());
        await Assertions.Expect(Codes.StatusMessage).ToContainTextAsync("That code is not right. 2 attempts left.");
        Assert.Equal("", await Codes.Code.InputValueAsync());
        await Screenshots.SaveAsync(Page, "sign-in-code-wrong");

        await Codes.EnterAsync(code);
        Assert.Equal("/", Page.PathAndQuery());
        await Page.WaitForInteractiveAsync();
        await Assertions.Expect(Shop.UserMenu.Root).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Staff_signing_in_with_a_code_keep_the_return_url_and_an_unknown_email_gets_the_same_page()
    {
        await Page.GotoAsync("/admin");
        Assert.Equal("/Account/Login?ReturnUrl=%2Fadmin", Page.PathAndQuery());
        await Page.GetByTestId("login-with-code").ClickAsync();
        await Page.WaitForURLAsync("**/Account/LoginWithCode?ReturnUrl=%2Fadmin");

        // Nobody has this address: the answer is the same page and sentence, and nothing is sent.
        await Codes.RequestAsync("nobody.here@northernlights.demo");
        Assert.Equal("/Account/LoginWithCode/Enter?ReturnUrl=%2Fadmin", Page.PathAndQuery());
        await Assertions.Expect(Codes.SentTo).ToContainTextAsync("If an account uses nobody.here@northernlights.demo, we've emailed it a 6-digit code.");
        var outbox = await Context.NewPageAsync();
        await outbox.GotoAsync("/dev/outbox?to=nobody.here%40northernlights.demo");
        await Assertions.Expect(outbox.GetByTestId("outbox-empty")).ToBeVisibleAsync();
        await outbox.CloseAsync();

        await Page.GetByText("Use another email").ClickAsync();
        await Page.WaitForURLAsync("**/Account/LoginWithCode?ReturnUrl=%2Fadmin");
        await Codes.RequestAsync("manager@northernlights.demo");
        await Codes.EnterAsync(await Codes.ReadCodeFromOutboxAsync("manager@northernlights.demo"));

        Assert.Equal("/admin", Page.PathAndQuery());
        await Page.WaitForInteractiveAsync();
        await Assertions.Expect(Admin.Greeting).ToContainTextAsync("Northern Lights");
    }

    [Fact]
    public async Task A_customer_verifies_their_phone_and_a_new_customer_their_email_from_the_profile()
    {
        await Login.SignInAsync("customer@northernlights.demo");
        await Page.GotoAsync("/Account/Manage");
        await Assertions.Expect(Page.GetByTestId("verify-phone")).ToBeVisibleAsync();
        await Screenshots.SaveAsync(Page, "profile-contact-unverified");

        await Page.RunAndWaitForLoadAsync(() => Page.GetByTestId("verify-phone").ClickAsync());
        Assert.Equal("/Account/Manage/Verify/phone", Page.PathAndQuery());
        await Assertions.Expect(Codes.SentTo).ToContainTextAsync("We've texted a 6-digit code to 416-555-0199");
        await Screenshots.SaveAsync(Page, "profile-verify-phone");
        await Codes.EnterAsync(await Codes.ReadCodeFromOutboxAsync("+14165550199"));

        Assert.Equal("/Account/Manage", Page.PathAndQuery());
        await Assertions.Expect(Page.GetByTestId("status-message")).ToContainTextAsync("Your mobile number is verified.");
        await Assertions.Expect(Page.GetByTestId("contact-phone")).ToContainTextAsync("Verified");
        await Assertions.Expect(Page.GetByTestId("verify-phone")).ToHaveCountAsync(0);
        await Screenshots.SaveAsync(Page, "profile-contact-verified");

        // The same pages on a phone.
        var phone = await NewPageAsync(new ViewportSize { Width = 390, Height = 844 });
        await phone.GotoAsync(CodeSignInPage.Path);
        // (A manager: admins have two-factor authentication on, and an emailed code alone does not sign them in.)
        await new CodeSignInPage(phone).RequestAsync("manager@northernlights.demo");
        await Screenshots.SaveAsync(phone, "sign-in-code-entry-phone");
        await new CodeSignInPage(phone).EnterAsync(await new CodeSignInPage(phone).ReadCodeFromOutboxAsync("manager@northernlights.demo"));
        Assert.Equal("/admin", phone.PathAndQuery());
        await phone.GotoAsync("/Account/Manage");
        await Screenshots.SaveAsync(phone, "profile-contact-phone");

        // Demo accounts come with a confirmed email; a newly registered one does not.
        var other = await NewPageAsync(new ViewportSize { Width = 1280, Height = 800 });
        var otherCodes = new CodeSignInPage(other);
        const string email = "verify.me@example.com";
        await other.GotoAsync("/Account/Register");
        await other.Locator("#Input\\.Name").FillAsync("Vera Fy");
        await other.Locator("#Input\\.Email").FillAsync(email);
        await other.Locator("#Input\\.BirthDate").FillAsync("1990-01-01");
        await other.Locator("#Input\\.Password").FillAsync("a long enough passphrase");
        await other.Locator("#Input\\.ConfirmPassword").FillAsync("a long enough passphrase");
        await other.RunAndWaitForLoadAsync(() => other.GetByTestId("register-submit").ClickAsync());
        await other.GotoAsync("/Account/Manage");
        await other.RunAndWaitForLoadAsync(() => other.GetByTestId("verify-email").ClickAsync());
        Assert.Equal("/Account/Manage/Verify/email", other.PathAndQuery());
        var code = await otherCodes.ReadCodeFromOutboxAsync(email);
        await otherCodes.EnterAsync(CodeSignInPage.Not(code));
        await Assertions.Expect(otherCodes.StatusMessage).ToContainTextAsync("That code is not right. 2 attempts left.");
        await otherCodes.EnterAsync(code);
        Assert.Equal("/Account/Manage", other.PathAndQuery());
        await Assertions.Expect(other.GetByTestId("status-message")).ToContainTextAsync("Your email address is verified.");
        await Assertions.Expect(other.GetByTestId("contact-email")).ToContainTextAsync("Verified");
    }
}
