using AngleSharp.Dom;
using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using WeedGo.Core;
using WeedGo.Core.Accounts;
using WeedGo.Core.Common;
using WeedGo.Core.Live;
using WeedGo.Core.Ordering;
using WeedGo.Tests.Inventory;
using WeedGo.Tests.Support;
using WeedGo.Web.Components.Admin.Orders;
using static WeedGo.Tests.Ordering.OrderingKit;

namespace WeedGo.Tests.Components;

/// <summary>The staff order queue and the pack dialog over real services and a real database.</summary>
public sealed class OrdersComponentTests : BunitTestBase, IClassFixture<DemoDatabaseFixture>, IAsyncLifetime
{
    private readonly DatabaseFixture _db;
    private readonly TestUser _user = new();

    public OrdersComponentTests(DemoDatabaseFixture db)
    {
        _db = db;
        var services = Context.Services;
        services.AddLogging();
        services.AddSingleton<TimeProvider>(db.Clock);
        services.AddWeedGoCore(db.AppConnectionString);
        var user = _user;
        user.CopyFrom(InventoryKit.Budtender);
        services.AddSingleton(user);
        services.AddSingleton<ITenantContext>(user);
        services.AddSingleton<ICurrentUser>(user);
        services.AddSingleton<IShopper>(user); // OrderService needs carts (reorder)
        // The fixture's live events: an order placed through the fixture reaches the rendered page.
        services.AddSingleton(db.Services.GetRequiredService<ILiveEvents>());
    }

    public new Task InitializeAsync() => DemoWorld.LoadAsync(_db);

    private static IElement Row(IRenderedComponent<OrdersPage> cut, string number) =>
        cut.FindAll("[data-testid=order-queue] tbody tr").Single(tr => tr.TextContent.Contains(number));

    private static IReadOnlyList<string> Numbers(IRenderedComponent<OrdersPage> cut) =>
        cut.FindAll("[data-testid=order-link]").Select(a => a.TextContent).ToList();

    [Fact]
    public async Task A_new_order_appears_in_the_queue_without_a_reload_highlighted_and_with_a_chime()
    {
        var p = await StockedAsync(_db, 10, price: 12m);
        var earlier = await OrderAsync(_db, await NewCustomerAsync(_db), p.Id, 1);
        Context.Render<MudPopoverProvider>();
        var cut = Context.Render<OrdersPage>();
        cut.WaitForAssertion(() => Assert.Contains(earlier.Number, Numbers(cut)), TimeSpan.FromSeconds(10));
        Assert.Empty(cut.FindAll("[data-testid=new-badge]"));

        _db.Clock.Advance(TimeSpan.FromMinutes(5));
        var arrived = await OrderAsync(_db, await NewCustomerAsync(_db), p.Id, 2);

        cut.WaitForAssertion(() => Assert.Contains(arrived.Number, Numbers(cut)));
        var row = Row(cut, arrived.Number);
        Assert.Contains("order-new", row.ClassName);
        Assert.NotNull(row.QuerySelector("[data-testid=new-badge]"));
        Assert.Equal("New", row.QuerySelector("[data-testid=order-status]")!.TextContent.Trim());
        Assert.Contains("$27.12", row.TextContent); // 2 × $12 + 13% HST
        Assert.Equal("just now", row.QuerySelector("[data-testid=order-age]")!.TextContent.Trim());
        Assert.Equal("5 min ago", Row(cut, earlier.Number).QuerySelector("[data-testid=order-age]")!.TextContent.Trim());
        Assert.DoesNotContain("order-new", Row(cut, earlier.Number).ClassName);
        Assert.Contains(Context.JSInterop.Invocations, i => i.Identifier == "weedgo.beep");
    }

