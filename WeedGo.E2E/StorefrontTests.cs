using System.Text.RegularExpressions;
using Microsoft.Playwright;
using WeedGo.E2E.Support;

namespace WeedGo.E2E;

/// <summary>The customer's journey through one store's shop: age gate, menu, filters, search, cart with the 30 g meter, checkout.</summary>
public sealed class StorefrontTests(AppHost app, BrowserFixture browser) : E2ETest(app, browser)
{
    private const string Store = "/s/northern-lights-queen-west";

    [Fact]
    public async Task A_new_customer_passes_the_age_gate_filters_searches_fills_the_meter_and_checks_out_for_pickup()
    {
        // Age gate first; the store's header is public.
        await Page.GotoAsync(Store);
        await Page.WaitForInteractiveAsync();
        await Assertions.Expect(Page.GetByTestId("age-gate")).ToContainTextAsync("Are you 19 or older?");
        await Assertions.Expect(Page.GetByTestId("menu-grid")).ToHaveCountAsync(0);
        await Screenshots.SaveAsync(Page, "shop-age-gate");
        await Page.PassAgeGateAsync();
        await Assertions.Expect(Page.GetByTestId("product-card").First).ToBeVisibleAsync();
        await Screenshots.SaveAsync(Page, "shop-menu");

        // A category and a strain filter narrow the menu, and the URL says so (shareable).
        await Page.GetByTestId("category-chip").Filter(new() { HasText = "Flower" }).ClickAsync();
        await Assertions.Expect(Page).ToHaveURLAsync(new Regex("cat=Flower"));
        var flowerCount = await CountAsync();
        await Page.GetByTestId("menu-filters").GetByText(new Regex(@"^Indica \(\d+\)$")).ClickAsync();
        await Assertions.Expect(Page).ToHaveURLAsync(new Regex("strain=Indica"));
        await Assertions.Expect(Page.GetByTestId("result-count")).Not.ToHaveTextAsync($"{flowerCount} products");
        Assert.True(await CountAsync() < flowerCount);

        // Search: an exact SKU finds its product; a misspelt name still finds it.
        await Page.GotoAsync(Store);
        await Page.WaitForInteractiveAsync();
        var firstCard = Page.GetByTestId("product-card").First;
        var sku = await firstCard.GetAttributeAsync("data-sku");
        var name = (await firstCard.GetByTestId("product-name").InnerTextAsync()).Trim();
        await SearchAsync(sku!);
        await Assertions.Expect(Page.GetByTestId("product-card")).ToHaveCountAsync(1);
        await Assertions.Expect(Page.GetByTestId("product-name")).ToHaveTextAsync(name);
        var longest = name.Split(' ').OrderByDescending(w => w.Length).First();
        var typo = longest[..^2] + new string(longest[^1], 1) + new string(longest[^2], 1); // swap the last two letters
        await SearchAsync(typo);
        await Assertions.Expect(Page.GetByTestId("product-card").First).ToBeVisibleAsync();
        Assert.True(await CountAsync() > 0, $"'{typo}' found nothing");

        // The shared URL of a filtered view: 28 g flower. The first fills the meter to 28 g; a second is refused with the reason.
        await Page.GotoAsync($"{Store}?cat=Flower&size=28%20g&sort=pricelow");
        await Page.WaitForInteractiveAsync();
        var cards = Page.GetByTestId("product-card");
        await Assertions.Expect(cards.Nth(1)).ToBeVisibleAsync();
        await cards.Nth(0).GetByTestId("add-to-cart").ClickAsync();
        await Assertions.Expect(Page.GetByTestId("cart-message")).ToContainTextAsync("28 g of 30 g");
        await Assertions.Expect(Page.GetByTestId("cart-count")).ToContainTextAsync("1");
        await cards.Nth(1).GetByTestId("add-to-cart").ClickAsync();
        await Assertions.Expect(Page.GetByTestId("cart-message")).ToContainTextAsync("over the legal limit of 30 g per order");
        await Screenshots.SaveAsync(Page, "shop-meter-refusal");

        // The cart shows the meter; checking out asks a guest to sign in (here: register), and the guest cart comes along.
        await Page.GetByTestId("cart-slot").ClickAsync();
        await Assertions.Expect(Page).ToHaveURLAsync(new Regex("/cart$"));
        await Assertions.Expect(Page.GetByTestId("limit-meter-text")).ToHaveTextAsync("28 g of 30 g");
        await Assertions.Expect(Page.GetByTestId("cart-line")).ToHaveCountAsync(1);
        await Screenshots.SaveAsync(Page, "shop-cart");
        await Assertions.Expect(Page.GetByTestId("checkout")).ToContainTextAsync("Sign in to check out");

        var email = $"shopper.{Guid.NewGuid():N}@example.com";
        await Page.GotoAsync("/Account/Register?ReturnUrl=" + Uri.EscapeDataString(Store + "/checkout"));
        await Page.Locator("#Input\\.Name").FillAsync("Casey Buyer");
        await Page.Locator("#Input\\.Email").FillAsync(email);
        await Page.Locator("#Input\\.BirthDate").FillAsync("1992-03-14");
        await Page.Locator("#Input\\.Password").FillAsync("a long enough password");
        await Page.Locator("#Input\\.ConfirmPassword").FillAsync("a long enough password");
        await Page.RunAndWaitForLoadAsync(() => Page.GetByTestId("register-submit").ClickAsync());
        await Page.WaitForInteractiveAsync();
        Assert.Equal(Store + "/checkout", Page.PathAndQuery());

        // Checkout holds the stock, offers pickup times, prices on the server; one click places one order.
        await Assertions.Expect(Page.GetByTestId("hold-notice")).ToContainTextAsync("We are holding your items until");
        await Assertions.Expect(Page.GetByTestId("review-line")).ToHaveCountAsync(1);
        await Assertions.Expect(Page.GetByTestId("customer-name")).ToHaveValueAsync("Casey Buyer");
        await Screenshots.SaveAsync(Page, "shop-checkout");
        // A budtender has the Queen West queue open in another browser before the order is placed.
        var staff = await NewPageAsync(Viewport);
        await new LoginPage(staff).SignInAsync("budtender@northernlights.demo");
        await staff.GotoAsync($"/admin/orders?store={StaffActions.QueenWest}");
        await staff.WaitForInteractiveAsync();
        await Assertions.Expect(staff.GetByTestId("order-queue").Or(staff.GetByTestId("no-orders")).First).ToBeVisibleAsync();

        await Page.GetByTestId("place-order").DblClickAsync();
        await Assertions.Expect(Page).ToHaveURLAsync(new Regex(@"/orders/[0-9a-f-]{36}\?placed=1$"));
        await Assertions.Expect(Page.GetByTestId("order-placed")).ToBeVisibleAsync();
        await Assertions.Expect(Page.GetByTestId("order-status")).ToHaveTextAsync("Placed");
        await Assertions.Expect(Page.GetByTestId("cart-count")).Not.ToContainTextAsync("1"); // the cart became the order
        var number = Regex.Match(await Page.GetByTestId("order-placed").InnerTextAsync(), @"WG-\d+").Value;
        await Screenshots.SaveAsync(Page, "shop-order-placed");

        // It appears in the staff queue without a reload; staff confirm, pack and ready it; the customer's page follows live.
        var row = staff.GetByTestId("order-queue").Locator("tbody tr").Filter(new() { HasText = number });
        await Assertions.Expect(row).ToBeVisibleAsync();
        await Assertions.Expect(row.GetByTestId("order-customer")).ToHaveTextAsync("Casey Buyer");
        await row.GetByTestId("order-link").ClickAsync();
        var status = staff.GetByTestId("detail-status");
        await Assertions.Expect(status).ToHaveTextAsync("New");
        await staff.GetByTestId("action-confirm").ClickAsync();
        await Assertions.Expect(status).ToHaveTextAsync("Confirmed");
        await Assertions.Expect(Page.GetByTestId("order-status")).ToHaveTextAsync("Confirmed");
        await staff.GetByTestId("action-pack").ClickAsync();
        await staff.GetByTestId("pack-confirm").ClickAsync();
        await Assertions.Expect(status).ToHaveTextAsync("Packed");
        await staff.GetByTestId("action-ready").ClickAsync();
        await Assertions.Expect(status).ToHaveTextAsync("Ready for pickup");
        await Assertions.Expect(Page.GetByTestId("order-status")).ToHaveTextAsync("Ready for pickup");
        await Assertions.Expect(Page.GetByTestId("cancel-order")).ToHaveCountAsync(0); // packed: too late to cancel
        Assert.Matches(new Regex(@"/orders/[0-9a-f-]{36}\?placed=1$"), Page.Url); // no reload, same page
        await Screenshots.SaveAsync(Page, "shop-order-ready");

        // Exactly one order came of the double click.
        await Page.GotoAsync("/orders");
        await Page.WaitForInteractiveAsync();
        await Assertions.Expect(Page.GetByTestId("order-row")).ToHaveCountAsync(1);
    }

