using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using WeedGo.Core.Tenancy;

namespace WeedGo.Core.Accounts;

internal sealed class AppUserConfiguration : IEntityTypeConfiguration<AppUser>
{
    public void Configure(EntityTypeBuilder<AppUser> b)
    {
        b.Property(u => u.DisplayName).HasMaxLength(200);
        b.HasOne<Tenant>().WithMany().HasForeignKey(u => u.TenantId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(u => u.TenantId);
        b.HasOne(u => u.Profile).WithOne().HasForeignKey<Profile>(p => p.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ProfileConfiguration : IEntityTypeConfiguration<Profile>
{
    public void Configure(EntityTypeBuilder<Profile> b)
    {
        b.ToTable("profiles");
        b.HasKey(p => p.UserId);
        b.Property(p => p.FirstName).HasMaxLength(100);
        b.Property(p => p.LastName).HasMaxLength(100);
        b.Property(p => p.Phone).HasMaxLength(32);
        b.Property(p => p.CustomerType).HasConversion<string>().HasMaxLength(20);
    }
}

internal sealed class StaffMembershipConfiguration : IEntityTypeConfiguration<StaffMembership>
{
    public void Configure(EntityTypeBuilder<StaffMembership> b)
    {
        b.ToTable("staff_memberships");
        b.Property(m => m.Role).HasMaxLength(40).IsRequired();
        b.HasOne(m => m.Store).WithMany().HasForeignKey(m => m.StoreId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne(m => m.User).WithMany(u => u.Memberships).HasForeignKey(m => m.UserId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(m => new { m.TenantId, m.StoreId, m.UserId, m.Role }).IsUnique();
        b.HasIndex(m => new { m.TenantId, m.UserId });
        b.ToTable(t => t.HasCheckConstraint("ck_staff_memberships_role", "role IN ('Budtender','Driver','StoreManager')"));
    }
}

internal sealed class AppRoleConfiguration : IEntityTypeConfiguration<AppRole>
{
    /// <summary>The six roles are reference data: fixed keys so every database has the same ones.</summary>
    public static readonly IReadOnlyDictionary<string, Guid> RoleIds = new Dictionary<string, Guid>
    {
        [Roles.Customer] = Guid.Parse("0197a000-0000-7000-8000-000000000001"),
        [Roles.Budtender] = Guid.Parse("0197a000-0000-7000-8000-000000000002"),
        [Roles.Driver] = Guid.Parse("0197a000-0000-7000-8000-000000000003"),
        [Roles.StoreManager] = Guid.Parse("0197a000-0000-7000-8000-000000000004"),
        [Roles.TenantAdmin] = Guid.Parse("0197a000-0000-7000-8000-000000000005"),
        [Roles.PlatformAdmin] = Guid.Parse("0197a000-0000-7000-8000-000000000006"),
    };

    public void Configure(EntityTypeBuilder<AppRole> b) =>
        b.HasData(RoleIds.Select(r => new AppRole
        {
            Id = r.Value, Name = r.Key, NormalizedName = r.Key.ToUpperInvariant(), ConcurrencyStamp = r.Value.ToString(),
        }));
}
