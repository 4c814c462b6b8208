using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace WeedGo.Core.Tenancy;

internal sealed class TenantConfiguration : IEntityTypeConfiguration<Tenant>
{
    public void Configure(EntityTypeBuilder<Tenant> b)
    {
        b.ToTable("tenants");
        b.Property(t => t.Name).HasMaxLength(200).IsRequired();
        b.Property(t => t.Slug).HasMaxLength(80).IsRequired();
        b.Property(t => t.Domain).HasMaxLength(253);
        b.Property(t => t.Province).HasMaxLength(2).IsFixedLength();
        b.HasIndex(t => t.Slug).IsUnique();
        b.HasIndex(t => t.Domain).IsUnique().HasFilter("domain IS NOT NULL");
    }
}

internal sealed class StoreConfiguration : IEntityTypeConfiguration<Store>
{
    public void Configure(EntityTypeBuilder<Store> b)
    {
        b.ToTable("stores");
        b.Property(s => s.Name).HasMaxLength(200).IsRequired();
        b.Property(s => s.Slug).HasMaxLength(80).IsRequired();
        b.Property(s => s.LicenceNumber).HasMaxLength(40).IsRequired();
        b.Property(s => s.TimeZoneId).HasMaxLength(64).IsRequired();
        b.Property(s => s.Phone).HasMaxLength(32);
        b.Property(s => s.Location).HasColumnType("geometry(Point,4326)").IsRequired();
        b.OwnsOne(s => s.Address, a =>
        {
            a.Property(x => x.Line1).HasColumnName("address_line1").HasMaxLength(200);
            a.Property(x => x.Line2).HasColumnName("address_line2").HasMaxLength(200);
            a.Property(x => x.City).HasColumnName("address_city").HasMaxLength(100);
            a.Property(x => x.Province).HasColumnName("address_province").HasMaxLength(2);
            a.Property(x => x.PostalCode).HasColumnName("address_postal_code").HasMaxLength(10);
        });
        b.OwnsMany(s => s.Hours, h => h.ToJson("hours"));
        b.HasOne(s => s.Tenant).WithMany(t => t.Stores).HasForeignKey(s => s.TenantId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(s => new { s.TenantId, s.Name });
        b.HasIndex(s => s.Slug).IsUnique();
        b.HasIndex(s => s.LicenceNumber).IsUnique();
        b.HasIndex(s => s.Location).HasMethod("gist");
    }
}
