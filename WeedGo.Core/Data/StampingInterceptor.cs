using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using WeedGo.Core.Common;

namespace WeedGo.Core.Data;

/// <summary>
/// Before every save: stamps created_at/updated_at from <see cref="TimeProvider"/>, stamps tenant_id on new tenant-owned rows
/// from the context's tenant, and refuses writes to another tenant's rows.
/// </summary>
public sealed class StampingInterceptor(TimeProvider clock) : SaveChangesInterceptor
{
    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Stamp(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Stamp(eventData.Context);
        return ValueTask.FromResult(result);
    }

    private void Stamp(DbContext? context)
    {
        if (context is null)
        {
            return;
        }
        var now = clock.GetUtcNow();
        var db = context as WeedGoDbContext;
        foreach (var entry in context.ChangeTracker.Entries())
        {
            if (entry.Entity is IHasTimestamps stamped)
            {
                if (entry.State == EntityState.Added)
                {
                    stamped.CreatedAt = now;
                    stamped.UpdatedAt = now;
                }
                else if (entry.State == EntityState.Modified)
                {
                    stamped.UpdatedAt = now;
                    entry.Property(nameof(IHasTimestamps.CreatedAt)).IsModified = false;
                }
            }

            if (entry.Entity is ITenantOwned owned && db is not null
                && entry.State is EntityState.Added or EntityState.Modified or EntityState.Deleted)
            {
                StampTenant(db, entry.State, owned);
            }
        }
    }

    private static void StampTenant(WeedGoDbContext db, EntityState state, ITenantOwned owned)
    {
        if (state == EntityState.Added && owned.TenantId == Guid.Empty)
        {
            owned.TenantId = db.CurrentTenantId
                ?? throw new InvalidOperationException($"Cannot save a new {owned.GetType().Name} without a tenant in scope.");
        }
        if (!db.AllTenants && owned.TenantId != db.CurrentTenantId)
        {
            throw new InvalidOperationException(
                $"Refused to write a {owned.GetType().Name} of another tenant ({owned.TenantId}) while acting for {db.CurrentTenantId?.ToString() ?? "no tenant"}.");
        }
    }
}
