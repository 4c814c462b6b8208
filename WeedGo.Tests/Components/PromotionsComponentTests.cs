using AngleSharp.Dom;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using WeedGo.Core;
using WeedGo.Core.Common;
using WeedGo.Core.Ordering;
using WeedGo.Core.Pricing;
using WeedGo.Tests.Inventory;
using WeedGo.Tests.Ordering;
using WeedGo.Tests.Support;
using WeedGo.Web.Components.Admin.Promotions;

namespace WeedGo.Tests.Components;

/// <summary>The promotions list and the create/edit form over real services and a real database, as a store manager.</summary>
public sealed class PromotionsComponentTests : BunitTestBase, IClassFixture<DemoDatabaseFixture>, IAsyncLifetime
{
    private readonly DatabaseFixture _db;

    public PromotionsComponentTests(DemoDatabaseFixture db)
    {
        _db = db;
        var services = Context.Services;
        services.AddLogging();
        services.AddSingleton<TimeProvider>(db.Clock);
        services.AddWeedGoCore(db.AppConnectionString);
        var user = new TestUser();
        user.CopyFrom(InventoryKit.Manager);
        services.AddSingleton(user);
        services.AddSingleton<ITenantContext>(user);
        services.AddSingleton<ICurrentUser>(user);
        services.AddSingleton<IShopper>(user);
        services.AddSingleton(db.Services.GetRequiredService<WeedGo.Core.Live.ILiveEvents>());
    }

    public new Task InitializeAsync() => DemoWorld.LoadAsync(_db);

    /// <summary>The native input of a MudBlazor field: the test id sits on the input (text fields) or on the wrapper.</summary>
    private static IElement Field(IRenderedComponent<PromotionEditPage> cut, string testId) =>
        cut.Find($"input[data-testid={testId}], [data-testid={testId}] input");

    private static bool Has(IRenderedComponent<PromotionEditPage> cut, string testId) =>
        cut.FindAll($"[data-testid={testId}]").Count > 0;

    private IRenderedComponent<PromotionEditPage> RenderNew()
    {
        Context.Render<MudPopoverProvider>();
        var cut = Context.Render<PromotionEditPage>();
        cut.WaitForAssertion(() => Assert.True(Has(cut, "field-percent")), TimeSpan.FromSeconds(10));
        return cut;
    }

    [Fact]
    public async Task Switching_the_type_shows_only_that_types_fields()
    {
        var cut = RenderNew();
        string[] all = ["field-percent", "field-amount", "field-price", "field-buy", "field-get", "field-get-percent", "field-mode",
            "field-bundle-quantity", "field-bundle-price", "tier-row", "field-delivery-kind", "field-delivery-value"];
        // A chip's click handler may finish after an await inside MudBlazor, so wait for the re-render.
        void Shows(params string[] expected) =>
            cut.WaitForAssertion(() => Assert.Equal(expected.Order(), all.Where(id => Has(cut, id)).Order()));

        Shows("field-percent");
        await cut.InvokeAsync(() => cut.Find("[data-testid=type-BuyXGetY]").Click());
        Shows("field-buy", "field-get", "field-get-percent", "field-mode");
        await cut.InvokeAsync(() => cut.Find("[data-testid=type-Bundle]").Click());
        Shows("field-bundle-quantity", "field-bundle-price");
        await cut.InvokeAsync(() => cut.Find("[data-testid=type-SpendThreshold]").Click());
        Shows("tier-row");
        await cut.InvokeAsync(() => cut.Find("[data-testid=type-DeliveryFee]").Click());
        Shows("field-delivery-kind", "field-delivery-value");
        await cut.InvokeAsync(() => cut.Find("[data-testid=type-AmountOff]").Click());
        Shows("field-amount");
        await cut.InvokeAsync(() => cut.Find("[data-testid=type-FixedPrice]").Click());
        Shows("field-price");
    }