    [Fact]
    public async Task The_queue_filters_by_status_follows_moves_made_elsewhere_and_lists_finished_orders_on_the_toggle()
    {
        var p = await StockedAsync(_db, 10);
        var placed = await OrderAsync(_db, await NewCustomerAsync(_db), p.Id, 1);
        var confirmed = await OrderAsync(_db, await NewCustomerAsync(_db), p.Id, 1);
        Assert.True((await As(_db, InventoryKit.Budtender, sp => sp.GetRequiredService<OrderService>().ConfirmAsync(confirmed.OrderId))).Succeeded);
        Context.Render<MudPopoverProvider>();
        var cut = Context.Render<OrdersPage>();
        cut.WaitForAssertion(() => Assert.Contains(confirmed.Number, Numbers(cut)), TimeSpan.FromSeconds(10));

        await cut.InvokeAsync(() => cut.Find("[data-testid=filter-confirmed]").Click());
        cut.WaitForAssertion(() => Assert.DoesNotContain(placed.Number, Numbers(cut)));
        Assert.Contains(confirmed.Number, Numbers(cut));
        Assert.All(cut.FindAll("[data-testid=order-status]"), s => Assert.Equal("Confirmed", s.TextContent.Trim()));

        // Another budtender cancels the confirmed order: it leaves the open queue live.
        Assert.True((await As(_db, InventoryKit.Budtender, sp => sp.GetRequiredService<OrderService>().CancelAsync(confirmed.OrderId, "Customer no-show"))).Succeeded);
        cut.WaitForAssertion(() => Assert.DoesNotContain(confirmed.Number, Numbers(cut)));

        await cut.InvokeAsync(() => cut.Find("[data-testid=filter-all]").Click());
        cut.WaitForAssertion(() => Assert.Contains(placed.Number, Numbers(cut)));
        cut.FindComponents<MudSwitch<bool>>().Single().Find("input").Change(true);
        cut.WaitForAssertion(() => Assert.Contains(confirmed.Number, Numbers(cut)));
        Assert.DoesNotContain(placed.Number, Numbers(cut));
        Assert.Equal("Cancelled", Row(cut, confirmed.Number).QuerySelector("[data-testid=order-status]")!.TextContent.Trim());
    }

    private IRenderedComponent<MudDialogProvider>? _provider;

    /// <summary>Opens the pack dialog the way the detail page does (through the dialog service) and waits for its lines.</summary>
    private async Task<IRenderedComponent<MudDialogProvider>> ShowPackDialogAsync(Guid orderId)
    {
        var detail = (await As(_db, InventoryKit.Budtender, sp => sp.GetRequiredService<OrderQueries>().DetailAsync(orderId))).Value;
        if (_provider is null)
        {
            Context.Render<MudPopoverProvider>();
            _provider = Context.Render<MudDialogProvider>();
        }
        var provider = _provider;
        var dialogs = Context.Services.GetRequiredService<IDialogService>();
        var parameters = new DialogParameters<PackDialog> { { d => d.OrderId, orderId }, { d => d.Lines, detail.Lines } };
        await provider.InvokeAsync(() => dialogs.ShowAsync<PackDialog>("Pack", parameters));
        provider.WaitForAssertion(() => Assert.Single(provider.FindAll("[data-testid=pack-line]")), TimeSpan.FromSeconds(10));
        return provider;
    }

    private async Task<Dictionary<string, int>> LotsAsync(Guid productId)
    {
        await using var ctx = _db.Context();
        return await ctx.Batches.AsNoTracking().Where(b => b.StoreId == Store && b.ProductId == productId).ToDictionaryAsync(b => b.BatchLot, b => b.RemainingQuantity);
    }

    [Fact]
    public async Task The_pack_dialog_preselects_the_oldest_lot_first_and_packs_from_it()
    {
        var p = await StockedAsync(_db, 0);
        await InventoryKit.ReceiveAsync(_db, Store, p.Id, 2, "LOT-NEWER", new DateTime(2026, 9, 1));
        await InventoryKit.ReceiveAsync(_db, Store, p.Id, 2, "LOT-OLDER", new DateTime(2026, 3, 1));
        var order = await OrderAsync(_db, await NewCustomerAsync(_db), p.Id, 3);

        var provider = await ShowPackDialogAsync(order.OrderId);
        // FIFO is what the select shows before anyone touches it, with the lots it will take.
        Assert.Contains(provider.FindAll("input"), i => i.GetAttribute("value") == "Oldest first (FIFO): 2 × LOT-OLDER + 1 × LOT-NEWER");

        await provider.InvokeAsync(() => provider.Find("[data-testid=pack-confirm]").Click());
        provider.WaitForAssertion(() => Assert.Empty(provider.FindAll("[data-testid=pack-dialog]")), TimeSpan.FromSeconds(10));
        Assert.Equal(new Dictionary<string, int> { ["LOT-OLDER"] = 0, ["LOT-NEWER"] = 1 }, await LotsAsync(p.Id));
        Assert.Equal((1, 0, 1), await FiguresAsync(_db, p.Id));
    }

