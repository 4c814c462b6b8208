using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace WeedGo.Core.Catalog;

internal sealed class CatalogProductConfiguration : IEntityTypeConfiguration<CatalogProduct>
{
    public void Configure(EntityTypeBuilder<CatalogProduct> b)
    {
        b.ToTable("ocs_product_catalog");
        b.Property(p => p.Sku).HasMaxLength(64).IsRequired();
        b.Property(p => p.SkuKey).HasMaxLength(64).IsRequired();
        b.Property(p => p.Gtin).HasMaxLength(14);
        b.Property(p => p.ProductName).HasMaxLength(300).IsRequired();
        b.Property(p => p.Category).HasMaxLength(100).IsRequired();
        b.Property(p => p.ContentHash).HasMaxLength(64).IsRequired();
        foreach (var money in new[] { nameof(CatalogProduct.UnitPrice) })
        {
            b.Property(money).HasPrecision(12, 2);
        }
        b.Property(p => p.DriedFlowerEquivalency).HasPrecision(12, 4);
        b.HasIndex(p => new { p.TenantId, p.SkuKey }).IsUnique();
        b.HasIndex(p => new { p.TenantId, p.Gtin });
        b.HasIndex(p => new { p.TenantId, p.Category, p.SubCategory });
        b.HasIndex(p => new { p.TenantId, p.Brand });
        b.HasGeneratedTsVectorColumn(p => p.SearchVector, "simple", p => new { p.ProductName, p.Brand, p.Terpenes })
            .HasIndex(p => p.SearchVector).HasMethod("GIN");
        b.HasIndex(p => p.ProductName).HasMethod("gin").HasOperators("gin_trgm_ops").HasDatabaseName("ix_ocs_product_catalog_product_name_trgm");
        b.HasIndex(p => p.Brand).HasMethod("gin").HasOperators("gin_trgm_ops").HasDatabaseName("ix_ocs_product_catalog_brand_trgm");
        b.HasIndex(p => p.Terpenes).HasMethod("gin").HasOperators("gin_trgm_ops").HasDatabaseName("ix_ocs_product_catalog_terpenes_trgm");
        b.ToTable(t => t.HasCheckConstraint("ck_ocs_product_catalog_equivalency", "dried_flower_equivalency >= 0"));
    }
}
