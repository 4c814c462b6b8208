using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WeedGo.Core.Audit;
using WeedGo.Core.Common;
using WeedGo.Core.Data;

namespace WeedGo.Core.RateLimiting;

/// <summary>
/// Records refusals without slowing them down or flooding the database: the first refusal of a rule's bucket in a window
/// (<see cref="RateLimitOptions.ViolationWindow"/>) queues one <c>agi_rate_limit_violations</c> row and one
/// <c>ratelimit.violated</c> audit event (written together, in one transaction, by a background loop); later refusals in the
/// window only count, and the count is written to that row every couple of seconds. At most
/// <see cref="RateLimitOptions.MaxViolationRowsPerMinute"/> new rows a minute per instance; beyond that a flood is logged.
/// So a million refused requests from one address are one row a minute, and the alert rules count one event per abuser per
/// minute, not per request.
/// </summary>
public sealed class RateLimitViolationRecorder : IAsyncDisposable
{
    private readonly PooledDbContextFactory<WeedGoDbContext> _pool;
    private readonly TimeProvider _clock;
    private readonly RateLimitOptions _options;
    private readonly IOptions<AuditOptions> _audit;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<(Guid Rule, string Key), Window> _windows = new();
    private readonly Channel<RateLimitViolation> _queue =
        Channel.CreateBounded<RateLimitViolation>(new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _writing = new(1, 1);
    private Task? _loop;
    private long _minute;
    private int _rowsThisMinute;
    private long _dropped;

    public RateLimitViolationRecorder(
        PooledDbContextFactory<WeedGoDbContext> pool, TimeProvider clock, IOptions<RateLimitOptions> options,
        IOptions<AuditOptions> audit, ILogger<RateLimitViolationRecorder> logger)
    {
        _pool = pool;
        _clock = clock;
        _options = options.Value;
        _audit = audit;
        _logger = logger;
    }

    private sealed class Window(RateLimitViolation row, long endsTicks)
    {
        public readonly RateLimitViolation Row = row;
        public readonly long EndsTicks = endsTicks;
        public int Refusals = 1;
        public int Written = 1;
        public long LastTicks;
        public volatile bool Inserted;
    }

    /// <summary>Counts a refusal; queues a row when it opens a new window. Never waits.</summary>
    public void Record(CompiledRule rule, string key, string target, in RateSubject subject)
    {
        var now = _clock.GetUtcNow();
        var id = (rule.Id, key);
        if (_windows.TryGetValue(id, out var open) && now.UtcTicks < open.EndsTicks)
        {
            Interlocked.Increment(ref open.Refusals);
            Volatile.Write(ref open.LastTicks, now.UtcTicks);
            return;
        }
        var minute = now.UtcTicks / TimeSpan.TicksPerMinute;
        if (Interlocked.Exchange(ref _minute, minute) != minute)
        {
            Interlocked.Exchange(ref _rowsThisMinute, 0);
        }
        if (Interlocked.Increment(ref _rowsThisMinute) > _options.MaxViolationRowsPerMinute)
        {
            if (Interlocked.Increment(ref _dropped) % 1000 == 1)
            {
                _logger.LogWarning("Rate-limit violations over {Max} a minute: not stored one by one ({Dropped} so far); rule {Rule}",
                    _options.MaxViolationRowsPerMinute, Interlocked.Read(ref _dropped), rule.Name);
            }
            return;
        }
        var row = new RateLimitViolation
        {
            TenantId = subject.TenantId,
            RuleId = rule.Id,
            RuleName = rule.Name,
            TargetKind = rule.Kind,
            Target = target.Length > 300 ? target[..300] : target,
            Key = key,
            UserId = subject.UserId,
            Ip = subject.Ip,
            UserAgent = subject.UserAgent is { Length: > 512 } ua ? ua[..512] : subject.UserAgent,
            OccurredAt = now,
            LastAt = now,
        };
        _windows[id] = new Window(row, now.UtcTicks + _options.ViolationWindow.Ticks) { LastTicks = now.UtcTicks };
        if (_queue.Writer.TryWrite(row))
        {
            EnsureLoop();
        }
        else
        {
            _windows.TryRemove(id, out _);
        }
    }

    private void EnsureLoop()
    {
        if (_loop is null)
        {
            lock (_queue)
            {
                _loop ??= Task.Run(() => LoopAsync(_stop.Token));
            }
        }
    }

    private async Task LoopAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(2), ct);
                await FlushAsync(ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                _logger.LogWarning(e, "Writing rate-limit violations failed; retrying");
            }
        }
    }

    /// <summary>Writes queued rows (each with its audit event) and the counts of open windows. The background loop calls it
    /// every 2 s; tests and shutdown call it directly.</summary>
    public async Task FlushAsync(CancellationToken ct = default)
    {
        await _writing.WaitAsync(ct);
        try
        {
            var rows = new List<RateLimitViolation>();
            while (rows.Count < 500 && _queue.Reader.TryRead(out var row))
            {
                rows.Add(row);
            }
            var now = _clock.GetUtcNow().UtcTicks;
            var batch = rows.Select(r => r.Id).ToHashSet();
            var counts = new List<(Guid Id, int Refusals, DateTimeOffset Last)>();
            var inserted = new List<Window>();
            foreach (var (key, w) in _windows)
            {
                var refusals = Volatile.Read(ref w.Refusals);
                var last = new DateTimeOffset(Volatile.Read(ref w.LastTicks), TimeSpan.Zero);
                if (batch.Contains(w.Row.Id))
                {
                    w.Row.Refusals = refusals;
                    w.Row.LastAt = last;
                    w.Written = refusals;
                    inserted.Add(w);
                }
                else if (w.Inserted && refusals != w.Written)
                {
                    counts.Add((w.Row.Id, refusals, last));
                    w.Written = refusals;
                }
                if (w.Inserted && now >= w.EndsTicks && w.Written == Volatile.Read(ref w.Refusals))
                {
                    _windows.TryRemove(new KeyValuePair<(Guid, string), Window>(key, w));
                }
            }
            if (rows.Count == 0 && counts.Count == 0)
            {
                return;
            }
            await using var db = await _pool.CreateDbContextAsync(ct);
            db.UseTenant(FixedTenantContext.System);
            db.UseAuditActor(AuditActor.None, enabled: _audit.Value.Enabled);
            foreach (var row in rows)
            {
                db.RateLimitViolations.Add(row);
                var request = new AuditRequestContext { Ip = row.Ip, UserAgent = row.UserAgent, CorrelationId = "ratelimit:" + row.Id };
                var log = new AuditLog(_pool, FixedTenantContext.System, new Actor(row.UserId), request, _clock, _audit);
                var entry = log.Stage(db, AuditEvents.RateLimitViolated, AuditSeverity.Warning,
                    new { rule = row.RuleName, ruleId = row.RuleId, kind = row.TargetKind.ToString(), target = row.Target, key = row.Key, violation = row.Id },
                    tenantId: row.TenantId);
                entry.OccurredAt = row.OccurredAt;
            }
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch
            {
                // These rows are lost; their windows close so the next refusal opens a new one.
                foreach (var w in inserted)
                {
                    _windows.TryRemove(new KeyValuePair<(Guid, string), Window>((w.Row.RuleId ?? Guid.Empty, w.Row.Key), w));
                }
                throw;
            }
            foreach (var w in inserted)
            {
                w.Inserted = true;
            }
            foreach (var (id, refusals, last) in counts)
            {
                await db.RateLimitViolations.Where(v => v.Id == id)
                    .ExecuteUpdateAsync(s => s.SetProperty(v => v.Refusals, refusals).SetProperty(v => v.LastAt, last), ct);
            }
        }
        finally
        {
            _writing.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_loop is not null)
        {
            try
            {
                await _loop;
            }
            catch (OperationCanceledException)
            {
            }
        }
        try
        {
            await FlushAsync(CancellationToken.None);
        }
        catch (Exception e)
        {
            _logger.LogWarning(e, "Writing the last rate-limit violations failed");
        }
        _stop.Dispose();
    }

    /// <summary>The refused person as the audit log's actor.</summary>
    private sealed class Actor(Guid? userId) : ICurrentUser
    {
        public Guid? UserId => userId;
        public bool IsAuthenticated => userId is not null;
        public string? Email => null;
        public bool IsInRole(string role) => false;
        public IReadOnlyCollection<Guid> StoreIds => [];
    }
}
