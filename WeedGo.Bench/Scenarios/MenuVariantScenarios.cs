using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using WeedGo.Core.Common;
using WeedGo.Core.Live;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using WeedGo.Core.Data;

namespace WeedGo.Bench.Scenarios;

/// <summary>
/// The <c>menu</c> scenario while the store is busy: ten stock changes a second are published for the store (what a store
/// selling ten items a second publishes), and each one drops the store's cached pages, so a share of the page requests render
/// afresh. Run with <c>--concurrency 16</c> like <c>menu</c>.
/// </summary>
public sealed class MenuBusyStoreScenario : IScenario
{
    private readonly MenuScenario _menu = new();
    private CancellationTokenSource? _stop;
    private Task? _changes;

    public string Name => "menu-busy";

    public string Description => _menu.Description + " Meanwhile 10 stock changes per second are published for the store " +
                                 "(each evicts the store's cached menu pages), as a store selling ten items a second would.";

    public BenchRequest Baseline => _menu.Baseline;

    public BenchRequest Subject => _menu.Subject;

    public async Task SetUpAsync(BenchContext context, CancellationToken ct)
    {
        var pool = context.Services.GetRequiredService<PooledDbContextFactory<WeedGoDbContext>>();
        var store = await Stores.FindAsync(pool, "northern-lights-queen-west", ct);
        var live = context.Services.GetRequiredService<ILiveEvents>();
        _stop = new CancellationTokenSource();
        var stop = _stop.Token;
        _changes = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
            var n = 0;
            while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false))
            {
                await live.PublishAsync(new StockChanged(store.TenantId, store.Id, Guid.Empty, "bench", 100, n % 7, 100 - n % 7), stop);
                n++;
            }
        }, stop);
    }

    public async Task TearDownAsync(BenchContext context)
    {
        if (_stop is null || _changes is null)
        {
            return;
        }
        await _stop.CancelAsync();
        try
        {
            await _changes;
        }
        catch (OperationCanceledException)
        {
        }
    }

    public void Verify(BenchResponse baseline, BenchResponse subject) => _menu.Verify(baseline, subject);
}

/// <summary>
/// The same menu page for a signed-in customer (bearer token): signed-in people are never served from the storefront page
/// cache, so this is the full Blazor prerender with its queries on every request.
/// </summary>
public sealed class MenuSignedInScenario : IScenario
{
    private readonly MenuScenario _menu = new();
    private string _token = "";

    public string Name => "menu-signed-in";

    public string Description => _menu.Description + " Here the visitor is a signed-in customer (bearer token), whose pages are " +
                                 "never served from the storefront page cache: every request renders the page.";

    public BenchRequest Baseline => _menu.Baseline;

    public BenchRequest Subject => new("GET " + _menu.Subject.Label[4..] + " (signed in)", () =>
    {
        var request = _menu.Subject.Create();
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", _token);
        return request;
    });

    public async Task SetUpAsync(BenchContext context, CancellationToken ct)
    {
        var response = await context.Client.PostAsJsonAsync("/api/auth/token",
            new { email = "customer@northernlights.demo", password = "WeedGo-demo-2026" }, ct);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(ct);
        _token = body.GetProperty("accessToken").GetString()!;
    }

    public void Verify(BenchResponse baseline, BenchResponse subject)
    {
        _menu.Verify(baseline, subject);
        Check.Contains(subject, "data-testid=\"user-name\"", "The signed-in menu page (it must show who is signed in)");
    }
}

internal static class Stores
{
    public static async Task<(Guid Id, Guid TenantId)> FindAsync(PooledDbContextFactory<WeedGoDbContext> pool, string slug, CancellationToken ct)
    {
        await using var db = await pool.CreateDbContextAsync(ct);
        db.UseTenant(FixedTenantContext.System);
        var store = await db.Stores.AsNoTracking().Where(s => s.Slug == slug).Select(s => new { s.Id, s.TenantId }).FirstAsync(ct);
        return (store.Id, store.TenantId);
    }
}
