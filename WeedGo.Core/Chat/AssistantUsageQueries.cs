using Microsoft.EntityFrameworkCore;
using WeedGo.Core.Accounts;
using WeedGo.Core.Common;
using WeedGo.Core.Data;

namespace WeedGo.Core.Chat;

/// <summary>One day, store and model of assistant usage.</summary>
public sealed record UsageDay(DateOnly Day, Guid StoreId, string StoreName, string Provider, string Model, int Replies, int CachedReplies,
    long InputTokens, long OutputTokens, decimal Cost, int AverageLatencyMs, int Unanswered, int Blocked, int FellBack);

/// <summary>A store's month so far against its budget; <see cref="Level"/> is ok, warning (≥ 80 %) or exceeded (≥ 100 %).</summary>
public sealed record BudgetStatus(Guid StoreId, string StoreName, AssistantProvider Provider, decimal? Budget, decimal Spent)
{
    public decimal? Percent => Budget is > 0 ? Math.Round(Spent / Budget.Value * 100m, 1) : null;
    public string Level => Percent switch { >= 100m => "exceeded", >= 80m => "warning", _ => "ok" };
}

public sealed record UsageReport(DateOnly From, DateOnly To, IReadOnlyList<UsageDay> Days, IReadOnlyList<BudgetStatus> Budgets)
{
    public int Replies => Days.Sum(d => d.Replies);
    public int Cached => Days.Sum(d => d.CachedReplies);
    public double CacheHitRate => Replies == 0 ? 0 : (double)Cached / Replies;
    public long Tokens => Days.Sum(d => d.InputTokens + d.OutputTokens);
    public decimal Cost => Days.Sum(d => d.Cost);
}

/// <summary>Assistant usage for staff who manage stores: tokens, cost per day, store and model, cache hit rate and each store's
/// month against its budget (alerts at 80 % and 100 %). Store managers see their stores, tenant admins all of the tenant's.</summary>
public sealed class AssistantUsageQueries(IDbContextFactory<WeedGoDbContext> contexts, ICurrentUser user, TimeProvider clock)
{
    public async Task<Result<UsageReport>> ReportAsync(int days = 30, Guid? storeId = null, CancellationToken ct = default)
    {
        if (user.Demand(Policies.StoreManagement) is { } denied)
        {
            return denied;
        }
        days = Math.Clamp(days, 1, 366);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var stores = db.Stores.AsNoTracking();
        if (!user.SeesAllStores())
        {
            var mine = user.StoreIds.ToList();
            stores = stores.Where(s => mine.Contains(s.Id));
        }
        if (storeId is { } only)
        {
            stores = stores.Where(s => s.Id == only);
        }
        var storeList = await stores.OrderBy(s => s.Name).Select(s => new { s.Id, s.Name, s.TimeZoneId }).ToListAsync(ct);
        var ids = storeList.Select(s => s.Id).ToList();
        var now = clock.GetUtcNow();
        var to = DateOnly.FromDateTime(now.UtcDateTime);
        var from = to.AddDays(1 - days);
        var since = new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var rows = await db.AiUsage.AsNoTracking().Where(u => ids.Contains(u.StoreId) && u.CreatedAt >= since)
            .GroupBy(u => new { Day = u.CreatedAt.Date, u.StoreId, u.Provider, u.Model })
            .Select(g => new
            {
                g.Key.Day, g.Key.StoreId, g.Key.Provider, g.Key.Model, Replies = g.Count(), Cached = g.Count(u => u.Cached),
                In = g.Sum(u => (long)u.InputTokens), Out = g.Sum(u => (long)u.OutputTokens), Cost = g.Sum(u => u.Cost),
                Latency = g.Average(u => (double)u.LatencyMs), Unanswered = g.Count(u => !u.Answered), Blocked = g.Count(u => u.Blocked),
                FellBack = g.Count(u => u.FellBack),
            })
            .ToListAsync(ct);
        var names = storeList.ToDictionary(s => s.Id, s => s.Name);
        var daysList = rows.Select(r => new UsageDay(DateOnly.FromDateTime(r.Day), r.StoreId, names[r.StoreId], r.Provider, r.Model, r.Replies, r.Cached,
                r.In, r.Out, r.Cost, (int)Math.Round(r.Latency), r.Unanswered, r.Blocked, r.FellBack))
            .OrderByDescending(d => d.Day).ThenBy(d => d.StoreName).ThenBy(d => d.Model).ToList();

        var settings = await db.StoreAiSettings.AsNoTracking().Where(s => ids.Contains(s.StoreId)).ToDictionaryAsync(s => s.StoreId, ct);
        var budgets = new List<BudgetStatus>();
        foreach (var s in storeList)
        {
            var monthStart = AssistantService.MonthStart(s.TimeZoneId, now);
            var spent = await db.AiUsage.Where(u => u.StoreId == s.Id && u.CreatedAt >= monthStart).SumAsync(u => u.Cost, ct);
            var setting = settings.GetValueOrDefault(s.Id);
            budgets.Add(new BudgetStatus(s.Id, s.Name, setting?.Provider ?? AssistantProvider.BuiltIn, setting?.MonthlyBudget, spent));
        }
        return new UsageReport(from, to, daysList, budgets);
    }
}
