using Microsoft.AspNetCore.Identity;
using WeedGo.Core.Common;

namespace WeedGo.Core.Accounts;

/// <summary>An account. Staff and customers belong to a home tenant; platform admins to none.</summary>
public sealed class AppUser : IdentityUser<Guid>, IHasTimestamps
{
    public AppUser() => Id = Guid.CreateVersion7();

    public Guid? TenantId { get; set; }
    public string DisplayName { get; set; } = "";
    public bool IsDemo { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    public Profile? Profile { get; set; }
    public List<StaffMembership> Memberships { get; set; } = [];
}

public sealed class AppRole : IdentityRole<Guid>
{
    public AppRole() => Id = Guid.CreateVersion7();
    public AppRole(string name) : this() { Name = name; NormalizedName = name.ToUpperInvariant(); }
}

public enum CustomerType
{
    Recreational = 0,
    Medical = 1,
}

/// <summary>Personal details kept beside the account (<c>profiles</c>).</summary>
public sealed class Profile : IHasTimestamps
{
    public Guid UserId { get; set; }
    public string? FirstName { get; set; }
    public string? LastName { get; set; }
    public DateOnly? BirthDate { get; set; }
    public CustomerType CustomerType { get; set; } = CustomerType.Recreational;
    public string? Phone { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>A person working at a store with a store-level role (Budtender, Driver, StoreManager).</summary>
public sealed class StaffMembership : TenantEntity
{
    public Guid StoreId { get; set; }
    public Guid UserId { get; set; }
    public string Role { get; set; } = Roles.Budtender;
    public bool IsActive { get; set; } = true;

    public Tenancy.Store? Store { get; set; }
    public AppUser? User { get; set; }
}
