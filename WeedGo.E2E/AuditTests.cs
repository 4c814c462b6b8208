using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using WeedGo.Core.Audit;
using WeedGo.E2E.Support;

namespace WeedGo.E2E;

public sealed class AuditTests(AppHost app, BrowserFixture browser) : E2ETest(app, browser)
{
    [Fact]
    public async Task Five_wrong_passwords_show_in_the_tenant_admins_explorer_as_five_failures_and_a_lockout()
    {
        // A Maple Leaf account no other journey signs in with, so the lock disturbs nobody.
        const string email = "driver@mapleleaf.demo";
        await Login.GotoAsync();
        for (var attempt = 1; attempt <= 5; attempt++)
        {
            await Login.SubmitAsync(email, $"wrong-password-{attempt}");
        }
        Assert.Equal("/Account/Lockout", Page.PathAndQuery());

        var admin = await NewPageAsync(new ViewportSize { Width = 1440, Height = 900 });
        await new LoginPage(admin).SignInAsync("admin@mapleleaf.demo");
        await admin.GotoAsync("/admin/audit");
        await admin.WaitForInteractiveAsync();
        var table = admin.GetByTestId("audit-table");
        var rows = table.Locator("tbody tr").Filter(new() { HasText = email });
        var failures = rows.Filter(new() { HasText = AuditEvents.SignInFailed });
        var lockouts = rows.Filter(new() { HasText = AuditEvents.LockedOut });
        await Assertions.Expect(failures).ToHaveCountAsync(5, new() { Timeout = Timeout });
        await Assertions.Expect(lockouts).ToHaveCountAsync(1);
        await Assertions.Expect(table).Not.ToContainTextAsync("Northern Lights");
        // IP and severity are shown; no password appears anywhere.
        await Assertions.Expect(lockouts.First).ToContainTextAsync("Warning");
        await Assertions.Expect(lockouts.First).ToContainTextAsync("127.0.0.1");
        await Assertions.Expect(admin.Locator("body")).Not.ToContainTextAsync("wrong-password");

        await admin.GetByTestId("audit-verify").ClickAsync();
        await Assertions.Expect(admin.GetByTestId("audit-chain-status").First).ToContainTextAsync("intact", new() { Timeout = Timeout });
        await Screenshots.SaveAsync(admin, "audit-explorer");

        await lockouts.First.ClickAsync();
        var diff = admin.GetByTestId("audit-diff-table");
        await Assertions.Expect(diff).ToContainTextAsync("too_many_failures", new() { Timeout = Timeout });
        await Screenshots.SaveAsync(admin, "audit-diff-lockout");
    }

    [Fact]
    public async Task A_store_change_shows_old_and_new_values_in_the_diff_view()
    {
        // A store edit saved as the tenant admin (through the same interceptor every save passes), then opened in the explorer.
        await using (var scope = App.As("admin@northernlights.demo", WeedGo.Core.Accounts.Roles.TenantAdmin))
        {
            var contexts = scope.ServiceProvider.GetRequiredService<IDbContextFactory<WeedGo.Core.Data.WeedGoDbContext>>();
            await using var db = await contexts.CreateDbContextAsync();
            var store = await db.Stores.SingleAsync(s => s.Id == WeedGo.Core.Data.DemoData.DemoDataSeeder.IdFor("northern-lights-square-one"));
            store.Phone = "905-555-0142";
            await db.SaveChangesAsync();
        }
        await Login.SignInAsync("admin@northernlights.demo");
        await Page.GotoAsync("/admin/audit");
        await Page.WaitForInteractiveAsync();
        var row = Page.GetByTestId("audit-table").Locator("tbody tr").Filter(new() { HasText = "Store · update" }).First;
        await row.ClickAsync(new() { Timeout = Timeout });
        var diff = Page.GetByTestId("audit-diff-table");
        await Assertions.Expect(diff).ToContainTextAsync("905-555-0142", new() { Timeout = Timeout });
        await Screenshots.SaveAsync(Page, "audit-diff-change");
    }
}
