using Microsoft.Extensions.Time.Testing;
using WeedGo.Core.RateLimiting;

namespace WeedGo.Tests.RateLimiting;

/// <summary>The token-bucket arithmetic (capacity, refill, burst) on a fake clock.</summary>
public sealed class TokenBucketTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));

    private static int Take(TokenBucket bucket, int times) => Enumerable.Range(0, times).Count(_ => bucket.TryTake(out TimeSpan _));

    [Fact]
    public void A_full_bucket_lets_capacity_plus_burst_through_at_once_then_refuses_with_the_time_to_the_next_token()
    {
        // 100 per 60 s with a burst of 20: a bucket of 120 refilling 1 token every 0.6 s.
        var bucket = new TokenBucket(100 + 20, 100 / 60.0, _clock);
        Assert.Equal(120, Take(bucket, 200));
        Assert.False(bucket.TryTake(out var retry));
        Assert.Equal(0.6, retry.TotalSeconds, precision: 6);
    }

    [Fact]
    public void Tokens_refill_continuously_at_the_rate()
    {
        var bucket = new TokenBucket(120, 100 / 60.0, _clock);
        Take(bucket, 120);
        _clock.Advance(TimeSpan.FromSeconds(0.5));
        Assert.False(bucket.TryTake(out var retry));
        Assert.Equal(0.1, retry.TotalSeconds, precision: 6);
        _clock.Advance(TimeSpan.FromSeconds(0.1));
        Assert.True(bucket.TryTake(out _));
        _clock.Advance(TimeSpan.FromSeconds(30)); // 50 tokens
        Assert.Equal(50, Take(bucket, 200));
    }

    [Fact]
    public void A_long_pause_fills_the_bucket_to_its_size_and_no_further()
    {
        var bucket = new TokenBucket(120, 100 / 60.0, _clock);
        Take(bucket, 120);
        _clock.Advance(TimeSpan.FromHours(3));
        Assert.Equal(120, bucket.Available, precision: 6);
        Assert.Equal(120, Take(bucket, 500));
    }

    [Fact]
    public void Without_burst_the_bucket_holds_exactly_the_capacity_and_a_slow_rule_waits_minutes()
    {
        // 5 an hour: after five, the sixth waits 12 minutes.
        var bucket = new TokenBucket(5, 5 / 3600.0, _clock);
        Assert.Equal(5, Take(bucket, 10));
        Assert.False(bucket.TryTake(out var retry));
        Assert.Equal(TimeSpan.FromMinutes(12), TimeSpan.FromSeconds(Math.Round(retry.TotalSeconds)));
        Assert.Equal("12 minutes", RateLimitMessages.Wait(retry));
    }

    [Fact]
    public void Time_going_back_adds_no_tokens()
    {
        Assert.Equal(3, TokenBucketMath.Refill(3, TimeSpan.FromSeconds(-30), 1, 10));
        Assert.Equal(10, TokenBucketMath.Refill(3, TimeSpan.FromSeconds(30), 1, 10));
    }

    [Fact]
    public void Messages_say_how_long_to_wait_in_words()
    {
        Assert.Equal("1 second", RateLimitMessages.Wait(TimeSpan.FromMilliseconds(200)));
        Assert.Equal("40 seconds", RateLimitMessages.Wait(TimeSpan.FromSeconds(39.2)));
        Assert.Equal("2 hours", RateLimitMessages.Wait(TimeSpan.FromMinutes(100)));
        Assert.Contains("searching faster", RateLimitMessages.For(RateLimitTargetKind.Operation, RateOperations.Search, TimeSpan.FromSeconds(5)));
    }
}
