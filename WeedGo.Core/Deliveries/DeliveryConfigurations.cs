using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using WeedGo.Core.Ordering;
using WeedGo.Core.Tenancy;

namespace WeedGo.Core.Deliveries;

internal sealed class DeliveryZoneConfiguration : IEntityTypeConfiguration<DeliveryZone>
{
    public void Configure(EntityTypeBuilder<DeliveryZone> b)
    {
        b.ToTable("delivery_zones");
        b.Property(z => z.Name).HasMaxLength(120).IsRequired();
        b.Property(z => z.Area).HasColumnType("geometry(Polygon,4326)").IsRequired();
        b.Property(z => z.Fee).HasPrecision(10, 2);
        b.Property(z => z.MinimumOrder).HasPrecision(10, 2);
        b.Property(z => z.FreeDeliveryThreshold).HasPrecision(10, 2);
        b.HasOne<Store>().WithMany().HasForeignKey(z => z.StoreId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(z => new { z.TenantId, z.StoreId, z.Name }).IsUnique();
        b.HasIndex(z => z.Area).HasMethod("gist");
    }
}

internal sealed class DeliveryConfiguration : IEntityTypeConfiguration<Delivery>
{
    public void Configure(EntityTypeBuilder<Delivery> b)
    {
        b.ToTable("deliveries");
        b.Property(d => d.OrderNumber).HasMaxLength(40).IsRequired();
        b.Property(d => d.AddressText).HasMaxLength(400).IsRequired();
        b.Property(d => d.Location).HasColumnType("geometry(Point,4326)");
        b.Property(d => d.Status).HasConversion<string>().HasMaxLength(20);
        b.Property(d => d.IdCheck).HasConversion<string>().HasMaxLength(30);
        b.Property(d => d.IdType).HasMaxLength(60);
        b.Property(d => d.Note).HasMaxLength(500);
        b.Property(d => d.ReturnReason).HasMaxLength(500);
        b.HasOne<Order>().WithMany().HasForeignKey(d => d.OrderId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Store>().WithMany().HasForeignKey(d => d.StoreId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<DeliveryZone>().WithMany().HasForeignKey(d => d.ZoneId).OnDelete(DeleteBehavior.SetNull);
        b.HasIndex(d => new { d.TenantId, d.OrderId }).IsUnique();
        b.HasIndex(d => new { d.TenantId, d.StoreId, d.Status });
        b.HasIndex(d => new { d.TenantId, d.DriverId, d.Status });
        b.HasIndex(d => d.Location).HasMethod("gist");
    }
}

internal sealed class DriverShiftConfiguration : IEntityTypeConfiguration<DriverShift>
{
    public void Configure(EntityTypeBuilder<DriverShift> b)
    {
        b.ToTable("driver_shifts");
        b.Property(s => s.LastLocation).HasColumnType("geometry(Point,4326)");
        b.HasOne<Store>().WithMany().HasForeignKey(s => s.StoreId).OnDelete(DeleteBehavior.Restrict);
        // At most one open shift per driver.
        b.HasIndex(s => new { s.TenantId, s.DriverId }).IsUnique().HasFilter("ended_at IS NULL");
        b.HasIndex(s => new { s.TenantId, s.StoreId, s.StartedAt });
        b.HasIndex(s => s.LastLocation).HasMethod("gist");
    }
}

internal sealed class DriverPositionConfiguration : IEntityTypeConfiguration<DriverPosition>
{
    public void Configure(EntityTypeBuilder<DriverPosition> b)
    {
        b.ToTable("driver_positions");
        b.Property(p => p.Location).HasColumnType("geometry(Point,4326)").IsRequired();
        b.HasIndex(p => new { p.TenantId, p.DriverId, p.RecordedAt });
        b.HasIndex(p => p.Location).HasMethod("gist");
    }
}