    [Fact]
    public async Task A_percent_over_100_is_refused_at_the_field_and_in_the_summary_and_nothing_is_saved()
    {
        var cut = RenderNew();
        var name = $"Too generous {Guid.NewGuid():N}";
        Field(cut, "promotion-name").Input(name);
        Field(cut, "field-percent").Change("150");
        await cut.InvokeAsync(() => cut.Find("form").Submit());

        cut.WaitForAssertion(() => Assert.Contains("Percent off must be more than 0% and at most 100%.", cut.Find("[data-testid=validation-errors]").TextContent));
        Assert.Contains(cut.FindAll(".mud-input-error"), e => e.TextContent.Contains("at most 100%"));
        await using var db = _db.Context();
        Assert.False(await db.Promotions.AnyAsync(p => p.Name == name));
    }

    [Fact]
    public async Task Hundred_percent_off_warns_about_the_cannabis_guardrail_before_saving_and_still_saves_through_the_service()
    {
        var cut = RenderNew();
        var name = $"Everything free {Guid.NewGuid():N}";
        Field(cut, "promotion-name").Input(name);
        Field(cut, "field-percent").Change("100");

        cut.WaitForAssertion(() => Assert.Contains("cannabis is never free, so the engine will charge $0.01 a unit",
            cut.Find("[data-testid=validation-warnings]").TextContent));
        Assert.Empty(cut.FindAll("[data-testid=validation-errors]"));
        Assert.Contains("Save anyway", cut.Find("[data-testid=promotion-save]").TextContent);

        await cut.InvokeAsync(() => cut.Find("form").Submit());
        var nav = Context.Services.GetRequiredService<NavigationManager>();
        cut.WaitForAssertion(() => Assert.Contains("?saved=1", nav.Uri), TimeSpan.FromSeconds(10));
        await using var db = _db.Context();
        var saved = await db.Promotions.AsNoTracking().SingleAsync(p => p.Name == name);
        Assert.Equal((PromotionType.PercentOff, 100m, true), (saved.Type, saved.Percent!.Value, saved.Enabled));
        Assert.Equal(new[] { DemoWorld.QueenWest, DemoWorld.Yorkville }.Order(), saved.StoreIds.Order()); // a manager's promotion is for their stores
        Assert.EndsWith($"/admin/promotions/{saved.Id}?saved=1", nav.Uri);
    }

    [Fact]
    public async Task The_preview_prices_a_customers_live_cart_with_the_unsaved_draft_and_explains_each_promotion()
    {
        var product = await OrderingKit.StockedAsync(_db, 10, price: 10m);
        var customer = await OrderingKit.NewCustomerAsync(_db);
        Assert.True((await OrderingKit.AddAsync(_db, customer, product.Id, 1)).Succeeded);
        var cut = RenderNew();
        var name = $"Draft only {Guid.NewGuid():N}";
        Field(cut, "promotion-name").Input(name);
        Field(cut, "field-percent").Change("20");
        Field(cut, "field-priority").Change("1000"); // first in line, whatever other tests left in this database

        await cut.InvokeAsync(() => cut.Find("[data-testid=preview-mode-customer]").Click());
        cut.WaitForAssertion(() => Assert.Contains("Test Customer", cut.Find("[data-testid=preview-cart]").ParentElement!.ParentElement!.InnerHtml));
        await cut.InvokeAsync(() => cut.Find("[data-testid=preview-run]").Click());

        cut.WaitForAssertion(() => Assert.Equal($"\"{name}\" applies: it takes $2.00 off this cart.", cut.Find("[data-testid=preview-explanation]").TextContent.Trim()),
            TimeSpan.FromSeconds(10));
        Assert.Contains(cut.FindAll("[data-testid=preview-applied]"), a => a.TextContent.Contains(name) && a.TextContent.Contains("$2.00"));
        Assert.Contains(product.Name, cut.Find("[data-testid=preview-lines]").TextContent);
        await using var db = _db.Context();
        Assert.False(await db.Promotions.AnyAsync(p => p.Name == name)); // a preview saves nothing
    }

