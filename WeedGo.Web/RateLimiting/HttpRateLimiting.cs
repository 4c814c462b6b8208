using System.Globalization;
using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using WeedGo.Core.RateLimiting;
using WeedGo.Web.Identity;

namespace WeedGo.Web.RateLimiting;

/// <summary>
/// Rate limits for HTTP: ASP.NET Core's rate-limiting middleware with one global <see cref="PartitionedRateLimiter{T}"/> whose
/// partitions are the rules' token buckets (per person, IP, tenant or everyone, see <see cref="RateLimitEngine"/>), for API
/// requests only (<c>/api/…</c>: the token endpoint and every API). Static files, pages, the Blazor hub (<c>/_blazor</c>)
/// and SignalR hubs pass untouched; clicks inside a circuit are limited in the services (<see cref="IOperationLimiter"/>).
/// A refusal is <c>429 Too Many Requests</c> with <c>Retry-After</c> (seconds) and a problem body naming the reason.
/// </summary>
public static class HttpRateLimiting
{
    /// <summary>Registers the options (on unless <c>WeedGo:RateLimits:Enabled</c> is false), the middleware's limiter and the
    /// maintenance job.</summary>
    public static IServiceCollection AddWeedGoRateLimiting(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<RateLimitOptions>(o => o.Enabled = true);
        services.Configure<RateLimitOptions>(configuration.GetSection(RateLimitOptions.Section));
        services.AddSingleton<RuleBucketsHttpLimiter>();
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<RuleBucketsHttpLimiter>((o, limiter) =>
        {
            o.GlobalLimiter = limiter;
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = (context, ct) => WriteRefusalAsync(context.HttpContext, context.Lease, ct);
        });
        services.AddHostedService<RateLimitMaintenanceService>();
        return services;
    }

    /// <summary>Only API paths are limited by the middleware.</summary>
    public static bool IsLimited(PathString path) => path.StartsWithSegments("/api");

    /// <summary>Who is asking, from the request (after authentication and <see cref="UserContextMiddleware"/>).</summary>
    public static RateSubject SubjectOf(HttpContext context)
    {
        var user = context.RequestServices.GetService<UserContext>();
        Guid? userId = Guid.TryParse(context.User.FindFirstValue(ClaimTypes.NameIdentifier), out var id) ? id : null;
        return new RateSubject(userId, user?.TenantId, context.Connection.RemoteIpAddress?.ToString(), null);
    }

    /// <summary>429 with Retry-After and a problem body, for endpoints that refuse through <see cref="IOperationLimiter"/>.</summary>
    public static IResult TooManyRequests(RateDecision decision) => new RefusalResult(decision.RetryAfter, decision.Message, null);

    private static async ValueTask WriteRefusalAsync(HttpContext context, RateLimitLease lease, CancellationToken ct)
    {
        var retry = lease.TryGetMetadata(MetadataName.RetryAfter, out var r) ? r : TimeSpan.FromSeconds(1);
        var reason = lease.TryGetMetadata(MetadataName.ReasonPhrase, out var p) ? p : null;
        var rule = lease is RefusedLease refused ? refused.Rule : null;
        await new RefusalResult(retry, reason, rule).ExecuteAsync(context);
    }

    private sealed class RefusalResult(TimeSpan retryAfter, string? message, string? rule) : IResult
    {
        public Task ExecuteAsync(HttpContext context)
        {
            var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
            context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
            context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            return Results.Problem(
                title: message ?? "Too many requests. Please wait and try again.",
                statusCode: StatusCodes.Status429TooManyRequests,
                type: "https://tools.ietf.org/html/rfc6585#section-4",
                extensions: new Dictionary<string, object?> { ["code"] = "rate_limited", ["retryAfterSeconds"] = seconds, ["rule"] = rule })
                .ExecuteAsync(context);
        }
    }

    private sealed class RefusedLease(RateOutcome outcome) : RateLimitLease
    {
        public string? Rule => outcome.Rule?.Name;
        public override bool IsAcquired => false;
        public override IEnumerable<string> MetadataNames => [MetadataName.RetryAfter.Name, MetadataName.ReasonPhrase.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = metadataName == MetadataName.RetryAfter.Name ? outcome.RetryAfter
                : metadataName == MetadataName.ReasonPhrase.Name ? outcome.Message : null;
            return metadata is not null;
        }
    }

    private sealed class PlainLease(bool acquired) : RateLimitLease
    {
        public static readonly PlainLease Allowed = new(true);
        /// <summary>"Not decided synchronously": the middleware then calls <c>AcquireAsync</c>, which decides.</summary>
        public static readonly PlainLease Defer = new(false);

        public override bool IsAcquired => acquired;
        public override IEnumerable<string> MetadataNames => [];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = null;
            return false;
        }

        protected override void Dispose(bool disposing)
        {
            // Shared instances: nothing to release.
        }
    }

    /// <summary>The middleware's global limiter. The synchronous attempt only lets through what no rule covers; everything
    /// else is decided in <see cref="AcquireAsyncCore"/> (synchronously completed on the in-memory path), so a token is never
    /// taken twice for one request.</summary>
    public sealed class RuleBucketsHttpLimiter(RateLimitEngine engine) : PartitionedRateLimiter<HttpContext>
    {
        public override RateLimiterStatistics? GetStatistics(HttpContext resource) => null;

        protected override RateLimitLease AttemptAcquireCore(HttpContext resource, int permitCount) =>
            !IsLimited(resource.Request.Path) || engine.NoEndpointRuleFor(resource.Request.Path.Value!) ? PlainLease.Allowed : PlainLease.Defer;

        protected override async ValueTask<RateLimitLease> AcquireAsyncCore(HttpContext resource, int permitCount, CancellationToken cancellationToken)
        {
            if (!IsLimited(resource.Request.Path) || !engine.Enabled)
            {
                return PlainLease.Allowed;
            }
            var outcome = await engine.DecideEndpointAsync(resource.Request.Path.Value!, SubjectOf(resource) with
            {
                UserAgent = resource.Request.Headers.UserAgent.ToString(),
            }, cancellationToken);
            return outcome.Allowed ? PlainLease.Allowed : new RefusedLease(outcome);
        }
    }
}

/// <summary>Every minute: forgets idle in-memory buckets, deletes long-full persisted buckets and old violations.</summary>
public sealed class RateLimitMaintenanceService(RateLimitEngine engine, ILogger<RateLimitMaintenanceService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!engine.Enabled)
        {
            return;
        }
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(1));
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await engine.MaintainAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Rate-limit maintenance failed; it will try again");
            }
        }
    }
}
