namespace WeedGo.Core.Common;

/// <summary>
/// Which tenant the current operation acts for. Drives EF global query filters and tenant stamping.
/// Services read it; they never take a tenant from a component parameter.
/// </summary>
public interface ITenantContext
{
    /// <summary>The tenant whose rows are visible, or null when none is chosen (then no tenant rows are visible).</summary>
    Guid? TenantId { get; }

    /// <summary>True only for platform administration and system jobs: reads cross every tenant.</summary>
    bool AllTenants { get; }
}

/// <summary>The signed-in person (or nobody), as services see them.</summary>
public interface ICurrentUser
{
    Guid? UserId { get; }
    bool IsAuthenticated { get; }
    string? Email { get; }
    bool IsInRole(string role);
    /// <summary>Stores the user works at (staff memberships); empty for customers.</summary>
    IReadOnlyCollection<Guid> StoreIds { get; }
}

/// <summary>A fixed tenant context for system jobs, seeding and tests.</summary>
public sealed record FixedTenantContext(Guid? TenantId, bool AllTenants = false) : ITenantContext
{
    public static FixedTenantContext System { get; } = new(null, AllTenants: true);
    public static FixedTenantContext For(Guid tenantId) => new(tenantId);
}
