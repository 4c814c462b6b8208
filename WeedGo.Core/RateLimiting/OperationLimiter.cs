using WeedGo.Core.Audit;
using WeedGo.Core.Common;

namespace WeedGo.Core.RateLimiting;

/// <summary>
/// <see cref="IOperationLimiter"/> for the current request or circuit: the person (<see cref="ICurrentUser"/>), their tenant
/// (<see cref="ITenantContext"/>) and address (<see cref="IAuditRequestContext"/>) choose the buckets; the process-wide
/// <see cref="RateLimitEngine"/> decides. Allows everything when rate limiting is off.
/// </summary>
public sealed class OperationLimiter(RateLimitEngine engine, ICurrentUser user, ITenantContext tenant, IAuditRequestContext request)
    : IOperationLimiter
{
    public async ValueTask<RateDecision> TryAcquireAsync(string operation, CancellationToken ct = default)
    {
        if (!engine.Enabled)
        {
            return RateDecision.Allow;
        }
        var outcome = await engine.DecideOperationAsync(operation, new RateSubject(user.UserId, tenant.TenantId, request.Ip, request.UserAgent), ct);
        return outcome.Decision;
    }
}