    [Fact]
    public async Task The_pack_dialog_packs_from_a_chosen_lot_and_shows_the_services_refusal()
    {
        var p = await StockedAsync(_db, 0);
        await InventoryKit.ReceiveAsync(_db, Store, p.Id, 5, "LOT-FIRST", new DateTime(2026, 2, 1));
        await InventoryKit.ReceiveAsync(_db, Store, p.Id, 5, "LOT-SECOND", new DateTime(2026, 8, 1));
        var order = await OrderAsync(_db, await NewCustomerAsync(_db), p.Id, 2);
        var options = (await As(_db, InventoryKit.Budtender, sp => sp.GetRequiredService<OrderQueries>().PickOptionsAsync(order.OrderId))).Value[p.Id];
        var second = options.Single(o => o.BatchLot == "LOT-SECOND").BatchId;

        var provider = await ShowPackDialogAsync(order.OrderId);
        var select = provider.FindComponent<MudSelect<Guid>>();
        await provider.InvokeAsync(() => select.Instance.ValueChanged.InvokeAsync(second));
        provider.WaitForAssertion(() => Assert.Contains(provider.FindAll("input"), i => i.GetAttribute("value") == "LOT-SECOND · packaged 2026-08-01 · 5 left"));
        await provider.InvokeAsync(() => provider.Find("[data-testid=pack-confirm]").Click());
        provider.WaitForAssertion(() => Assert.Empty(provider.FindAll("[data-testid=pack-dialog]")), TimeSpan.FromSeconds(10));
        Assert.Equal(new Dictionary<string, int> { ["LOT-FIRST"] = 5, ["LOT-SECOND"] = 3 }, await LotsAsync(p.Id));

        // Someone cancels the next order in another tab while the dialog is open: the dialog says why it cannot pack.
        var next = await OrderAsync(_db, await NewCustomerAsync(_db), p.Id, 1);
        await ShowPackDialogAsync(next.OrderId);
        Assert.True((await As(_db, InventoryKit.Budtender, sp => sp.GetRequiredService<OrderService>().CancelAsync(next.OrderId, "Customer called"))).Succeeded);
        await provider.InvokeAsync(() => provider.Find("[data-testid=pack-confirm]").Click());
        provider.WaitForAssertion(() => Assert.Equal($"Order {next.Number} is cancelled, so it cannot be packed now.",
            provider.Find("[data-testid=pack-error]").TextContent));
        Assert.Equal(new Dictionary<string, int> { ["LOT-FIRST"] = 5, ["LOT-SECOND"] = 3 }, await LotsAsync(p.Id));
    }

