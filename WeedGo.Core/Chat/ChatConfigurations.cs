using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using WeedGo.Core.Tenancy;

namespace WeedGo.Core.Chat;

internal sealed class ChatConversationConfiguration : IEntityTypeConfiguration<ChatConversation>
{
    public void Configure(EntityTypeBuilder<ChatConversation> b)
    {
        b.ToTable("ai_conversations");
        b.Property(c => c.ShopperKey).HasMaxLength(64);
        b.Property(c => c.Status).HasConversion<string>().HasMaxLength(20);
        b.Property(c => c.HandOffReason).HasMaxLength(500);
        b.HasOne<Store>().WithMany().HasForeignKey(c => c.StoreId).OnDelete(DeleteBehavior.Cascade);
        // One open conversation per customer (or guest browser) and store: concurrent starts insert-if-absent against these.
        b.HasIndex(c => new { c.TenantId, c.StoreId, c.CustomerId }).IsUnique().HasFilter("customer_id IS NOT NULL AND status <> 'Closed'")
            .HasDatabaseName("ix_ai_conversations_open_customer");
        b.HasIndex(c => new { c.TenantId, c.StoreId, c.ShopperKey }).IsUnique().HasFilter("shopper_key IS NOT NULL AND status <> 'Closed'")
            .HasDatabaseName("ix_ai_conversations_open_guest");
        // The staff console: a store's conversations by status, latest first; a customer's history.
        b.HasIndex(c => new { c.TenantId, c.StoreId, c.Status, c.LastMessageAt });
        b.HasIndex(c => new { c.TenantId, c.CustomerId, c.StoreId });
    }
}

internal sealed class ChatMessageConfiguration : IEntityTypeConfiguration<ChatMessage>
{
    public void Configure(EntityTypeBuilder<ChatMessage> b)
    {
        b.ToTable("ai_messages");
        b.Property(m => m.Author).HasConversion<string>().HasMaxLength(20);
        b.Property(m => m.Text).IsRequired();
        b.Property(m => m.ToolCalls).HasColumnType("jsonb");
        b.Property(m => m.Products).HasColumnType("jsonb");
        b.HasOne<ChatConversation>().WithMany().HasForeignKey(m => m.ConversationId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(m => new { m.TenantId, m.ConversationId, m.CreatedAt });
    }
}
