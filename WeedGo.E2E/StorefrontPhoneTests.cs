using System.Text.RegularExpressions;
using Microsoft.Playwright;
using WeedGo.E2E.Support;

namespace WeedGo.E2E;

/// <summary>The shop on a phone: menu, product page, cart and checkout fit a 390 px screen without sideways scrolling.</summary>
public sealed class StorefrontPhoneTests(AppHost app, BrowserFixture browser) : E2ETest(app, browser)
{
    protected override ViewportSize Viewport => new() { Width = 390, Height = 844 };

    [Fact]
    public async Task The_menu_product_cart_and_checkout_work_on_a_phone()
    {
        var email = $"phone.{Guid.NewGuid():N}@example.com";
        await Page.GotoAsync("/Account/Register?ReturnUrl=" + Uri.EscapeDataString("/s/northern-lights-yorkville"));
        await Page.Locator("#Input\\.Name").FillAsync("Pat Phone");
        await Page.Locator("#Input\\.Email").FillAsync(email);
        await Page.Locator("#Input\\.BirthDate").FillAsync("1988-07-01");
        await Page.Locator("#Input\\.Password").FillAsync("a long enough password");
        await Page.Locator("#Input\\.ConfirmPassword").FillAsync("a long enough password");
        await Page.RunAndWaitForLoadAsync(() => Page.GetByTestId("register-submit").ClickAsync());
        await Page.WaitForInteractiveAsync();

        // A signed-in adult's birth date answers the age gate: no question.
        await Assertions.Expect(Page.GetByTestId("product-card").First).ToBeVisibleAsync();
        await Assertions.Expect(Page.GetByTestId("age-gate")).ToHaveCountAsync(0);
        await AssertNoSidewaysScrollAsync();
        await Screenshots.SaveAsync(Page, "phone-menu");
        await Page.GetByTestId("filters-toggle").ClickAsync();
        await Assertions.Expect(Page.GetByTestId("menu-filters")).ToBeVisibleAsync();
        await Screenshots.SaveAsync(Page, "phone-menu-filters");

        await Page.GetByTestId("product-name").First.ClickAsync();
        await Assertions.Expect(Page).ToHaveURLAsync(new Regex("/s/northern-lights-yorkville/p/"));
        await Assertions.Expect(Page.GetByTestId("product-equivalency")).ToBeVisibleAsync();
        await Page.GetByTestId("product-add").ClickAsync();
        await Assertions.Expect(Page.GetByTestId("cart-message")).ToContainTextAsync("Added 1 ×");
        await AssertNoSidewaysScrollAsync();
        await Screenshots.SaveAsync(Page, "phone-product");

        await Page.GetByTestId("cart-slot").ClickAsync();
        await Assertions.Expect(Page.GetByTestId("cart-line")).ToHaveCountAsync(1);
        await AssertNoSidewaysScrollAsync();
        await Screenshots.SaveAsync(Page, "phone-cart");
        await Page.GetByTestId("checkout").ClickAsync();
        await Assertions.Expect(Page.GetByTestId("hold-notice")).ToBeVisibleAsync();
        await Page.GetByTestId("pay-card").ClickAsync();
        await Assertions.Expect(Page.GetByTestId("test-mode")).ToContainTextAsync("Test mode");
        await AssertNoSidewaysScrollAsync();
        await Screenshots.SaveAsync(Page, "phone-checkout");

        // A declined test card says so and keeps the hold; the approving card places the order.
        await Page.GetByTestId("card-number").FillAsync("4000 0000 0000 0002");
        await Page.GetByTestId("card-expiry").FillAsync("12/30");
        await Page.GetByTestId("card-cvc").FillAsync("123");
        await Page.GetByTestId("place-order").ClickAsync();
        await Assertions.Expect(Page.GetByTestId("place-error")).ToContainTextAsync("Payment declined");
        await Page.GetByTestId("card-number").FillAsync("4242 4242 4242 4242");
        await Page.GetByTestId("place-order").ClickAsync();
        await Assertions.Expect(Page).ToHaveURLAsync(new Regex(@"/orders/[0-9a-f-]{36}\?placed=1$"));
    }

    private async Task AssertNoSidewaysScrollAsync()
    {
        var overflow = await Page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth");
        Assert.True(overflow <= 0, $"The page scrolls sideways by {overflow} px on a phone.");
    }
}
