namespace WeedGo.Core.RateLimiting;

/// <summary>
/// The token-bucket arithmetic every limit uses (the persisted buckets run the same formula in SQL, see
/// <see cref="RateLimitBucketStore"/>): a bucket holds at most <c>size</c> tokens and refills continuously at
/// <c>ratePerSecond</c>; a request takes one.
/// </summary>
public static class TokenBucketMath
{
    /// <summary>Tokens after <paramref name="elapsed"/> of refill (never above <paramref name="size"/>; time going back adds nothing).</summary>
    public static double Refill(double tokens, TimeSpan elapsed, double ratePerSecond, int size) =>
        Math.Min(size, tokens + Math.Max(0, elapsed.TotalSeconds) * ratePerSecond);

    /// <summary>How long until the bucket holds one whole token.</summary>
    public static TimeSpan UntilOne(double tokens, double ratePerSecond) =>
        tokens >= 1 ? TimeSpan.Zero : TimeSpan.FromSeconds((1 - tokens) / ratePerSecond);
}

/// <summary>
/// A token bucket in memory, on a <see cref="TimeProvider"/>. Used by the limiter when the database cannot be reached (each
/// instance then limits on its own rather than not at all), and as the reference the tests hold the arithmetic to.
/// Thread-safe.
/// </summary>
public sealed class TokenBucket(int size, double ratePerSecond, TimeProvider clock)
{
    private readonly Lock _gate = new();
    private double _tokens = size;
    private DateTimeOffset _refilledAt = clock.GetUtcNow();

    public int Size => size;
    public double RatePerSecond => ratePerSecond;

    /// <summary>Tokens now (refilled to this instant).</summary>
    public double Available
    {
        get
        {
            lock (_gate)
            {
                RefillNow();
                return _tokens;
            }
        }
    }

    /// <summary>Takes a token, or says how long until there is one.</summary>
    public bool TryTake(out TimeSpan retryAfter)
    {
        lock (_gate)
        {
            RefillNow();
            if (_tokens >= 1)
            {
                _tokens -= 1;
                retryAfter = TimeSpan.Zero;
                return true;
            }
            retryAfter = TokenBucketMath.UntilOne(_tokens, ratePerSecond);
            return false;
        }
    }

    private void RefillNow()
    {
        var now = clock.GetUtcNow();
        _tokens = TokenBucketMath.Refill(_tokens, now - _refilledAt, ratePerSecond, size);
        if (now > _refilledAt)
        {
            _refilledAt = now;
        }
    }
}
