using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using WeedGo.Core.Tenancy;

namespace WeedGo.Core.Inventory;

internal sealed class InventoryItemConfiguration : IEntityTypeConfiguration<InventoryItem>
{
    public void Configure(EntityTypeBuilder<InventoryItem> b)
    {
        b.ToTable("ocs_inventory", t =>
        {
            t.HasCheckConstraint("ck_ocs_inventory_available", "on_hand - reserved >= 0");
            t.HasCheckConstraint("ck_ocs_inventory_reserved", "reserved >= 0");
            t.HasCheckConstraint("ck_ocs_inventory_reorder_point", "reorder_point >= 0");
        });
        b.Property(i => i.Available).HasComputedColumnSql("on_hand - reserved", stored: true);
        b.Property(i => i.RetailPriceOverride).HasPrecision(12, 2);
        b.Property(i => i.UnitCost).HasPrecision(12, 4);
        b.HasOne(i => i.Product).WithMany().HasForeignKey(i => i.ProductId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Store>().WithMany().HasForeignKey(i => i.StoreId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(i => new { i.TenantId, i.StoreId, i.ProductId }).IsUnique();
        b.HasIndex(i => new { i.TenantId, i.StoreId, i.Available });
    }
}

internal sealed class InventoryBatchConfiguration : IEntityTypeConfiguration<InventoryBatch>
{
    public void Configure(EntityTypeBuilder<InventoryBatch> b)
    {
        b.ToTable("ocs_inventory_batches", t =>
        {
            t.HasCheckConstraint("ck_ocs_inventory_batches_remaining", "remaining_quantity >= 0");
            t.HasCheckConstraint("ck_ocs_inventory_batches_received", "received_quantity >= 0");
        });
        b.Property(x => x.BatchLot).HasMaxLength(80).IsRequired();
        b.Property(x => x.CaseGtin).HasMaxLength(14);
        b.Property(x => x.EachGtin).HasMaxLength(14);
        b.Property(x => x.UnitCost).HasPrecision(12, 4);
        b.Property(x => x.PackagedOn).HasColumnType("timestamp without time zone");
        b.HasOne(x => x.Product).WithMany().HasForeignKey(x => x.ProductId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Store>().WithMany().HasForeignKey(x => x.StoreId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(x => new { x.TenantId, x.StoreId, x.ProductId, x.BatchLot }).IsUnique();
        b.HasIndex(x => new { x.TenantId, x.BatchLot });
        b.HasIndex(x => new { x.TenantId, x.EachGtin });
    }
}

internal sealed class StockMovementConfiguration : IEntityTypeConfiguration<StockMovement>
{
    public void Configure(EntityTypeBuilder<StockMovement> b)
    {
        b.ToTable("stock_ledger");
        b.Property(m => m.Kind).HasConversion<string>().HasMaxLength(20);
        b.Property(m => m.Reason).HasConversion<string>().HasMaxLength(20);
        b.Property(m => m.UnitCost).HasPrecision(12, 4);
        b.Property(m => m.Reference).HasMaxLength(120);
        b.Property(m => m.Note).HasMaxLength(500);
        b.HasOne<InventoryBatch>().WithMany().HasForeignKey(m => m.BatchId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Catalog.CatalogProduct>().WithMany().HasForeignKey(m => m.ProductId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Store>().WithMany().HasForeignKey(m => m.StoreId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(m => new { m.TenantId, m.StoreId, m.ProductId, m.OccurredAt });
        b.HasIndex(m => new { m.TenantId, m.BatchId });
        b.HasIndex(m => new { m.TenantId, m.Reference });
    }
}

internal sealed class ShipmentConfiguration : IEntityTypeConfiguration<Shipment>
{
    public void Configure(EntityTypeBuilder<Shipment> b)
    {
        b.ToTable("asn_shipments");
        b.Property(s => s.ShipmentNumber).HasMaxLength(80).IsRequired();
        b.Property(s => s.Status).HasConversion<string>().HasMaxLength(20);
        b.Property(s => s.FileName).HasMaxLength(260);
        b.HasOne<Store>().WithMany().HasForeignKey(s => s.StoreId).OnDelete(DeleteBehavior.Restrict);
        b.HasMany(s => s.Lines).WithOne().HasForeignKey(l => l.ShipmentId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(s => new { s.TenantId, s.ShipmentNumber }).IsUnique();
    }
}

internal sealed class ShipmentLineConfiguration : IEntityTypeConfiguration<ShipmentLine>
{
    public void Configure(EntityTypeBuilder<ShipmentLine> b)
    {
        b.ToTable("asn_shipment_lines");
        b.Property(l => l.Sku).HasMaxLength(64).IsRequired();
        b.Property(l => l.BatchLot).HasMaxLength(80).IsRequired();
        b.Property(l => l.UnitPrice).HasPrecision(12, 4);
        b.Property(l => l.PackagedOn).HasColumnType("timestamp without time zone");
        b.HasIndex(l => new { l.TenantId, l.ShipmentId, l.LineNumber }).IsUnique();
    }
}