    [Fact]
    public async Task A_shopper_who_shares_their_location_sees_the_nearest_store_first_with_its_distance()
    {
        await Context.GrantPermissionsAsync(["geolocation"]);
        await Context.SetGeolocationAsync(new() { Latitude = 43.5900f, Longitude = -79.6400f }); // beside Square One, Mississauga
        await Page.GotoAsync("/");
        await Page.WaitForInteractiveAsync();
        await Page.GetByTestId("near-me").ClickAsync();
        await Assertions.Expect(Page.GetByTestId("store-card").First).ToContainTextAsync("Square One");
        await Assertions.Expect(Page.GetByTestId("store-distance").First).ToHaveTextAsync(new Regex(@"^\d+ m away$"));
        await Assertions.Expect(Page.GetByTestId("store-distance").Nth(1)).ToHaveTextAsync(new Regex(@"^\d+ km away$"));
        await Screenshots.SaveAsync(Page, "shop-stores-by-distance");
    }

    [Fact]
    public async Task A_visitor_who_says_they_are_under_19_is_not_shown_the_menu()
    {
        await Page.GotoAsync(Store);
        await Page.WaitForInteractiveAsync();
        await Page.GetByTestId("age-no").ClickAsync();
        await Assertions.Expect(Page.GetByTestId("age-refused")).ToContainTextAsync("You must be 19 or older");
        await Assertions.Expect(Page.GetByTestId("product-card")).ToHaveCountAsync(0);
    }

    private async Task<int> CountAsync()
    {
        var text = await Page.GetByTestId("result-count").InnerTextAsync();
        var match = Regex.Match(text, @"(\d+) (close )?(product|match)");
        return match.Success ? int.Parse(match.Groups[1].Value) : 0;
    }

    private async Task SearchAsync(string text)
    {
        var box = Page.Locator("#menu-search");
        await box.FillAsync(text);
        await box.PressAsync("Enter");
        await Assertions.Expect(Page).ToHaveURLAsync(new Regex("q=" + Regex.Escape(Uri.EscapeDataString(text))));
    }
}