    [Fact]
    public async Task The_list_shows_status_chips_and_pausing_a_promotion_pauses_it()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        var now = _db.Clock.GetUtcNow();
        var active = await CreateAsync(new Promotion { Name = $"Active {tag}", Type = PromotionType.PercentOff, Percent = 10, Categories = ["Pre-Rolls"] });
        var scheduled = await CreateAsync(new Promotion { Name = $"Later {tag}", Type = PromotionType.AmountOff, Amount = 5, StartsAt = now.AddDays(3), Code = $"L{tag}" });
        var paused = await CreateAsync(new Promotion { Name = $"Paused {tag}", Type = PromotionType.PercentOff, Percent = 5, Enabled = false });
        var expired = await CreateAsync(new Promotion { Name = $"Over {tag}", Type = PromotionType.PercentOff, Percent = 5, StartsAt = now.AddDays(-3), EndsAt = now.AddDays(-1) });

        Context.Render<MudPopoverProvider>();
        var cut = Context.Render<PromotionsPage>();
        IElement Row(string name) => cut.FindAll("[data-testid=promotion-list] tbody tr").Single(tr => tr.TextContent.Contains(name));
        string Status(string name) => Row(name).QuerySelector("[data-testid=promotion-status]")!.TextContent.Trim();
        cut.WaitForAssertion(() => Assert.Equal("Active now", Status($"Active {tag}")), TimeSpan.FromSeconds(10));
        Assert.Equal("Scheduled", Status($"Later {tag}"));
        Assert.Equal("Paused", Status($"Paused {tag}"));
        Assert.Equal("Expired", Status($"Over {tag}"));
        Assert.Contains("Percent off · 10% off Pre-Rolls", Row($"Active {tag}").TextContent);
        Assert.Contains($"L{tag}".ToUpperInvariant(), Row($"Later {tag}").QuerySelector("[data-testid=promotion-code]")!.TextContent);
        Assert.Contains("Automatic", Row($"Active {tag}").TextContent);
        Assert.Contains("0 / no limit", Row($"Active {tag}").TextContent);

        Row($"Active {tag}").QuerySelector("[data-testid=promotion-pause]")!.Click();
        cut.WaitForAssertion(() => Assert.Equal("Paused", Status($"Active {tag}")));
        Assert.Contains("paused", cut.Find("[data-testid=promotions-message]").TextContent);
        await using (var db = _db.Context())
        {
            Assert.False((await db.Promotions.AsNoTracking().SingleAsync(p => p.Id == active)).Enabled);
        }

