using Microsoft.Extensions.DependencyInjection;
using WeedGo.Core.Common;
using WeedGo.Core.Pricing;
using WeedGo.Tests.Inventory;
using WeedGo.Tests.Support;

namespace WeedGo.Tests.Pricing;

/// <summary>Who may manage promotions, and the commands' rules, on the real database.</summary>
public sealed class PromotionServiceTests(DemoDatabaseFixture db) : IClassFixture<DemoDatabaseFixture>
{
    private static Promotion Draft(params Guid[] stores) =>
        new() { Name = "Happy hour pre-rolls", Type = PromotionType.PercentOff, Percent = 20, Categories = ["Pre-Rolls"], StoreIds = [.. stores],
            Windows = [new() { Days = [DayOfWeek.Friday, DayOfWeek.Saturday], Start = new(22, 0), End = new(2, 0) }] };

    private Task<T> As<T>(TestUser who, Func<PromotionService, Task<T>> act) => InventoryKit.As(db, who, sp => act(sp.GetRequiredService<PromotionService>()));

    private Task<T> Query<T>(TestUser who, Func<PromotionQueries, Task<T>> act) => InventoryKit.As(db, who, sp => act(sp.GetRequiredService<PromotionQueries>()));

    [Fact]
    public async Task A_manager_creates_edits_duplicates_pauses_and_deletes_a_promotion_for_their_stores()
    {
        var manager = InventoryKit.Manager;
        var id = (await As(manager, s => s.CreateAsync(Draft(DemoWorld.QueenWest)))).Value;
        var detail = (await Query(manager, q => q.DetailAsync(id))).Value;
        Assert.Equal("20% off", detail.Label);
        Assert.Equal(PromotionStatus.Scheduled, detail.Status); // Wednesday noon: outside Fri/Sat 22:00–02:00
        Assert.Equal(2, detail.Promotion.Windows[0].Days.Count);

        var edit = detail.Promotion;
        edit.Percent = 25;
        edit.Code = " happy25 ";
        Assert.True((await As(manager, s => s.UpdateAsync(id, edit))).Succeeded);
        var saved = (await Query(manager, q => q.DetailAsync(id))).Value.Promotion;
        Assert.Equal((25m, "HAPPY25"), (saved.Percent!.Value, saved.Code));

        var copy = (await As(manager, s => s.DuplicateAsync(id))).Value;
        var copied = (await Query(manager, q => q.DetailAsync(copy))).Value;
        Assert.Equal(("Copy of Happy hour pre-rolls", null, PromotionStatus.Paused), (copied.Promotion.Name, copied.Promotion.Code, copied.Status));

        var taken = await As(manager, s => s.UpdateAsync(copy, copied.Promotion.Also(p => p.Code = "Happy25")));
        Assert.Equal("promotion_code_taken", taken.Error!.Code);

        Assert.True((await As(manager, s => s.PauseAsync(id))).Succeeded);
        Assert.Equal(PromotionStatus.Paused, (await Query(manager, q => q.DetailAsync(id))).Value.Status);
        Assert.True((await As(manager, s => s.ResumeAsync(id))).Succeeded);
        var list = (await Query(manager, q => q.ListAsync(DemoWorld.QueenWest))).Value;
        Assert.Contains(list, s => s.Id == id && s.Status == PromotionStatus.Scheduled);
        Assert.True((await As(manager, s => s.DeleteAsync(copy))).Succeeded);
        Assert.Equal(ErrorKind.NotFound, (await Query(manager, q => q.DetailAsync(copy))).Error!.Kind);
    }

