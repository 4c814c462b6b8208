using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using WeedGo.Core.Accounts;
using WeedGo.Core.Data;
using WeedGo.Core.Pricing;
using WeedGo.E2E.Support;

namespace WeedGo.E2E;

public sealed class PromotionsTests(AppHost app, BrowserFixture browser) : E2ETest(app, browser)
{
    private const string Manager = "manager@northernlights.demo";
    private static readonly Guid QueenWest = CoreCalls.QueenWest;
    private static readonly Guid Yorkville = WeedGo.Core.Data.DemoData.DemoDataSeeder.IdFor("northern-lights-yorkville");

    [Fact]
    public async Task A_manager_creates_a_happy_hour_on_pre_rolls_sees_it_listed_and_the_preview_explains_why_codes_did_not_apply()
    {
        var token = Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();
        var name = $"Happy hour pre-rolls {token}";
        var preRoll = await PreRollAsync();
        // A code promotion whose minimum the sample cart will not meet (another manager made it earlier).
        var minimumCode = $"BIG{token}";
        var codePromotion = await CreateAsync(new Promotion
        {
            Name = $"Big basket {token}", Type = PromotionType.PercentOff, Percent = 10, Code = minimumCode, MinimumSubtotal = 500m, StoreIds = [QueenWest],
        });
        try
        {
            await Login.SignInAsync(Manager);
            await Admin.GotoAsync("/admin/promotions");
            await Assertions.Expect(Page.GetByTestId("promotion-list")).ToBeVisibleAsync();
            await Page.GetByTestId("new-promotion").ClickAsync();
            await Page.WaitForURLAsync("**/admin/promotions/new");
            await Page.WaitForInteractiveAsync();

            // Percent off (the default type): 20 % off Pre-Rolls, Fri–Sat 16:00–20:00 store time.
            await Page.FieldInput("promotion-name").FillAsync(name);
            await Page.FieldInput("field-percent").FillAsync("20");
            await Page.FieldInput("field-percent").BlurAsync();
            await ChooseAsync("field-categories", "Pre-Rolls");
            await Page.Keyboard.PressAsync("Escape");
            await Page.GetByTestId("window-add").ClickAsync();
            await Page.FieldInput("window-start").FillAsync("16:00");
            await Page.FieldInput("window-end").FillAsync("20:00");
            await Page.FieldInput("window-end").BlurAsync();
            await Assertions.Expect(Page.GetByTestId("window-summary")).ToHaveTextAsync("Fri–Sat 16:00–20:00");
            await Page.EvaluateAsync("() => window.scrollTo(0, 0)");
            await Screenshots.SaveAsync(Page, "promotions-form-percent-off");

            // Another type shows only its own fields (looked at, then back to percent off: the percent is kept).
            await Page.GetByTestId("type-BuyXGetY").ClickAsync();
            await Assertions.Expect(Page.GetByTestId("field-buy")).ToBeVisibleAsync();
            await Assertions.Expect(Page.GetByTestId("field-percent")).ToHaveCountAsync(0);
            await Page.EvaluateAsync("() => window.scrollTo(0, 0)");
            await Screenshots.SaveAsync(Page, "promotions-form-buy-x-get-y");
            await Page.GetByTestId("type-PercentOff").ClickAsync();
            await Assertions.Expect(Page.FieldInput("field-percent")).ToHaveValueAsync("20");

            await Page.GetByTestId("promotion-save").ClickAsync();
            var saved = Page.GetByTestId("save-message").Or(Page.GetByTestId("validation-errors")).Or(Page.GetByTestId("save-error"));
            await saved.First.WaitForAsync();
            if (!Regex.IsMatch(Page.Url, "[0-9a-f-]{36}"))
            {
                await Screenshots.SaveAsync(Page, "promotions-save-failed");
                Assert.Fail("Not saved: " + await saved.First.InnerTextAsync());
            }
            await Assertions.Expect(Page.GetByTestId("save-message")).ToContainTextAsync("Promotion created.");
            var id = Guid.Parse(Regex.Match(Page.Url, "[0-9a-f-]{36}").Value);

            // The list says Active now or Scheduled, by the same rule the engine uses, at this moment in Toronto.
            var expected = await ExpectedStatusAsync(id);
            await Admin.GotoAsync("/admin/promotions");
            var row = Page.GetByTestId("promotion-list").Locator("tbody tr").Filter(new() { HasText = name });
            await Assertions.Expect(row.GetByTestId("promotion-status")).ToHaveTextAsync(expected);
            await Assertions.Expect(row.GetByTestId("promotion-label")).ToHaveTextAsync("Percent off · 20% off Pre-Rolls");
            await Assertions.Expect(row.GetByTestId("promotion-schedule")).ToHaveTextAsync("Fri–Sat 16:00–20:00");
            await Screenshots.SaveAsync(Page, "promotions-list");

            // Preview: a pre-roll at Queen West, first with a code nobody has, then with the big-basket code.
            await row.GetByTestId("promotion-link").ClickAsync();
            await Page.WaitForURLAsync($"**/admin/promotions/{id}");
            await Page.WaitForInteractiveAsync();
            await Assertions.Expect(Page.GetByTestId("promotion-stats")).ToContainTextAsync("Times used");
            await AddToSampleCartAsync(Page, preRoll.Sku);
            await Page.FieldInput("preview-code").FillAsync($"NOPE{token}");
            await Page.GetByTestId("preview-run").ClickAsync();
            await Assertions.Expect(Page.GetByTestId("preview-code-outcome")).ToHaveTextAsync($"No promotion has the code NOPE{token}, so it does nothing.");
            await Assertions.Expect(Page.GetByTestId("preview-explanation")).ToContainTextAsync(name);

            await Page.FieldInput("preview-code").FillAsync(minimumCode.ToLowerInvariant());
            await Page.GetByTestId("preview-run").ClickAsync();
            await Assertions.Expect(Page.GetByTestId("preview-code-outcome"))
                .ToContainTextAsync($"Code {minimumCode} does not apply: \"Big basket {token}\" needs an order of at least $500.00; add $");
            await Assertions.Expect(Page.GetByTestId("preview-not-applied").Filter(new() { HasText = $"Big basket {token}" })).ToContainTextAsync("needs an order of at least $500.00");
            await Assertions.Expect(Page.GetByTestId("preview-line")).ToHaveCountAsync(1);
            await Page.EvaluateAsync("() => window.scrollTo(0, 0)");
            await Screenshots.SaveAsync(Page, "promotions-preview");

            // The same preview on a phone.
            var phone = await NewPageAsync(new() { Width = 390, Height = 844 });
            await new LoginPage(phone).SignInAsync(Manager);
            await phone.GotoAsync($"/admin/promotions/{id}");
            await phone.WaitForInteractiveAsync();
            await AddToSampleCartAsync(phone, preRoll.Sku);
            await phone.FieldInput("preview-code").FillAsync(minimumCode);
            await phone.GetByTestId("preview-run").ClickAsync();
            await Assertions.Expect(phone.GetByTestId("preview-code-outcome")).ToContainTextAsync("needs an order of at least $500.00");
            await Screenshots.SaveAsync(phone, "promotions-form-phone");
            // The preview sits below the form on a phone: its own picture.
            await phone.GetByTestId("preview").ScreenshotAsync(new() { Path = Path.Combine(Screenshots.FolderPath, "promotions-preview-phone.png"), Animations = ScreenshotAnimations.Disabled,
                Style = ".mud-appbar { visibility: hidden !important; }" }); // the fixed app bar would cover the top of it
            await phone.GotoAsync("/admin/promotions");
            await phone.WaitForInteractiveAsync();
            await Assertions.Expect(phone.GetByTestId("promotion-list")).ToContainTextAsync(name);
            await Screenshots.SaveAsync(phone, "promotions-list-phone");

            // Delete it (confirmed), so the happy hour does not change prices for other journeys.
            await Admin.GotoAsync("/admin/promotions");
            await row.GetByTestId("promotion-delete").ClickAsync();
            await Page.GetByTestId("delete-confirm").ClickAsync();
            await Assertions.Expect(Page.GetByTestId("promotions-message")).ToContainTextAsync($"“{name}” deleted.");
            await Assertions.Expect(row).ToHaveCountAsync(0);
        }
        finally
        {
            await using var scope = App.As(Manager, Roles.StoreManager, QueenWest, Yorkville);
            var service = scope.ServiceProvider.GetRequiredService<PromotionService>();
            await service.DeleteAsync(codePromotion);
            var leftover = (await scope.ServiceProvider.GetRequiredService<PromotionQueries>().ListAsync()).Value.Where(p => p.Name == name);
            foreach (var p in leftover)
            {
                await service.DeleteAsync(p.Id);
            }
        }
    }

