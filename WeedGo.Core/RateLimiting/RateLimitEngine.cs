using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace WeedGo.Core.RateLimiting;

/// <summary>A decision with the rule that made it (null when allowed).</summary>
public readonly record struct RateOutcome(bool Allowed, TimeSpan RetryAfter, string? Message, CompiledRule? Rule)
{
    public static RateOutcome Allow { get; } = new(true, TimeSpan.Zero, null, null);

    public RateDecision Decision => Allowed ? RateDecision.Allow : new RateDecision(false, RetryAfter, Message);
}

/// <summary>
/// The token-bucket limiter behind both the HTTP rate limiting and <see cref="IOperationLimiter"/>. One per process.
/// <para>
/// Every bucket lives in <c>agi_rate_limit_buckets</c>; an instance <b>leases</b> a few tokens at a time from it (a tenth of
/// the bucket, at least 1, see <see cref="RateLimitOptions.LeaseDivisor"/>) with one atomic upsert, and spends them from
/// memory for up to <see cref="RateLimitOptions.LeaseDuration"/>. So most decisions are a dictionary lookup and a lock
/// (the in-memory path, well under a microsecond), one in every lease-size decisions is a database round trip, and an empty
/// bucket is remembered until its next token is due (a flood is refused from memory). The trade-off: while an instance
/// holds leased tokens, another instance cannot use them, so a client spread over instances may be refused up to a lease
/// early; tokens leased but unused go back with the next lease after their lease expires, or are lost when the instance
/// stops (counted as spent: never more than the limit passes, across instances and restarts). Small buckets (under 20
/// tokens: sign-in, one-time codes, checkout) lease one token at a time, so they are exact.
/// </para>
/// <para>
/// If the database cannot be reached, a bucket falls back to an in-memory <see cref="TokenBucket"/> for 30 s: each instance
/// still limits on its own rather than letting everything through or refusing everyone.
/// </para>
/// </summary>
public sealed class RateLimitEngine(
    RateLimitRuleCache rules, RateLimitBucketStore store, RateLimitViolationRecorder violations, TimeProvider clock,
    IOptions<RateLimitOptions> options, ILogger<RateLimitEngine> logger)
{
    private static readonly TimeSpan FallbackFor = TimeSpan.FromSeconds(30);
    private readonly ConcurrentDictionary<BucketKey, LocalBucket> _buckets = new();
    private long _lastFailureLog;
    private long _leases;

    public bool Enabled => options.Value.Enabled;

    public RateLimitRuleCache Rules => rules;

    public RateLimitViolationRecorder Violations => violations;

    /// <summary>Database leases taken so far by this instance (diagnostics and the bench).</summary>
    public long Leases => Interlocked.Read(ref _leases);

    /// <summary>Buckets held in memory (for tests and diagnostics).</summary>
    public int LocalBuckets => _buckets.Count;

    /// <summary>Takes a token of every rule for <paramref name="operation"/> that applies to <paramref name="subject"/>.</summary>
    public ValueTask<RateOutcome> DecideOperationAsync(string operation, RateSubject subject, CancellationToken ct = default) =>
        DecideAsync(RateLimitTargetKind.Operation, operation, subject, ct);

    /// <summary>Takes a token of every endpoint rule whose path prefix covers <paramref name="path"/>.</summary>
    public ValueTask<RateOutcome> DecideEndpointAsync(string path, RateSubject subject, CancellationToken ct = default) =>
        DecideAsync(RateLimitTargetKind.Endpoint, path, subject, ct);

    /// <summary>True when no enabled endpoint rule covers <paramref name="path"/> (answerable from memory only).</summary>
    public bool NoEndpointRuleFor(string path)
    {
        if (!Enabled)
        {
            return true;
        }
        if (!rules.IsFresh(clock.GetUtcNow().UtcTicks) || rules.Current is not { } snapshot)
        {
            return false;
        }
        foreach (var rule in snapshot.Endpoints)
        {
            if (rule.Matches(path))
            {
                return false;
            }
        }
        return true;
    }

    private ValueTask<RateOutcome> DecideAsync(RateLimitTargetKind kind, string target, RateSubject subject, CancellationToken ct)
    {
        if (!Enabled)
        {
            return ValueTask.FromResult(RateOutcome.Allow);
        }
        var now = clock.GetUtcNow().UtcTicks;
        if (!rules.IsFresh(now))
        {
            return LoadThenDecideAsync(kind, target, subject, ct);
        }
        return DecideWith(rules.Current!, kind, target, subject, now, ct);
    }

    private async ValueTask<RateOutcome> LoadThenDecideAsync(RateLimitTargetKind kind, string target, RateSubject subject, CancellationToken ct)
    {
        var snapshot = await rules.GetAsync(ct);
        return await DecideWith(snapshot, kind, target, subject, clock.GetUtcNow().UtcTicks, ct);
    }

    private ValueTask<RateOutcome> DecideWith(RuleSnapshot snapshot, RateLimitTargetKind kind, string target, RateSubject subject, long now, CancellationToken ct)
    {
        var candidates = kind == RateLimitTargetKind.Operation ? snapshot.ForOperation(target) : snapshot.Endpoints;
        for (var i = 0; i < candidates.Length; i++)
        {
            var rule = candidates[i];
            if (!Applies(rule, kind, target, subject) || !KeyOf(rule, subject, out var key))
            {
                continue;
            }
            var bucket = _buckets.GetOrAdd(key, static (_, r) => new LocalBucket(r), rule);
            var local = bucket.TryTake(rule, now);
            if (local.State == LocalState.Allowed)
            {
                continue;
            }
            if (local.State == LocalState.Refused)
            {
                return ValueTask.FromResult(Refuse(rule, key, target, subject, local.RetryAfter));
            }
            return ContinueAsync(candidates, i, bucket, key, kind, target, subject, ct);
        }
        return ValueTask.FromResult(RateOutcome.Allow);
    }

    private async ValueTask<RateOutcome> ContinueAsync(
        CompiledRule[] candidates, int from, LocalBucket first, BucketKey firstKey, RateLimitTargetKind kind, string target,
        RateSubject subject, CancellationToken ct)
    {
        for (var i = from; i < candidates.Length; i++)
        {
            var rule = candidates[i];
            LocalBucket bucket;
            BucketKey key;
            if (i == from)
            {
                (bucket, key) = (first, firstKey);
            }
            else
            {
                if (!Applies(rule, kind, target, subject) || !KeyOf(rule, subject, out key))
                {
                    continue;
                }
                bucket = _buckets.GetOrAdd(key, static (_, r) => new LocalBucket(r), rule);
            }
            var taken = await TakeAsync(bucket, rule, key, ct);
            if (!taken.Allowed)
            {
                return Refuse(rule, key, target, subject, taken.RetryAfter);
            }
        }
        return RateOutcome.Allow;
    }

    /// <summary>A token from memory, or a lease from the database (one caller per bucket at a time; the others then find
    /// the leased tokens in memory).</summary>
    private async ValueTask<(bool Allowed, TimeSpan RetryAfter)> TakeAsync(LocalBucket bucket, CompiledRule rule, BucketKey key, CancellationToken ct)
    {
        await bucket.Gate.WaitAsync(ct);
        try
        {
            var now = clock.GetUtcNow();
            var local = bucket.TryTake(rule, now.UtcTicks);
            if (local.State != LocalState.NeedsStore)
            {
                return (local.State == LocalState.Allowed, local.RetryAfter);
            }
            var returned = bucket.TakeBackExpired(now.UtcTicks);
            Interlocked.Increment(ref _leases);
            BucketLease lease;
            try
            {
                lease = await store.LeaseAsync(rule, key.ToStoreKey(), rule.LeaseSize, returned, now, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogFailure(e, rule);
                return bucket.UseFallback(rule, clock, now.UtcTicks + FallbackFor.Ticks);
            }
            return bucket.Leased(lease, rule, now.UtcTicks, options.Value.LeaseDuration.Ticks);
        }
        finally
        {
            bucket.Gate.Release();
        }
    }

    private RateOutcome Refuse(CompiledRule rule, BucketKey key, string target, in RateSubject subject, TimeSpan retryAfter)
    {
        violations.Record(rule, key.ToStoreKey(), target, subject);
        return new RateOutcome(false, retryAfter, RateLimitMessages.For(rule.Kind, rule.Target, retryAfter), rule);
    }

    private static bool Applies(CompiledRule rule, RateLimitTargetKind kind, string target, in RateSubject subject) =>
        rule.AppliesTo(subject.TenantId) && (kind == RateLimitTargetKind.Operation || rule.Matches(target));

    /// <summary>The bucket of <paramref name="rule"/> this subject draws from; false when the scope cannot place them (no
    /// tenant for a tenant rule, no address for an IP rule). A guest (no user) counts by IP address for a per-person rule.</summary>
    private static bool KeyOf(CompiledRule rule, in RateSubject subject, out BucketKey key)
    {
        switch (rule.Scope)
        {
            case RateLimitScope.Global:
                key = new BucketKey(rule.Id, 'g', Guid.Empty, null);
                return true;
            case RateLimitScope.Tenant when subject.TenantId is { } tenant:
                key = new BucketKey(rule.Id, 't', tenant, null);
                return true;
            case RateLimitScope.User when subject.UserId is { } user:
                key = new BucketKey(rule.Id, 'u', user, null);
                return true;
            case RateLimitScope.User or RateLimitScope.Ip when !string.IsNullOrEmpty(subject.Ip):
                key = new BucketKey(rule.Id, 'i', Guid.Empty, subject.Ip);
                return true;
            default:
                key = default;
                return false;
        }
    }

    /// <summary>Forgets idle buckets (their leased tokens are dropped: counted as spent). Returns how many were removed.</summary>
    public int EvictIdle(TimeSpan idleFor)
    {
        var before = clock.GetUtcNow().UtcTicks - idleFor.Ticks;
        var removed = 0;
        foreach (var (key, bucket) in _buckets)
        {
            if (bucket.IdleSince(before) && _buckets.TryRemove(new KeyValuePair<BucketKey, LocalBucket>(key, bucket)))
            {
                removed++;
            }
        }
        return removed;
    }

    /// <summary>Periodic housekeeping: idle local buckets, long-full persisted buckets, old violations.</summary>
    public async Task MaintainAsync(CancellationToken ct = default)
    {
        EvictIdle(TimeSpan.FromMinutes(2) + options.Value.LeaseDuration);
        await store.SweepAsync(clock.GetUtcNow(), options.Value.ViolationRetention, ct);
    }

    private void LogFailure(Exception e, CompiledRule rule)
    {
        var now = Environment.TickCount64;
        var last = Interlocked.Read(ref _lastFailureLog);
        if (now - last > 10_000 && Interlocked.CompareExchange(ref _lastFailureLog, now, last) == last)
        {
            logger.LogWarning(e, "Rate-limit bucket lease failed for rule {Rule}; limiting in memory for {Seconds} s", rule.Name, FallbackFor.TotalSeconds);
        }
    }

    /// <summary>Which bucket: the rule and the scope's key (a user, tenant, IP address, or everyone). No allocation to build.</summary>
    internal readonly record struct BucketKey(Guid Rule, char Kind, Guid Id, string? Text)
    {
        public string ToStoreKey() => Kind switch
        {
            'g' => "*",
            't' => "t:" + Id.ToString("N"),
            'u' => "u:" + Id.ToString("N"),
            _ => "ip:" + Text,
        };
    }

    private enum LocalState : byte
    {
        Allowed,
        Refused,
        NeedsStore,
    }

    private readonly record struct LocalResult(LocalState State, TimeSpan RetryAfter);

    /// <summary>An instance's view of one bucket: leased tokens, when the lease ends, and until when the bucket is known empty.</summary>
    private sealed class LocalBucket(CompiledRule rule)
    {
        private readonly Lock _lock = new();
        private CompiledRule _rule = rule;
        private int _tokens;
        private long _leaseUntil;
        private long _emptyUntil;
        private long _lastUsed;
        private TokenBucket? _fallback;
        private long _fallbackUntil;

        public readonly SemaphoreSlim Gate = new(1, 1);

        public LocalResult TryTake(CompiledRule rule, long now)
        {
            lock (_lock)
            {
                if (!ReferenceEquals(_rule, rule))
                {
                    // The rule changed: leased tokens and the remembered refusal belong to the old numbers.
                    _rule = rule;
                    _tokens = 0;
                    _leaseUntil = 0;
                    _emptyUntil = 0;
                    _fallback = null;
                }
                _lastUsed = now;
                if (now < _emptyUntil)
                {
                    return new LocalResult(LocalState.Refused, TimeSpan.FromTicks(_emptyUntil - now));
                }
                if (_tokens > 0 && now < _leaseUntil)
                {
                    _tokens--;
                    return new LocalResult(LocalState.Allowed, TimeSpan.Zero);
                }
                if (_fallback is not null && now < _fallbackUntil)
                {
                    return _fallback.TryTake(out var retry)
                        ? new LocalResult(LocalState.Allowed, TimeSpan.Zero)
                        : new LocalResult(LocalState.Refused, retry);
                }
                return new LocalResult(LocalState.NeedsStore, TimeSpan.Zero);
            }
        }

        /// <summary>Unspent tokens of an expired lease, to give back with the next lease.</summary>
        public int TakeBackExpired(long now)
        {
            lock (_lock)
            {
                if (now < _leaseUntil || _tokens == 0)
                {
                    return 0;
                }
                var back = _tokens;
                _tokens = 0;
                return back;
            }
        }

        public (bool, TimeSpan) Leased(BucketLease lease, CompiledRule rule, long now, long leaseTicks)
        {
            lock (_lock)
            {
                _fallback = null;
                if (lease.Granted > 0)
                {
                    _tokens = lease.Granted - 1;
                    _leaseUntil = now + leaseTicks;
                    return (true, TimeSpan.Zero);
                }
                var retry = TokenBucketMath.UntilOne(lease.Left, rule.RatePerSecond);
                _emptyUntil = now + Math.Max(1, retry.Ticks);
                return (false, retry);
            }
        }

        public (bool, TimeSpan) UseFallback(CompiledRule rule, TimeProvider clock, long until)
        {
            lock (_lock)
            {
                _fallback ??= new TokenBucket(rule.Size, rule.RatePerSecond, clock);
                _fallbackUntil = until;
                return _fallback.TryTake(out var retry) ? (true, TimeSpan.Zero) : (false, retry);
            }
        }

        public bool IdleSince(long before)
        {
            lock (_lock)
            {
                return _lastUsed < before && Gate.CurrentCount == 1;
            }
        }
    }
}