    private IRenderedComponent<OrderDetailPage> RenderDetail(Guid orderId, bool manager)
    {
        _user.CopyFrom(manager ? InventoryKit.Manager : InventoryKit.Budtender);
        var auth = Context.AddAuthorization();
        auth.SetAuthorized(manager ? "manager" : "budtender");
        auth.SetPolicies(manager ? [Policies.StoreOperations, Policies.StoreManagement] : [Policies.StoreOperations]);
        if (_provider is null)
        {
            Context.Render<MudPopoverProvider>();
            _provider = Context.Render<MudDialogProvider>();
        }
        var cut = Context.Render<OrderDetailPage>(ps => ps.Add(x => x.Id, orderId));
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=detail-status]")), TimeSpan.FromSeconds(10));
        return cut;
    }

    [Fact]
    public async Task The_detail_page_offers_the_next_moves_follows_changes_made_elsewhere_and_leaves_refunds_to_managers()
    {
        var p = await StockedAsync(_db, 5, price: 20m);
        var order = await OrderAsync(_db, await NewCustomerAsync(_db), p.Id, 1, PaymentMethod.Card); // $22.60
        var cut = RenderDetail(order.OrderId, manager: false);
        Assert.Equal("New", cut.Find("[data-testid=detail-status]").TextContent);
        Assert.Empty(cut.FindAll("[data-testid=action-refund]")); // budtenders cannot refund
        await cut.InvokeAsync(() => cut.Find("[data-testid=action-confirm]").Click());
        cut.WaitForAssertion(() => Assert.Equal("Confirmed", cut.Find("[data-testid=detail-status]").TextContent));
        Assert.Empty(cut.FindAll("[data-testid=action-confirm]"));
        Assert.NotEmpty(cut.FindAll("[data-testid=action-pack]"));

        // Another person packs it: the page follows without a reload.
        Assert.True((await As(_db, InventoryKit.Manager, sp => sp.GetRequiredService<OrderService>().PackAsync(order.OrderId))).Succeeded);
        cut.WaitForAssertion(() => Assert.Equal("Packed", cut.Find("[data-testid=detail-status]").TextContent));
        Assert.NotEmpty(cut.FindAll("[data-testid=action-ready]"));
        Assert.Empty(cut.FindAll("[data-testid=action-send-out]")); // a pickup order is not sent out
    }

    [Fact]
    public async Task A_manager_refunds_part_of_a_card_payment_and_an_amount_over_what_is_left_shows_the_services_message()
    {
        var p = await StockedAsync(_db, 5, price: 20m);
        var order = await OrderAsync(_db, await NewCustomerAsync(_db), p.Id, 1, PaymentMethod.Card); // $22.60
        var cut = RenderDetail(order.OrderId, manager: true);
        await cut.InvokeAsync(() => cut.Find("[data-testid=action-refund]").Click());
        var dialog = _provider!;
        dialog.WaitForAssertion(() => Assert.NotEmpty(dialog.FindAll("[data-testid=refund-reason]")));
        var amount = dialog.FindComponents<MudNumericField<decimal>>().Single();
        await cut.InvokeAsync(() => amount.Instance.ValueChanged.InvokeAsync(30m));
        var reason = dialog.FindComponents<MudTextField<string>>().Single(t => t.Instance.Label == "Reason (required)");
        await cut.InvokeAsync(() => reason.Instance.ValueChanged.InvokeAsync("Price match"));
        await dialog.InvokeAsync(() => dialog.Find("[data-testid=dialog-submit]").Click());
        dialog.WaitForAssertion(() => Assert.Equal("Refund between $0.01 and $22.60 (what is left of the payment).",
            dialog.Find("[data-testid=dialog-error]").TextContent));

        await cut.InvokeAsync(() => amount.Instance.ValueChanged.InvokeAsync(5m));
        await dialog.InvokeAsync(() => dialog.Find("[data-testid=dialog-submit]").Click());
        cut.WaitForAssertion(() => Assert.Equal("−$5.00", cut.Find("[data-testid=detail-refunded]").TextContent));
        Assert.Contains("Partly refunded", cut.Find("[data-testid=order-customer-card]").TextContent);
        Assert.Contains("sbx_re_", cut.Find("[data-testid=payments-table]").TextContent);
    }

    [Fact]
    public async Task The_dashboard_card_counts_todays_orders_and_sales_of_the_budtenders_store_live()
    {
        var p = await StockedAsync(_db, 10, price: 10m);
        var cut = Context.Render<OrdersTodayCard>();
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-testid=today-card]")), TimeSpan.FromSeconds(10));
        Assert.Equal("Queen West", cut.Find("[data-testid=today-store]").TextContent); // only the store the budtender works at
        var before = int.Parse(cut.Find("[data-testid=today-orders]").TextContent);
        var open = int.Parse(cut.Find("[data-testid=today-open]").TextContent);

        await OrderAsync(_db, await NewCustomerAsync(_db), p.Id, 1);
        cut.WaitForAssertion(() => Assert.Equal((before + 1).ToString(), cut.Find("[data-testid=today-orders]").TextContent));
        Assert.Equal((open + 1).ToString(), cut.Find("[data-testid=today-open]").TextContent);
        Assert.StartsWith("$", cut.Find("[data-testid=today-sales]").TextContent);
    }
}
