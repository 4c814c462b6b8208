namespace WeedGo.Core.RateLimiting;

/// <summary>Settings under <c>WeedGo:RateLimits</c>. The limits themselves are rules in the database (admin page).</summary>
public sealed class RateLimitOptions
{
    public const string Section = "WeedGo:RateLimits";

    /// <summary>
    /// Off unless configuration turns it on: the web app turns it on (<c>AddWeedGoRateLimiting</c>: only an explicit
    /// <c>false</c> turns it off there); hosts built from Core alone (service tests, tools) enforce nothing unless they set it.
    /// The test and bench hosts set it to false, so suites that sign in and check out hundreds of times from one address are
    /// not throttled; the rate-limit tests turn it on in their own hosts.
    /// </summary>
    public bool Enabled { get; set; }

    /// <summary>How often an instance asks the database whether the rules changed (another instance's edit is seen within this).</summary>
    public TimeSpan RuleRefresh { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long tokens leased from a persisted bucket may be spent locally before they go back to it.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>A lease takes this fraction of a bucket's size (at least 1, at most <see cref="MaxLease"/>): 1/10 by default,
    /// so a 120-token bucket is asked once per 12 requests, and buckets under 20 tokens are asked for every decision.</summary>
    public int LeaseDivisor { get; set; } = 10;

    public int MaxLease { get; set; } = 50;

    /// <summary>One violation row (and audit event) per rule and bucket per window; more refusals in the window are counted on it.</summary>
    public TimeSpan ViolationWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>At most this many violation rows per minute per instance (a flood from many addresses is logged, not stored).</summary>
    public int MaxViolationRowsPerMinute { get; set; } = 1000;

    /// <summary>Violations older than this are deleted by the maintenance job.</summary>
    public TimeSpan ViolationRetention { get; set; } = TimeSpan.FromDays(30);
}

/// <summary>Who is asking, as the rules' scopes see it.</summary>
public readonly record struct RateSubject(Guid? UserId, Guid? TenantId, string? Ip, string? UserAgent = null);

/// <summary>The sentences people see when a limit refuses them.</summary>
public static class RateLimitMessages
{
    public static string For(RateLimitTargetKind kind, string target, TimeSpan retryAfter)
    {
        var wait = Wait(retryAfter);
        if (kind == RateLimitTargetKind.Endpoint)
        {
            return $"Too many requests. Please wait {wait} and try again.";
        }
        return target switch
        {
            RateOperations.SignIn => $"Too many sign-in attempts from your connection. Please wait {wait} and try again.",
            RateOperations.OneTimeCode => $"Too many codes have been asked for from your connection. Please wait {wait} and try again.",
            RateOperations.Checkout => $"Too many checkout attempts in a short time. Please wait {wait} and try again.",
            RateOperations.Search => $"You are searching faster than we can keep up. Please wait {wait} and search again.",
            RateOperations.Chat => $"You are sending a lot of messages. Please wait {wait} and try again.",
            RateOperations.AiModel => $"You have reached the assistant's limit for now. Please wait {wait} and try again.",
            _ => $"Too many attempts. Please wait {wait} and try again.",
        };
    }

    /// <summary>"1 second", "40 seconds", "3 minutes", "2 hours" (rounded up).</summary>
    public static string Wait(TimeSpan retryAfter)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        if (seconds < 90)
        {
            return seconds == 1 ? "1 second" : $"{seconds} seconds";
        }
        var minutes = (int)Math.Ceiling(seconds / 60.0);
        if (minutes < 90)
        {
            return $"{minutes} minutes";
        }
        return $"{(int)Math.Ceiling(minutes / 60.0)} hours";
    }
}
