using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WeedGo.Core.Audit;
using WeedGo.Core.Common;
using WeedGo.Core.Data;
using WeedGo.Core.Live;
using WeedGo.Core.Tenancy;

namespace WeedGo.Core.Deliveries;

public sealed class ClosingAlertOptions
{
    public const string Section = "WeedGo:Deliveries";

    /// <summary>How often the job looks for deliveries still out at closed stores.</summary>
    public TimeSpan ClosingCheckEvery { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>
/// Ontario: undelivered product goes back to the store the same day, and deliveries happen only while the store is open. At
/// and after each store's closing time this finds the deliveries still out (<see cref="DeliveryService.StillOutAtClosingAsync(DateTimeOffset?, CancellationToken)"/>'s
/// rule, across every tenant) and, once per delivery and store-local day, writes the audit event
/// <see cref="AuditEvents.DeliveryOutAtClosing"/> (severity Warning; the alert inbox turns it into an alert) and publishes
/// <see cref="DeliveryOutAtClosing"/> for dispatch screens. "Once" holds across several instances: each tenant's run takes a
/// transaction-scoped advisory lock and checks the audit log for that delivery's event of the day before adding its own in
/// the same transaction.
/// </summary>
public sealed class ClosingAlertSweeper(
    PooledDbContextFactory<WeedGoDbContext> pool, TimeProvider clock, ILiveEvents live, IOptions<AuditOptions> auditOptions, ILogger<ClosingAlertSweeper> logger)
{
    /// <summary>Raises the alerts due now; returns how many were raised (0 when every one was raised earlier today).</summary>
    public async Task<int> RunAsync(CancellationToken ct = default)
    {
        var system = new TenantDbContextFactory(pool, FixedTenantContext.System, SystemUser.Instance);
        var audit = AuditLog.ForSystem(pool, clock, auditOptions);
        var now = clock.GetUtcNow();
        IReadOnlyList<DeliveryView> late;
        Dictionary<Guid, (Guid TenantId, string Name, string TimeZoneId)> stores;
        await using (var db = await system.CreateDbContextAsync(ct))
        {
            late = await DeliveryService.StillOutAtClosingAsync(db, now, null, ct);
            if (late.Count == 0)
            {
                return 0;
            }
            var ids = late.Select(d => d.StoreId).Distinct().ToList();
            stores = await db.Stores.AsNoTracking().Where(s => ids.Contains(s.Id))
                .ToDictionaryAsync(s => s.Id, s => (s.TenantId, s.Name, s.TimeZoneId), ct);
        }
        var raised = new List<DeliveryOutAtClosing>();
        foreach (var tenant in late.GroupBy(d => stores[d.StoreId].TenantId))
        {
            await using var db = await system.CreateDbContextAsync(ct);
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(6006, hashtext({tenant.Key.ToString()}))", ct);
            var earliestDay = tenant.Min(d => DayStart(stores[d.StoreId].TimeZoneId, now));
            var done = (await db.AuditLogs.AsNoTracking()
                    .Where(a => a.TenantId == tenant.Key && a.EventType == AuditEvents.DeliveryOutAtClosing && a.OccurredAt >= earliestDay)
                    .Select(a => new { a.EntityKey, a.OccurredAt }).ToListAsync(ct))
                .ToLookup(a => a.EntityKey);
            var fresh = new List<DeliveryOutAtClosing>();
            foreach (var d in tenant)
            {
                var store = stores[d.StoreId];
                var dayStart = DayStart(store.TimeZoneId, now);
                if (done[d.Id.ToString()].Any(a => a.OccurredAt >= dayStart))
                {
                    continue;
                }
                var row = audit.Stage(db, AuditEvents.DeliveryOutAtClosing, AuditSeverity.Warning, new
                {
                    delivery_id = d.Id, order_id = d.OrderId, order_number = d.OrderNumber, status = d.Status.ToString(), driver_id = d.DriverId,
                    store = store.Name, since = d.AssignedAt ?? d.CreatedAt,
                    message = $"Order {d.OrderNumber} is still out ({DeliveryService.Describe(d.Status)}) and {store.Name} has closed: it must be delivered or back at the store today.",
                }, tenant.Key, d.StoreId);
                row.EntityType = nameof(Delivery);
                row.EntityKey = d.Id.ToString();
                fresh.Add(new DeliveryOutAtClosing(tenant.Key, d.StoreId, d.Id, d.OrderId, d.OrderNumber, d.Status.ToString(), d.DriverId, store.Name));
            }
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            raised.AddRange(fresh);
        }
        foreach (var e in raised)
        {
            logger.LogWarning("Delivery of order {Order} is still out after {Store} closed", e.OrderNumber, e.StoreName);
            try
            {
                await live.PublishAsync(e, ct);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Publishing DeliveryOutAtClosing failed for {Order}", e.OrderNumber);
            }
        }
        return raised.Count;
    }

    /// <summary>Start (UTC) of the store-local day containing <paramref name="now"/>.</summary>
    private static DateTimeOffset DayStart(string timeZoneId, DateTimeOffset now)
    {
        var local = StoreHours.LocalTime(timeZoneId, now);
        return now - (local - local.Date);
    }
}
