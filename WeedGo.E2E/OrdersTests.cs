using Microsoft.Playwright;
using WeedGo.E2E.Support;

namespace WeedGo.E2E;

public sealed class OrdersTests(AppHost app, BrowserFixture browser) : E2ETest(app, browser)
{
    private static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };
    private static readonly Guid QueenWest = StaffActions.QueenWest;

    [Fact]
    public async Task A_budtender_sees_a_new_order_arrive_then_confirms_packs_readies_and_completes_it_with_the_id_check()
    {
        var token = Guid.NewGuid().ToString("N")[..6];
        var staff = new StaffActions(App);
        var product = await staff.StockedProductAsync($"Queue Kush {token}", 10);
        var customer = $"Walk-in {token}";

        await Login.SignInAsync("budtender@northernlights.demo");
        await Admin.GotoAsync($"/admin/orders?store={QueenWest}");
        await Assertions.Expect(Page.GetByTestId("order-queue")).ToBeVisibleAsync();

        // The order arrives while the queue is open: no reload, highlighted.
        var placed = await staff.InStoreOrderAsync(customer, product.Id, 2);
        var row = Page.GetByTestId("order-queue").Locator("tbody tr").Filter(new() { HasText = placed.Number });
        await Assertions.Expect(row).ToBeVisibleAsync();
        await Assertions.Expect(row).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("order-new"));
        await Assertions.Expect(row.GetByTestId("order-customer")).ToHaveTextAsync(customer);
        await Assertions.Expect(row.GetByTestId("order-status")).ToHaveTextAsync("New");
        await Screenshots.SaveAsync(Page, "orders-queue-desktop");

        await row.GetByTestId("order-link").ClickAsync();
        await Page.WaitForURLAsync($"**/admin/orders/{placed.OrderId}");
        var status = Page.GetByTestId("detail-status");
        await Assertions.Expect(status).ToHaveTextAsync("New");
        await Assertions.Expect(Page.GetByTestId("detail-customer")).ToHaveTextAsync(customer);

        await Page.GetByTestId("action-confirm").ClickAsync();
        await Assertions.Expect(status).ToHaveTextAsync("Confirmed");

        await Page.GetByTestId("action-pack").ClickAsync();
        var dialog = Page.Locator(".mud-dialog").Filter(new() { HasText = product.ProductName });
        await Assertions.Expect(dialog.GetByTestId("pack-line")).ToContainTextAsync(product.ProductName);
        await Assertions.Expect(dialog.Locator("input").First).ToHaveValueAsync($"Oldest first (FIFO): LOT-{product.Sku}");
        await Screenshots.SaveAsync(Page, "orders-pack-dialog");
        await dialog.GetByTestId("pack-confirm").ClickAsync();
        await Assertions.Expect(status).ToHaveTextAsync("Packed");

        await Page.GetByTestId("action-ready").ClickAsync();
        await Assertions.Expect(status).ToHaveTextAsync("Ready for pickup");

        // Handing over without confirming the ID check is refused, with the service's reason.
        await Page.GetByTestId("action-complete").ClickAsync();
        var handover = Page.Locator(".mud-dialog").Filter(new() { HasText = "I checked government ID" });
        await Assertions.Expect(handover).ToBeVisibleAsync();
        await Screenshots.SaveAsync(Page, "orders-complete-dialog");
        await handover.GetByTestId("dialog-submit").ClickAsync();
        await Assertions.Expect(handover.GetByTestId("dialog-error")).ToContainTextAsync("checked the customer's government ID");
        await Assertions.Expect(status).ToHaveTextAsync("Ready for pickup");
        await handover.GetByText("I checked government ID").ClickAsync();
        await handover.GetByTestId("dialog-submit").ClickAsync();
        await Assertions.Expect(status).ToHaveTextAsync("Completed");
        await Assertions.Expect(Page.GetByTestId("id-checked-at")).ToBeVisibleAsync();
        await Assertions.Expect(Page.GetByTestId("history-table")).ToContainTextAsync("Ready for pickup → Completed");
        await Screenshots.SaveAsync(Page, "orders-detail-desktop");

        // The same screens on a phone, and the day's figures on the dashboard.
        var phone = await NewPageAsync(Phone);
        await new LoginPage(phone).SignInAsync("budtender@northernlights.demo");
        await phone.GotoAsync($"/admin/orders/{placed.OrderId}");
        await phone.WaitForInteractiveAsync();
        await Assertions.Expect(phone.GetByTestId("detail-status")).ToHaveTextAsync("Completed");
        await Screenshots.SaveAsync(phone, "orders-detail-phone");
        var second = await staff.InStoreOrderAsync($"Phone {token}", product.Id, 1);
        await phone.GotoAsync($"/admin/orders?store={QueenWest}");
        await phone.WaitForInteractiveAsync();
        await Assertions.Expect(phone.GetByTestId("order-queue")).ToContainTextAsync(second.Number);
        await Screenshots.SaveAsync(phone, "orders-queue-phone");
        await phone.GotoAsync("/admin");
        await phone.WaitForInteractiveAsync();
        await Assertions.Expect(phone.GetByTestId("today-card").First).ToBeVisibleAsync();
        await Screenshots.SaveAsync(phone, "orders-dashboard-phone");
    }

    [Fact]
    public async Task A_budtender_enters_an_in_store_order_and_the_30_g_meter_refuses_what_does_not_fit()
    {
        var token = Guid.NewGuid().ToString("N")[..6];
        var product = await new StaffActions(App).StockedProductAsync($"Counter Haze {token}", 20, grams: 7m);
        await Login.SignInAsync("budtender@northernlights.demo");
        await Admin.GotoAsync($"/admin/orders/new?store={QueenWest}");

        await Page.FieldInput("instore-customer").FillAsync($"Counter {token}");
        for (var i = 1; i <= 4; i++)
        {
            await ScanAsync(product.Sku, Page.GetByTestId("meter-text"), $"{i * 7} g of 30 g");
        }
        await ScanAsync(product.Sku, Page.GetByTestId("instore-notice"), "over the legal limit of 30 g");
        await Assertions.Expect(Page.GetByTestId("instore-notice")).ToContainTextAsync("over the legal limit of 30 g");
        await Assertions.Expect(Page.GetByTestId("meter-text")).ToHaveTextAsync("28 g of 30 g");
        await Screenshots.SaveAsync(Page, "orders-in-store-desktop");

        await Page.GetByTestId("instore-create").ClickAsync();
        await Page.WaitForURLAsync(new System.Text.RegularExpressions.Regex("/admin/orders/[0-9a-f-]{36}$"));
        await Assertions.Expect(Page.GetByTestId("detail-customer")).ToHaveTextAsync($"Counter {token}");
        await Assertions.Expect(Page.GetByTestId("order-lines")).ToContainTextAsync("4 ×");
    }

    /// <summary>Types a code into the scan field and presses Enter as a wedge scanner does. On a loaded machine the first Enter
    /// can reach the circuit before the typed value; the field then still holds the code and a person would press Enter again.</summary>
    private async Task ScanAsync(string code, ILocator effect, string expected)
    {
        var scan = Page.FieldInput("scan-input");
        await scan.FillAsync(code);
        await Assertions.Expect(scan).ToHaveValueAsync(code);
        for (var attempt = 1; ; attempt++)
        {
            await scan.PressAsync("Enter");
            try
            {
                await Assertions.Expect(effect).ToContainTextAsync(expected, new() { Timeout = attempt < 3 ? 5_000 : 15_000 });
                return;
            }
            catch (PlaywrightException) when (attempt < 3)
            {
                if (await scan.InputValueAsync() != code)
                {
                    throw; // the scan was taken but did something else
                }
            }
        }
    }
}