    private async Task ChooseAsync(string testId, string item)
    {
        await Page.Locator(".mud-input-control.mud-select").Filter(new() { Has = Page.GetByTestId(testId) }).ClickAsync();
        await Page.Locator(".mud-popover-open .mud-list-item").Filter(new() { HasTextRegex = new Regex($"^\\s*{Regex.Escape(item)}\\s*$") }).ClickAsync();
    }

    private static async Task AddToSampleCartAsync(IPage page, string sku)
    {
        await page.FieldInput("preview-search").FillAsync(sku);
        await page.Locator(".mud-popover-open .mud-list-item").Filter(new() { HasText = sku }).First.ClickAsync();
        await Assertions.Expect(page.GetByTestId("preview-item")).ToHaveCountAsync(1);
    }

    private async Task<string> ExpectedStatusAsync(Guid id)
    {
        await using var scope = App.As(Manager, Roles.StoreManager, QueenWest, Yorkville);
        var detail = (await scope.ServiceProvider.GetRequiredService<PromotionQueries>().DetailAsync(id)).Value;
        var active = PromotionSchedule.IsActiveNow(detail.Promotion, "America/Toronto", DateTimeOffset.UtcNow);
        return active ? "Active now" : "Scheduled";
    }

    private async Task<Guid> CreateAsync(Promotion draft)
    {
        await using var scope = App.As(Manager, Roles.StoreManager, QueenWest, Yorkville);
        var result = await scope.ServiceProvider.GetRequiredService<PromotionService>().CreateAsync(draft);
        Assert.True(result.Succeeded, result.Error?.Message);
        return result.Value;
    }

    /// <summary>A priced pre-roll carried at Queen West.</summary>
    private async Task<(Guid Id, string Sku)> PreRollAsync()
    {
        await using var db = await App.Services.GetRequiredService<PooledDbContextFactory<WeedGoDbContext>>().CreateDbContextAsync();
        db.UseTenant(WeedGo.Core.Common.FixedTenantContext.For(CoreCalls.NorthernLights));
        var row = await db.Inventory.AsNoTracking().Where(i => i.StoreId == QueenWest)
            .Join(db.Products.Where(p => p.Category == "Pre-Rolls" && p.UnitPrice != null), i => i.ProductId, p => p.Id, (i, p) => new { p.Id, p.Sku })
            .OrderBy(p => p.Sku).FirstAsync();
        return (row.Id, row.Sku);
    }
}
