using System.Text.RegularExpressions;
using Microsoft.Playwright;
using WeedGo.Core.Pricing;
using WeedGo.E2E.Support;

namespace WeedGo.E2E;

/// <summary>A happy hour on the storefront: badges and savings during its window, none outside it (the app's clock moved).</summary>
public sealed class PromotionStorefrontTests(AppHost app, BrowserFixture browser) : E2ETest(app, browser)
{
    private const string Store = "/s/northern-lights-queen-west";

    [Fact]
    public async Task A_happy_hour_on_pre_rolls_shows_its_badge_and_saving_during_the_window_and_not_outside_it()
    {
        // Every day, from an hour ago to an hour from now in Toronto (store time); it may cross midnight.
        var toronto = TimeZoneInfo.FindSystemTimeZoneById("America/Toronto");
        var local = TimeZoneInfo.ConvertTime(App.Clock.GetUtcNow(), toronto);
        var start = TimeOnly.FromDateTime(local.DateTime.AddHours(-1));
        var name = "Happy hour " + Guid.NewGuid().ToString("N")[..4];
        var staff = new StaffActions(App);
        var id = await staff.PromotionAsync(new Promotion
        {
            Name = name, Type = PromotionType.PercentOff, Percent = 20, Categories = ["Pre-Rolls"], StoreIds = [StaffActions.QueenWest],
            Windows = [new PromotionWindow { Days = [.. Enum.GetValues<DayOfWeek>()], Start = start, End = start.AddHours(2) }],
        });
        try
        {
            await Page.GotoAsync($"{Store}?cat=Pre-Rolls&sort=pricelow");
            await Page.WaitForInteractiveAsync();
            await Page.PassAgeGateAsync();
            var card = Page.GetByTestId("product-card").First;
            await Assertions.Expect(card.GetByTestId("promo-badge")).ToHaveTextAsync(new Regex("20% off"));
            await Screenshots.SaveAsync(Page, "promo-menu-badges");

            // The saving shows in the cart, line by line and in total.
            var price = decimal.Parse((await card.GetByTestId("product-price").InnerTextAsync()).Trim().TrimStart('$'), System.Globalization.CultureInfo.InvariantCulture);
            var saving = Math.Round(price * 0.20m, 2, MidpointRounding.AwayFromZero);
            await Assertions.Expect(card.GetByTestId("deal-price")).ToHaveTextAsync($"${price - saving:0.00}"); // the final price on the card
            await card.GetByTestId("add-to-cart").ClickAsync();
            await Assertions.Expect(Page.GetByTestId("cart-message")).ToContainTextAsync("Added");
            await Page.GetByTestId("cart-slot").ClickAsync();
            await Assertions.Expect(Page.GetByTestId("cart-promotion")).ToContainTextAsync(name);
            await Assertions.Expect(Page.GetByTestId("cart-savings")).ToHaveTextAsync($"You save ${saving:0.00}.");
            await Assertions.Expect(Page.GetByTestId("cart-total")).ToHaveTextAsync($"${price - saving:0.00}");
            await Assertions.Expect(Page.GetByTestId("line-was")).ToHaveTextAsync($"${price:0.00}");
            await Screenshots.SaveAsync(Page, "promo-cart-saving");

            // A code nobody issued is refused with the reason.
            await Page.Locator("#promo-code-input").FillAsync("NOSUCHCODE");
            await Page.GetByTestId("promo-code-apply").ClickAsync();
            await Assertions.Expect(Page.GetByTestId("promo-code-error")).ToContainTextAsync("We don't know the code NOSUCHCODE");

            // Three hours later the window has closed: no badge, no saving.
            App.Clock.Offset = TimeSpan.FromHours(3);
            await Page.ReloadAsync();
            await Page.WaitForInteractiveAsync();
            await Assertions.Expect(Page.GetByTestId("cart-line")).ToHaveCountAsync(1);
            await Assertions.Expect(Page.GetByTestId("cart-promotion")).ToHaveCountAsync(0);
            await Assertions.Expect(Page.GetByTestId("cart-savings")).ToHaveCountAsync(0);
            await Page.GotoAsync($"{Store}?cat=Pre-Rolls&sort=pricelow");
            await Page.WaitForInteractiveAsync();
            await Assertions.Expect(Page.GetByTestId("product-card").First).ToBeVisibleAsync();
            await Assertions.Expect(Page.GetByTestId("promo-badge")).ToHaveCountAsync(0);
            await Assertions.Expect(Page.GetByTestId("deal-price")).ToHaveCountAsync(0);
            await Screenshots.SaveAsync(Page, "promo-menu-after-hours");
        }
        finally
        {
            App.Clock.Offset = TimeSpan.Zero;
            await staff.PausePromotionAsync(id);
        }
    }
}
