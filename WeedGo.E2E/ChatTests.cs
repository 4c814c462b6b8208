using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using WeedGo.Core.Chat;
using WeedGo.E2E.Support;

namespace WeedGo.E2E;

/// <summary>
/// The chat between two browsers: a shopper on the storefront and a budtender in the Chats area, both updating live.
/// The store's real (built-in) assistant answers until the customer asks for a person.
/// </summary>
public sealed class ChatTests(AppHost app, BrowserFixture browser) : E2ETest(app, browser)
{
    private const string Store = "/s/northern-lights-queen-west";
    private static readonly ViewportSize Desktop = new() { Width = 1280, Height = 800 };
    private static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };

    /// <summary>The visible window (the chat panel floats over the page, so a full-page capture would misplace it).</summary>
    private static async Task ShotAsync(IPage page, string name)
    {
        await page.EvaluateAsync("() => document.fonts.ready.then(() => true)");
        await page.ScreenshotAsync(new()
        {
            Path = Path.Combine(Screenshots.FolderPath, name + ".png"), Animations = ScreenshotAnimations.Disabled, Caret = ScreenshotCaret.Hide,
        });
    }

    private static async Task OpenShopAsync(IPage page)
    {
        await page.GotoAsync(Store);
        await page.WaitForInteractiveAsync();
        await page.PassAgeGateAsync();
        await Assertions.Expect(page.GetByTestId("product-card").First).ToBeVisibleAsync();
    }

    private static async Task OpenChatAsync(IPage page)
    {
        await page.GetByTestId("chat-launcher").ClickAsync();
        await Assertions.Expect(page.GetByTestId("chat-greeting")).ToBeVisibleAsync();
    }

    private static async Task SayAsync(IPage page, string text)
    {
        await page.GetByTestId("chat-input").FillAsync(text);
        await page.GetByTestId("chat-input").PressAsync("Enter");
        await Assertions.Expect(page.Locator("[data-testid=chat-message][data-author=Customer]").Filter(new() { HasText = text })).ToBeVisibleAsync();
    }

    private async Task<IPage> BudtenderConsoleAsync()
    {
        var staff = await NewPageAsync(Desktop);
        await new LoginPage(staff).SignInAsync("budtender@northernlights.demo");
        await staff.GotoAsync($"/admin/chats?store={StaffActions.QueenWest}");
        await staff.WaitForInteractiveAsync();
        await Assertions.Expect(staff.GetByTestId("chat-list")).ToBeVisibleAsync();
        return staff;
    }

    /// <summary>The customer asks for a person; the budtender sees it arrive, claims it, and they talk, typing shown both ways.</summary>
    private static async Task HandOffAndTalkAsync(IPage customer, IPage staff, string question, string? screenshotPrefix)
    {
        // The store's assistant answers until the customer asks for a person.
        await customer.GetByTestId("chat-person").ClickAsync();
        await Assertions.Expect(customer.GetByTestId("chat-status")).ToHaveTextAsync("Waiting for a team member…");
        await SayAsync(customer, question);

        // Live in the console: highlighted as waiting, NEW, no reload.
        var row = staff.GetByTestId("chat-row").Filter(new() { HasText = question });
        await Assertions.Expect(row).ToHaveAttributeAsync("data-status", "WaitingForStaff");
        await Assertions.Expect(row).ToHaveClassAsync(new Regex("chat-row-waiting"));
        await Assertions.Expect(row.GetByTestId("chat-new-badge")).ToBeVisibleAsync();
        await row.ClickAsync();
        await Assertions.Expect(staff.GetByTestId("chat-thread-messages")).ToContainTextAsync(question);
        await staff.GetByTestId("chat-claim").ClickAsync();
        await Assertions.Expect(staff.GetByTestId("chat-thread-status")).ToHaveTextAsync("You are answering");

        await Assertions.Expect(customer.GetByTestId("chat-status")).ToHaveTextAsync("From Queen West");
        await Assertions.Expect(customer.Locator("[data-testid=chat-message][data-author=System]").Last).ToContainTextAsync("joined the chat");

        // The budtender types (the customer sees it), then answers.
        await staff.GetByTestId("chat-staff-input").PressSequentiallyAsync("Yes, we do");
        await Assertions.Expect(customer.GetByTestId("chat-typing")).ToContainTextAsync("is typing…");
        await staff.GetByTestId("chat-staff-input").PressSequentiallyAsync(": 12 packs of pre-rolls on the shelf.");
        await staff.GetByTestId("chat-staff-input").PressAsync("Enter");
        var answer = customer.Locator("[data-testid=chat-message][data-author=Staff]");
        await Assertions.Expect(answer).ToContainTextAsync("12 packs of pre-rolls");

        // The customer types (the budtender sees it), then answers.
        await customer.GetByTestId("chat-input").PressSequentiallyAsync("Great, ");
        await Assertions.Expect(staff.GetByTestId("chat-customer-typing")).ToBeVisibleAsync();
        await customer.GetByTestId("chat-input").PressSequentiallyAsync("I'll pick one up tonight.");
        await customer.GetByTestId("chat-input").PressAsync("Enter");
        await Assertions.Expect(staff.Locator("[data-testid=chat-thread-message][data-author=Customer]").Last).ToContainTextAsync("I'll pick one up tonight.");
        await Assertions.Expect(staff.GetByTestId("chat-customer-typing")).ToHaveCountAsync(0);

        if (screenshotPrefix is not null)
        {
            await ShotAsync(customer, screenshotPrefix + "-customer");
            await ShotAsync(staff, screenshotPrefix + "-staff");
        }
    }

    [Fact]
    public async Task A_shopper_asks_for_a_person_and_a_budtender_sees_it_live_claims_it_and_they_talk_both_ways()
    {
        var staff = await BudtenderConsoleAsync();
        await OpenShopAsync(Page);
        await OpenChatAsync(Page);
        await HandOffAndTalkAsync(Page, staff, $"Do you have pre-rolls in stock? ({Guid.NewGuid().ToString("N")[..6]})", "chat-handoff");
    }

    [Fact]
    public async Task On_a_390_px_phone_the_chat_fills_the_screen_without_sideways_scrolling()
    {
        var phone = await NewPageAsync(Phone);
        await OpenShopAsync(phone);
        await Assertions.Expect(phone.GetByTestId("chat-launcher")).ToBeInViewportAsync();
        await OpenChatAsync(phone);
        var box = await phone.GetByTestId("chat-panel").BoundingBoxAsync();
        Assert.NotNull(box);
        Assert.Equal(390, box.Width, 1);
        Assert.Equal(844, box.Height, 1);
        await Assertions.Expect(phone.GetByTestId("chat-input")).ToBeInViewportAsync();
        await phone.GetByTestId("chat-person").ClickAsync();
        await Assertions.Expect(phone.GetByTestId("chat-status")).ToHaveTextAsync("Waiting for a team member…");
        await SayAsync(phone, "Can I pay with debit at pickup?");
        Assert.True(await phone.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "the page scrolls sideways");
        await ShotAsync(phone, "chat-widget-phone");
        await phone.GetByTestId("chat-close").ClickAsync();
        await Assertions.Expect(phone.GetByTestId("chat-launcher")).ToBeVisibleAsync();
    }

    /// <summary>The issue's journey in full, with the store's real (built-in) assistant.</summary>
    [Fact]
    public async Task A_shopper_gets_recommendations_as_cards_adds_one_to_the_cart_then_asks_for_a_person_who_answers_live()
    {
        var staff = await BudtenderConsoleAsync();
        await OpenShopAsync(Page);
        await OpenChatAsync(Page);
        await SayAsync(Page, "Can you recommend something relaxing?");

        var cards = Page.GetByTestId("chat-product");
        await Assertions.Expect(cards.First).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Assertions.Expect(Page.Locator("[data-testid=chat-message][data-author=Assistant]").Last).Not.ToBeEmptyAsync();
        // The first card that can be added, pinned by its position (once added, its button changes).
        var addable = await cards.EvaluateAllAsync<int>(
            "cards => cards.findIndex(c => { const b = c.querySelector('[data-testid=chat-add]'); return b && !b.disabled; })");
        Assert.True(addable >= 0, "No recommended product can be added to the cart.");
        var card = cards.Nth(addable);
        await card.GetByTestId("chat-add").ClickAsync();
        await Assertions.Expect(card.GetByTestId("chat-added")).ToBeVisibleAsync();
        await Assertions.Expect(Page.GetByTestId("cart-count")).ToContainTextAsync("1");
        await ShotAsync(Page, "chat-widget-desktop");

        await HandOffAndTalkAsync(Page, staff, $"Which of these is strongest? ({Guid.NewGuid().ToString("N")[..6]})", "chat-recommendation");
    }
}
