using Microsoft.EntityFrameworkCore;
using WeedGo.Core.Data;

namespace WeedGo.Core.Pricing;

/// <summary>Giving promotion uses back when an order is cancelled (not when it is returned: the customer had the goods).</summary>
internal static class PromotionUsages
{
    /// <summary>In the caller's transaction: lowers the overall and the customer's counters of every promotion the order used
    /// and removes its usage rows, so a cancelled order neither counts toward a limit nor in the statistics.</summary>
    public static async Task ReleaseAsync(WeedGoDbContext db, Guid orderId, DateTimeOffset now, CancellationToken ct)
    {
        await db.Database.ExecuteSqlAsync($"""
            UPDATE promotions p SET used_count = GREATEST(p.used_count - 1, 0), updated_at = {now}
            FROM promotion_usages u WHERE u.order_id = {orderId} AND u.promotion_id = p.id
            """, ct);
        await db.Database.ExecuteSqlAsync($"""
            UPDATE promotion_customer_counts c SET used = GREATEST(c.used - 1, 0), updated_at = {now}
            FROM promotion_usages u WHERE u.order_id = {orderId} AND c.promotion_id = u.promotion_id AND c.customer_id = u.customer_id
            """, ct);
        await db.Database.ExecuteSqlAsync($"DELETE FROM promotion_usages WHERE order_id = {orderId}", ct);
    }
}
