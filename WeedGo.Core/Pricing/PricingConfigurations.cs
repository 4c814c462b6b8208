using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using WeedGo.Core.Accounts;
using WeedGo.Core.Ordering;
using WeedGo.Core.Tenancy;

namespace WeedGo.Core.Pricing;

internal sealed class PromotionConfiguration : IEntityTypeConfiguration<Promotion>
{
    public void Configure(EntityTypeBuilder<Promotion> b)
    {
        b.ToTable("promotions", t =>
        {
            t.HasCheckConstraint("ck_promotions_used", "used_count >= 0 AND (usage_limit IS NULL OR used_count <= usage_limit)");
            t.HasCheckConstraint("ck_promotions_percent", "percent IS NULL OR (percent > 0 AND percent <= 100)");
        });
        b.Property(p => p.Name).HasMaxLength(200).IsRequired();
        b.Property(p => p.Description).HasMaxLength(500);
        b.Property(p => p.Type).HasConversion<string>().HasMaxLength(20);
        b.Property(p => p.BuyXGetYMode).HasConversion<string>().HasMaxLength(20);
        b.Property(p => p.Code).HasMaxLength(40);
        b.Property(p => p.Percent).HasPrecision(5, 2);
        b.Property(p => p.Amount).HasPrecision(12, 2);
        b.Property(p => p.Price).HasPrecision(12, 2);
        b.Property(p => p.MinimumSubtotal).HasPrecision(12, 2);
        b.Property(p => p.CustomerType).HasConversion<string>().HasMaxLength(20);
        b.Property(p => p.Fulfilment).HasConversion<string>().HasMaxLength(20);
        b.OwnsMany(p => p.Tiers, t => t.ToJson("tiers"));
        b.OwnsMany(p => p.Windows, w => w.ToJson("windows"));
        b.Ignore(p => p.IsAutomatic);
        b.Ignore(p => p.TargetsItems);
        // Codes are unique per tenant; stored normalised (upper-case), so the index is case-insensitive in effect.
        b.HasIndex(p => new { p.TenantId, p.Code }).IsUnique().HasFilter("code IS NOT NULL");
        b.HasIndex(p => new { p.TenantId, p.Enabled, p.EndsAt });
    }
}

internal sealed class PromotionUsageConfiguration : IEntityTypeConfiguration<PromotionUsage>
{
    public void Configure(EntityTypeBuilder<PromotionUsage> b)
    {
        b.ToTable("promotion_usages", t => t.HasCheckConstraint("ck_promotion_usages_amount", "discount_amount >= 0"));
        b.Property(u => u.DiscountAmount).HasPrecision(12, 2);
        b.HasOne<Promotion>().WithMany().HasForeignKey(u => u.PromotionId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Order>().WithMany().HasForeignKey(u => u.OrderId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Store>().WithMany().HasForeignKey(u => u.StoreId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<AppUser>().WithMany().HasForeignKey(u => u.CustomerId).OnDelete(DeleteBehavior.SetNull);
        b.HasIndex(u => new { u.TenantId, u.PromotionId, u.OrderId }).IsUnique();
        b.HasIndex(u => new { u.TenantId, u.PromotionId, u.CustomerId });
    }
}

internal sealed class PromotionCustomerCountConfiguration : IEntityTypeConfiguration<PromotionCustomerCount>
{
    public void Configure(EntityTypeBuilder<PromotionCustomerCount> b)
    {
        b.ToTable("promotion_customer_counts", t => t.HasCheckConstraint("ck_promotion_customer_counts_used", "used >= 0"));
        b.HasOne<Promotion>().WithMany().HasForeignKey(c => c.PromotionId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<AppUser>().WithMany().HasForeignKey(c => c.CustomerId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(c => new { c.TenantId, c.PromotionId, c.CustomerId }).IsUnique();
        b.HasIndex(c => new { c.TenantId, c.CustomerId });
    }
}