        await cut.InvokeAsync(() => cut.Find("[data-testid=filter-paused]").Click());
        cut.WaitForAssertion(() => Assert.DoesNotContain(cut.FindAll("[data-testid=promotion-link]"), a => a.TextContent.Contains($"Later {tag}")));
        Assert.Contains(cut.FindAll("[data-testid=promotion-link]"), a => a.TextContent == $"Active {tag}");
        _ = (scheduled, paused, expired);
    }

    [Fact]
    public async Task Editing_keeps_dates_and_windows_in_store_time_and_shows_usage_statistics()
    {
        var starts = PromotionForm.StoreMidnight(new DateOnly(2026, 12, 1), "America/Toronto");
        var ends = PromotionForm.StoreMidnight(new DateOnly(2027, 1, 1), "America/Toronto");
        var id = await CreateAsync(new Promotion
        {
            Name = $"Late night {Guid.NewGuid():N}", Type = PromotionType.PercentOff, Percent = 15, StartsAt = starts, EndsAt = ends,
            Windows = [new() { Days = [DayOfWeek.Friday, DayOfWeek.Saturday], Start = new(22, 0), End = new(2, 0) }],
        });
        Context.Render<MudPopoverProvider>();
        var cut = Context.Render<PromotionEditPage>(ps => ps.Add(p => p.Id, id));
        cut.WaitForAssertion(() => Assert.Equal("0", cut.Find("[data-testid=stat-used]").TextContent.Trim()), TimeSpan.FromSeconds(10));
        Assert.Equal("$0.00", cut.Find("[data-testid=stat-discount]").TextContent.Trim());
        Assert.Equal("Scheduled", cut.Find("[data-testid=promotion-status]").TextContent.Trim());
        Assert.Equal("2026-12-01", Field(cut, "field-start-date").GetAttribute("value"));
        Assert.Equal("2026-12-31", Field(cut, "field-end-date").GetAttribute("value")); // the last day; the end is exclusive
        Assert.Equal("Fri–Sat 22:00–02:00 (crosses midnight)", cut.Find("[data-testid=window-summary]").TextContent.Trim());

        Field(cut, "field-percent").Change("25");
        await cut.InvokeAsync(() => cut.Find("form").Submit());
        cut.WaitForAssertion(() => Assert.Equal("Saved.", cut.Find("[data-testid=save-message]").TextContent.Trim()), TimeSpan.FromSeconds(10));
        await using var db = _db.Context();
        var saved = await db.Promotions.AsNoTracking().SingleAsync(p => p.Id == id);
        Assert.Equal((25m, starts, ends), (saved.Percent!.Value, saved.StartsAt!.Value, saved.EndsAt!.Value));
        var window = Assert.Single(saved.Windows);
        Assert.Equal([DayOfWeek.Friday, DayOfWeek.Saturday], window.Days);
        Assert.Equal((new TimeOnly(22, 0), new TimeOnly(2, 0)), (window.Start, window.End));
    }

    [Fact]
    public void Windows_read_as_day_ranges_in_store_time_and_say_when_they_cross_midnight()
    {
        var w = new PromotionWindow { Days = [DayOfWeek.Saturday, DayOfWeek.Friday], Start = new(22, 0), End = new(2, 0) };
        Assert.Equal("Fri–Sat 22:00–02:00 (crosses midnight)", PromotionFormat.Window(w));
        Assert.Equal("Mon–Fri 16:00–18:00", PromotionFormat.Window(new() { Days = [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday], Start = new(16, 0), End = new(18, 0) }));
        Assert.Equal("Mon, Wed, Sun", PromotionFormat.Days([DayOfWeek.Sunday, DayOfWeek.Monday, DayOfWeek.Wednesday]));
        // The end date is exclusive: ending at midnight of Jan 1 (Toronto) reads "until 2026-12-31".
        var end = PromotionForm.StoreMidnight(new DateOnly(2027, 1, 1), "America/Toronto");
        Assert.Equal(new DateTimeOffset(2027, 1, 1, 5, 0, 0, TimeSpan.Zero), end);
        Assert.Equal("until 2026-12-31 · Fri–Sat 22:00–02:00 (crosses midnight)", PromotionFormat.Schedule(null, end, [w], "America/Toronto"));
    }

    [Fact]
    public async Task A_manager_switches_a_store_to_never_sell_below_cost_from_the_list()
    {
        Context.Services.GetRequiredService<NavigationManager>().NavigateTo($"/admin/promotions?store={DemoWorld.Yorkville}");
        var cut = Context.Render<PromotionsPage>();
        cut.WaitForAssertion(() => Assert.Contains("Never sell below cost at Yorkville", cut.Markup));
        var toggle = cut.Find("[data-testid=forbid-below-cost]");
        (toggle.TagName == "INPUT" ? toggle : toggle.QuerySelector("input")!).Change(true);
        cut.WaitForAssertion(() => Assert.Contains("never sells below cost", cut.Find("[data-testid=promotions-message]").TextContent));
        await using var db = _db.Context();
        Assert.True((await db.Stores.AsNoTracking().SingleAsync(s => s.Id == DemoWorld.Yorkville)).ForbidBelowCost);
    }

    private async Task<Guid> CreateAsync(Promotion draft)
    {
        draft.StoreIds = [DemoWorld.QueenWest];
        var result = await InventoryKit.As(_db, InventoryKit.Manager, sp => sp.GetRequiredService<PromotionService>().CreateAsync(draft));
        Assert.True(result.Succeeded, result.Error?.Message);
        return result.Value;
    }
}