    [Fact]
    public async Task A_manager_switches_the_below_cost_guardrail_of_their_store_only()
    {
        Assert.True((await As(InventoryKit.Manager, s => s.SetForbidBelowCostAsync(DemoWorld.Yorkville, true))).Succeeded);
        Assert.True((await Query(InventoryKit.Manager, q => q.ForbidBelowCostAsync(DemoWorld.Yorkville))).Value);
        Assert.Equal(ErrorKind.Forbidden, (await As(InventoryKit.Manager, s => s.SetForbidBelowCostAsync(DemoWorld.SquareOne, true))).Error!.Kind);
        Assert.Equal(ErrorKind.Forbidden, (await As(InventoryKit.Budtender, s => s.SetForbidBelowCostAsync(DemoWorld.QueenWest, true))).Error!.Kind);
        Assert.Equal(ErrorKind.NotFound, (await As(InventoryKit.MapleManager, s => s.SetForbidBelowCostAsync(DemoWorld.Yorkville, false))).Error!.Kind);
    }

    [Fact]
    public async Task Invalid_promotions_are_refused_with_their_messages()
    {
        var bad = Draft(DemoWorld.QueenWest);
        bad.Percent = 150;
        bad.Windows = [new() { Days = [DayOfWeek.Monday], Start = new(16, 0), End = new(16, 0) }];
        var refused = await As(InventoryKit.Manager, s => s.CreateAsync(bad));
        Assert.Equal("promotion_invalid", refused.Error!.Code);
        Assert.Contains("at most 100%", refused.Error.Message);
        Assert.Contains("cannot end when it starts", refused.Error.Message);
    }

    [Fact]
    public async Task Budtenders_other_stores_and_other_tenants_are_refused()
    {
        var budtender = await As(InventoryKit.Budtender, s => s.CreateAsync(Draft(DemoWorld.QueenWest)));
        Assert.Equal(ErrorKind.Forbidden, budtender.Error!.Kind);
        Assert.Equal(ErrorKind.Forbidden, (await Query(InventoryKit.Budtender, q => q.ListAsync())).Error!.Kind);

        var notMine = await As(InventoryKit.Manager, s => s.CreateAsync(Draft(DemoWorld.SquareOne)));
        Assert.Equal(ErrorKind.Forbidden, notMine.Error!.Kind);
        Assert.Contains("do not work at", notMine.Error.Message);
        var everyStore = await As(InventoryKit.Manager, s => s.CreateAsync(Draft()));
        Assert.Equal(ErrorKind.Forbidden, everyStore.Error!.Kind);

        var tenantWide = (await As(InventoryKit.TenantAdmin, s => s.CreateAsync(Draft()))).Value;
        var ours = (await As(InventoryKit.Manager, s => s.CreateAsync(Draft(DemoWorld.QueenWest)))).Value;
        // A manager sees the tenant-wide promotion but may not change it.
        Assert.Equal(ErrorKind.Forbidden, (await As(InventoryKit.Manager, s => s.PauseAsync(tenantWide))).Error!.Kind);

        // Maple Leaf cannot see, change or target Northern Lights.
        var maple = InventoryKit.MapleManager;
        Assert.Equal(ErrorKind.NotFound, (await As(maple, s => s.PauseAsync(ours))).Error!.Kind);
        Assert.Equal(ErrorKind.NotFound, (await As(maple, s => s.UpdateAsync(ours, Draft(DemoWorld.Scarborough)))).Error!.Kind);
        Assert.Equal(ErrorKind.NotFound, (await Query(maple, q => q.DetailAsync(ours))).Error!.Kind);
        Assert.DoesNotContain((await Query(maple, q => q.ListAsync())).Value, s => s.Id == ours || s.Id == tenantWide);
        Assert.Equal(ErrorKind.NotFound, (await As(maple, s => s.CreateAsync(Draft(DemoWorld.QueenWest)))).Error!.Kind);
        var preview = await InventoryKit.As(db, maple, sp => sp.GetRequiredService<PricingService>().PreviewAsync(new PreviewRequest(DemoWorld.QueenWest, PromotionId: ours, Items: [])));
        Assert.Equal(ErrorKind.NotFound, preview.Error!.Kind);
    }
}

internal static class PromotionTestExtensions
{
    public static Promotion Also(this Promotion p, Action<Promotion> set)
    {
        set(p);
        return p;
    }
}
