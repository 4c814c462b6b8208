using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;
using WeedGo.Core.Common;
using WeedGo.Core.Data;

namespace WeedGo.Core.Audit;

/// <summary>
/// Before every save: one <see cref="AuditLogEntry"/> per insert/update/delete of an audited entity
/// (<see cref="AuditPolicy"/>), added to the same save, so it is written in the same transaction and in the same batch
/// (no extra round trip); a rollback leaves no audit row. Runs after <see cref="StampingInterceptor"/> (tenant known).
/// The chain fields are sealed by the database at commit. Once rows an alert rule could count have committed (after the
/// save, or after the caller's transaction commits), it wakes the alert evaluator through <see cref="AuditAlertSignal"/>.
/// </summary>
public sealed class AuditInterceptor(TimeProvider clock, AuditAlertSignal? signal = null) : SaveChangesInterceptor, IDbTransactionInterceptor
{
    /// <summary>Contexts whose saved audit rows include one a rule watches, waiting for their transaction to commit.</summary>
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<DbContext, object> _watched = [];

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Capture(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Capture(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        Saved(eventData.Context);
        return result;
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Saved(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public void TransactionCommitted(System.Data.Common.DbTransaction transaction, TransactionEndEventData eventData) => Committed(eventData.Context);

    public Task TransactionCommittedAsync(System.Data.Common.DbTransaction transaction, TransactionEndEventData eventData,
        CancellationToken cancellationToken = default)
    {
        Committed(eventData.Context);
        return Task.CompletedTask;
    }

    public void TransactionRolledBack(System.Data.Common.DbTransaction transaction, TransactionEndEventData eventData) => Unwatch(eventData.Context);

    public Task TransactionRolledBackAsync(System.Data.Common.DbTransaction transaction, TransactionEndEventData eventData,
        CancellationToken cancellationToken = default)
    {
        Unwatch(eventData.Context);
        return Task.CompletedTask;
    }

    public override void SaveChangesFailed(DbContextErrorEventData eventData) => Forget(eventData.Context);

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Forget(eventData.Context);
        return Task.CompletedTask;
    }

    /// <summary>Saved: in the caller's transaction, wait for its commit; otherwise the rows are committed now.</summary>
    private void Saved(DbContext? context)
    {
        if (context is not null && _watched.TryGetValue(context, out _) && context.Database.CurrentTransaction is null)
        {
            Committed(context);
        }
    }

    private void Committed(DbContext? context)
    {
        if (context is not null && _watched.Remove(context))
        {
            signal?.Poke();
        }
    }

    private void Unwatch(DbContext? context)
    {
        if (context is not null)
        {
            _watched.Remove(context);
        }
    }

    /// <summary>A failed save must not leave its audit rows queued for a retry (which would record the change twice).</summary>
    private void Forget(DbContext? context)
    {
        if (context is null)
        {
            return;
        }
        Unwatch(context);
        foreach (var e in context.ChangeTracker.Entries<AuditLogEntry>().Where(e => e.State == EntityState.Added).ToList())
        {
            e.State = EntityState.Detached;
        }
    }

    private void Capture(DbContext? context)
    {
        if (context is not WeedGoDbContext db || !db.AuditEnabled)
        {
            return;
        }
        List<AuditLogEntry>? rows = null;
        var now = clock.GetUtcNow();
        foreach (var entry in db.ChangeTracker.Entries())
        {
            if (entry.State is not (EntityState.Added or EntityState.Modified or EntityState.Deleted)
                || !AuditPolicy.IsAudited(entry.Metadata.ClrType, out var fields))
            {
                continue;
            }
            var row = Describe(db, entry, fields, now);
            if (row is not null)
            {
                (rows ??= []).Add(row);
            }
        }
        if (rows is not null)
        {
            db.AddRange(rows);
        }
        if (signal is not null && !_watched.TryGetValue(db, out _)
            && db.ChangeTracker.Entries<AuditLogEntry>().Any(e => e.State == EntityState.Added && signal.Matters(e.Entity.EventType, e.Entity.Severity)))
        {
            _watched.AddOrUpdate(db, this);
        }
    }

    private static AuditLogEntry? Describe(WeedGoDbContext db, EntityEntry entry, IReadOnlySet<string>? fields, DateTimeOffset now)
    {
        var changes = new JsonObject();
        foreach (var p in entry.Properties)
        {
            var name = p.Metadata.Name;
            if (AuditPolicy.IsNoise(name) || p.Metadata.IsPrimaryKey() && entry.State != EntityState.Added
                || p.Metadata.ValueGenerated == Microsoft.EntityFrameworkCore.Metadata.ValueGenerated.OnAddOrUpdate)
            {
                continue;
            }
            var relevant = fields is null || fields.Contains(name) || p.Metadata.IsPrimaryKey();
            switch (entry.State)
            {
                case EntityState.Added when relevant && p.CurrentValue is not null:
                    changes[name] = Pair(name, null, p.CurrentValue, added: true);
                    break;
                case EntityState.Modified when p.IsModified && !Equals(p.OriginalValue, p.CurrentValue):
                    if (fields is null || fields.Contains(name))
                    {
                        changes[name] = Pair(name, p.OriginalValue, p.CurrentValue);
                    }
                    break;
                case EntityState.Deleted when relevant && p.OriginalValue is not null:
                    changes[name] = Pair(name, p.OriginalValue, null, deleted: true);
                    break;
            }
        }
        if (entry.State == EntityState.Modified && changes.Count == 0)
        {
            return null; // only unaudited fields (e.g. on-hand figures, which the stock ledger records) changed
        }
        var key = string.Join(",", entry.Metadata.FindPrimaryKey()!.Properties.Select(k => Convert.ToString(
            entry.Property(k.Name).CurrentValue ?? entry.Property(k.Name).OriginalValue, System.Globalization.CultureInfo.InvariantCulture)));
        var actor = db.AuditActor;
        return new AuditLogEntry
        {
            TenantId = TenantOf(db, entry.Entity),
            StoreId = StoreOf(entry),
            UserId = actor.UserId,
            EventType = AuditPolicy.EventFor(entry.Metadata.ClrType),
            Severity = AuditSeverity.Info,
            EntityType = AuditPolicy.NameOf(entry.Metadata.ClrType),
            EntityKey = key,
            Action = entry.State switch
            {
                EntityState.Added => "insert",
                EntityState.Deleted => "delete",
                _ => "update",
            },
            Changes = changes.ToJsonString(),
            Ip = actor.Ip,
            UserAgent = actor.UserAgent,
            CorrelationId = actor.CorrelationId,
            OccurredAt = now,
        };
    }

    private static JsonObject Pair(string name, object? old, object? @new, bool added = false, bool deleted = false)
    {
        var secret = AuditPolicy.IsSecret(name);
        var o = new JsonObject();
        if (!added)
        {
            o["old"] = secret && old is not null ? AuditPolicy.Masked : ToNode(old);
        }
        if (!deleted)
        {
            o["new"] = secret && @new is not null ? AuditPolicy.Masked : ToNode(@new);
        }
        return o;
    }

    private static JsonNode? ToNode(object? value) => value switch
    {
        null => null,
        Enum e => JsonValue.Create(e.ToString()),
        NetTopologySuite.Geometries.Geometry g => JsonValue.Create(g.AsText()),
        _ => SafeSerialize(value),
    };

    private static JsonNode? SafeSerialize(object value)
    {
        try
        {
            return JsonSerializer.SerializeToNode(value);
        }
        catch (Exception e) when (e is NotSupportedException or InvalidOperationException or JsonException)
        {
            return JsonValue.Create(value.ToString());
        }
    }

    private static Guid? TenantOf(WeedGoDbContext db, object entity) => entity switch
    {
        // The zero uuid is how platform-owned rows (alert rules) name the platform: their changes go to the platform chain.
        ITenantOwned owned => owned.TenantId == Guid.Empty ? null : owned.TenantId,
        Tenancy.Tenant t => t.Id,
        Accounts.AppUser u => u.TenantId,
        Accounts.AppRole or Settings.SystemSetting => null,
        RateLimiting.RateLimitRule r => r.TenantId,
        _ => db.AllTenants ? null : db.CurrentTenantId,
    };

    private static Guid? StoreOf(EntityEntry entry)
    {
        if (entry.Entity is Tenancy.Store s)
        {
            return s.Id;
        }
        var p = entry.Metadata.FindProperty("StoreId");
        return p is null ? null : entry.Property(p.Name).CurrentValue as Guid?;
    }
}
