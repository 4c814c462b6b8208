using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using WeedGo.Core.Accounts;
using WeedGo.Core.Catalog;
using WeedGo.Core.Tenancy;

namespace WeedGo.Core.Ordering;

internal sealed class CartConfiguration : IEntityTypeConfiguration<Cart>
{
    public void Configure(EntityTypeBuilder<Cart> b)
    {
        b.ToTable("carts", t => t.HasCheckConstraint("ck_carts_owner", "user_id IS NOT NULL OR shopper_key IS NOT NULL"));
        b.Property(c => c.ShopperKey).HasMaxLength(64);
        b.Property(c => c.PromotionCode).HasMaxLength(40);
        b.HasOne<Store>().WithMany().HasForeignKey(c => c.StoreId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<AppUser>().WithMany().HasForeignKey(c => c.UserId).OnDelete(DeleteBehavior.Cascade);
        b.HasMany(c => c.Lines).WithOne().HasForeignKey(l => l.CartId).OnDelete(DeleteBehavior.Cascade);
        // One cart per owner and store.
        b.HasIndex(c => new { c.TenantId, c.StoreId, c.UserId }).IsUnique().HasFilter("user_id IS NOT NULL");
        b.HasIndex(c => new { c.TenantId, c.StoreId, c.ShopperKey }).IsUnique().HasFilter("shopper_key IS NOT NULL");
        b.HasIndex(c => c.UpdatedAt);
    }
}

internal sealed class CartLineConfiguration : IEntityTypeConfiguration<CartLine>
{
    public void Configure(EntityTypeBuilder<CartLine> b)
    {
        b.ToTable("cart_lines", t => t.HasCheckConstraint("ck_cart_lines_quantity", "quantity > 0"));
        b.HasOne<CatalogProduct>().WithMany().HasForeignKey(l => l.ProductId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(l => new { l.CartId, l.ProductId }).IsUnique();
    }
}

internal sealed class CheckoutConfiguration : IEntityTypeConfiguration<Checkout>
{
    public void Configure(EntityTypeBuilder<Checkout> b)
    {
        b.ToTable("checkouts");
        b.Property(c => c.Status).HasConversion<string>().HasMaxLength(20);
        b.Property(c => c.OrderNumber).HasMaxLength(20).IsRequired();
        b.HasOne<Store>().WithMany().HasForeignKey(c => c.StoreId).OnDelete(DeleteBehavior.Restrict);
        b.HasMany(c => c.Holds).WithOne().HasForeignKey(h => h.CheckoutId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(c => c.OrderNumber).IsUnique();
        b.HasIndex(c => new { c.TenantId, c.CartId, c.Status });
        // The expiry sweep reads only holds still running.
        b.HasIndex(c => c.ExpiresAt).HasFilter("status = 'Holding'");
    }
}

internal sealed class CheckoutHoldConfiguration : IEntityTypeConfiguration<CheckoutHold>
{
    public void Configure(EntityTypeBuilder<CheckoutHold> b)
    {
        b.ToTable("checkout_holds", t => t.HasCheckConstraint("ck_checkout_holds_quantity", "quantity > 0"));
        b.HasIndex(h => new { h.CheckoutId, h.ProductId }).IsUnique();
    }
}

internal sealed class OrderConfiguration : IEntityTypeConfiguration<Order>
{
    public void Configure(EntityTypeBuilder<Order> b)
    {
        b.ToTable("orders", t =>
        {
            t.HasCheckConstraint("ck_orders_total", "total >= 0 AND subtotal >= 0 AND tax >= 0 AND delivery_fee >= 0 AND discount >= 0");
            t.HasCheckConstraint("ck_orders_refund", "refunded_amount >= 0 AND refunded_amount <= total");
        });
        b.Property(o => o.Number).HasMaxLength(20).IsRequired();
        b.Property(o => o.CustomerName).HasMaxLength(200).IsRequired();
        b.Property(o => o.CustomerEmail).HasMaxLength(256);
        b.Property(o => o.CustomerPhone).HasMaxLength(40);
        b.Property(o => o.Notes).HasMaxLength(500);
        b.Property(o => o.CancelReason).HasMaxLength(500);
        foreach (var money in new[] { nameof(Order.Subtotal), nameof(Order.Discount), nameof(Order.DeliveryFee), nameof(Order.DeliveryDiscount), nameof(Order.Tax), nameof(Order.Total), nameof(Order.RefundedAmount) })
        {
            b.Property(money).HasPrecision(12, 2);
        }
        b.Property(o => o.EquivalencyGrams).HasPrecision(10, 4);
        b.Property(o => o.Status).HasConversion<string>().HasMaxLength(20);
        b.Property(o => o.Fulfilment).HasConversion<string>().HasMaxLength(20);
        b.Property(o => o.PaymentMethod).HasConversion<string>().HasMaxLength(20);
        b.Property(o => o.PaymentStatus).HasConversion<string>().HasMaxLength(20);
        b.Property(o => o.Source).HasConversion<string>().HasMaxLength(20);
        b.OwnsOne(o => o.DeliveryAddress, a =>
        {
            a.Property(x => x.Line1).HasMaxLength(200);
            a.Property(x => x.Line2).HasMaxLength(200);
            a.Property(x => x.City).HasMaxLength(100);
            a.Property(x => x.Province).HasMaxLength(2);
            a.Property(x => x.PostalCode).HasMaxLength(10);
            a.Property(x => x.Instructions).HasMaxLength(500);
        });
        b.HasOne<Store>().WithMany().HasForeignKey(o => o.StoreId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<AppUser>().WithMany().HasForeignKey(o => o.CustomerId).OnDelete(DeleteBehavior.SetNull);
        b.HasMany(o => o.Lines).WithOne().HasForeignKey(l => l.OrderId).OnDelete(DeleteBehavior.Cascade);
        b.HasMany(o => o.History).WithOne().HasForeignKey(h => h.OrderId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(o => o.Number).IsUnique();
        // Idempotency: one order per checkout, whatever the number of submits.
        b.HasIndex(o => o.CheckoutId).IsUnique().HasFilter("checkout_id IS NOT NULL");
        b.HasIndex(o => new { o.TenantId, o.StoreId, o.Status, o.PlacedAt });
        b.HasIndex(o => new { o.TenantId, o.CustomerId, o.PlacedAt });
    }
}

internal sealed class OrderLineConfiguration : IEntityTypeConfiguration<OrderLine>
{
    public void Configure(EntityTypeBuilder<OrderLine> b)
    {
        b.ToTable("order_lines", t => t.HasCheckConstraint("ck_order_lines_quantity", "quantity > 0 AND unit_price >= 0 AND line_total >= 0"));
        b.Property(l => l.Sku).HasMaxLength(64).IsRequired();
        b.Property(l => l.ProductName).HasMaxLength(300).IsRequired();
        b.Property(l => l.Brand).HasMaxLength(200);
        b.Property(l => l.Size).HasMaxLength(60);
        b.Property(l => l.UnitPrice).HasPrecision(12, 2);
        b.Property(l => l.LineDiscount).HasPrecision(12, 2);
        b.Property(l => l.LineTotal).HasPrecision(12, 2);
        b.Property(l => l.EquivalencyPerUnit).HasPrecision(10, 4);
        b.HasOne<CatalogProduct>().WithMany().HasForeignKey(l => l.ProductId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(l => new { l.TenantId, l.ProductId });
    }
}

internal sealed class OrderStatusChangeConfiguration : IEntityTypeConfiguration<OrderStatusChange>
{
    public void Configure(EntityTypeBuilder<OrderStatusChange> b)
    {
        b.ToTable("order_status_history");
        b.Property(h => h.From).HasConversion<string>().HasMaxLength(20);
        b.Property(h => h.To).HasConversion<string>().HasMaxLength(20);
        b.Property(h => h.Note).HasMaxLength(500);
        b.HasIndex(h => new { h.OrderId, h.OccurredAt });
    }
}

internal sealed class PaymentTransactionConfiguration : IEntityTypeConfiguration<PaymentTransaction>
{
    public void Configure(EntityTypeBuilder<PaymentTransaction> b)
    {
        b.ToTable("payment_transactions", t => t.HasCheckConstraint("ck_payment_transactions_amount", "amount >= 0"));
        b.Property(p => p.Kind).HasConversion<string>().HasMaxLength(20);
        b.Property(p => p.Method).HasConversion<string>().HasMaxLength(20);
        b.Property(p => p.Status).HasConversion<string>().HasMaxLength(20);
        b.Property(p => p.Amount).HasPrecision(12, 2);
        b.Property(p => p.Currency).HasMaxLength(3);
        b.Property(p => p.Provider).HasMaxLength(40);
        b.Property(p => p.ProviderReference).HasMaxLength(100);
        b.Property(p => p.IdempotencyKey).HasMaxLength(100).IsRequired();
        b.Property(p => p.CardBrand).HasMaxLength(20);
        b.Property(p => p.CardLast4).HasMaxLength(4);
        b.Property(p => p.Message).HasMaxLength(300);
        b.HasOne<Order>().WithMany().HasForeignKey(p => p.OrderId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(p => p.IdempotencyKey).IsUnique();
        b.HasIndex(p => new { p.TenantId, p.OrderId });
    }
}

internal sealed class WishlistItemConfiguration : IEntityTypeConfiguration<WishlistItem>
{
    public void Configure(EntityTypeBuilder<WishlistItem> b)
    {
        b.ToTable("wishlist");
        b.HasOne<AppUser>().WithMany().HasForeignKey(w => w.UserId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Store>().WithMany().HasForeignKey(w => w.StoreId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<CatalogProduct>().WithMany().HasForeignKey(w => w.ProductId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(w => new { w.TenantId, w.UserId, w.StoreId, w.ProductId }).IsUnique();
    }
}
