namespace WeedGo.Core.Common;

/// <summary>Base for every entity: a time-ordered Guid v7 key and timestamps kept by the stamping interceptor.</summary>
public abstract class Entity : IHasTimestamps
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>A row whose <c>created_at</c>/<c>updated_at</c> are stamped on save.</summary>
public interface IHasTimestamps
{
    DateTimeOffset CreatedAt { get; set; }
    DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>A row owned by one tenant: stamped on insert, filtered on read.</summary>
public interface ITenantOwned
{
    Guid TenantId { get; set; }
}

/// <summary>Base for tenant-owned entities.</summary>
public abstract class TenantEntity : Entity, ITenantOwned
{
    public Guid TenantId { get; set; }
}
