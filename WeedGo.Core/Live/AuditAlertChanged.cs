using WeedGo.Core.Audit;

namespace WeedGo.Core.Live;

/// <summary>
/// An audit alert was raised (<see cref="IsNew"/>), counted again, acknowledged or resolved (published after the change
/// commits). <see cref="LiveEvent.TenantId"/> is the alert's tenant, or <see cref="AuditAlertDefaults.PlatformTenant"/> for
/// the platform's own alerts. Only audit reviewers listen: the hub relays it to admin groups only, never to store staff.
/// </summary>
public sealed record AuditAlertChanged(Guid TenantId, Guid AlertId, string RuleName, AuditSeverity Severity, AlertStatus Status,
    int Count, string Message, bool IsNew, DateTimeOffset At)
    : LiveEvent(TenantId, null);
