using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using WeedGo.Core.Accounts;
using WeedGo.Core.Tenancy;

namespace WeedGo.Core.Chat;

internal sealed class AiPersonalityConfiguration : IEntityTypeConfiguration<AiPersonality>
{
    public void Configure(EntityTypeBuilder<AiPersonality> b)
    {
        b.ToTable("ai_personalities");
        b.Property(p => p.Name).HasMaxLength(80).IsRequired();
        b.Property(p => p.Avatar).HasMaxLength(300);
        b.Property(p => p.Tone).HasMaxLength(20).IsRequired();
        b.Property(p => p.Greeting).HasMaxLength(500).IsRequired();
        b.Property(p => p.SystemPrompt).HasMaxLength(4000).IsRequired();
        b.Property(p => p.Language).HasMaxLength(10).IsRequired();
        b.Property(p => p.BuiltInKey).HasMaxLength(40);
        b.HasIndex(p => new { p.TenantId, p.Name }).IsUnique();
        b.HasIndex(p => new { p.TenantId, p.BuiltInKey }).IsUnique().HasFilter("built_in_key IS NOT NULL");
    }
}

internal sealed class StoreAiSettingsConfiguration : IEntityTypeConfiguration<StoreAiSettings>
{
    public void Configure(EntityTypeBuilder<StoreAiSettings> b)
    {
        b.ToTable("ai_store_settings", t =>
        {
            t.HasCheckConstraint("ck_ai_store_settings_temperature", "temperature >= 0 AND temperature <= 2");
            t.HasCheckConstraint("ck_ai_store_settings_max_tokens", "max_tokens BETWEEN 50 AND 8000");
            t.HasCheckConstraint("ck_ai_store_settings_budget", "monthly_budget IS NULL OR monthly_budget >= 0");
        });
        b.Property(s => s.Provider).HasConversion<string>().HasMaxLength(20);
        b.Property(s => s.BaseUrl).HasMaxLength(300);
        b.Property(s => s.Model).HasMaxLength(100);
        b.Property(s => s.ApiKeyName).HasMaxLength(100);
        b.Property(s => s.Temperature).HasPrecision(3, 2);
        b.Property(s => s.MonthlyBudget).HasPrecision(12, 2);
        b.HasOne<Store>().WithMany().HasForeignKey(s => s.StoreId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<AiPersonality>().WithMany().HasForeignKey(s => s.PersonalityId).OnDelete(DeleteBehavior.SetNull);
        b.HasIndex(s => new { s.TenantId, s.StoreId }).IsUnique();
    }
}

internal sealed class CustomerMemoryConfiguration : IEntityTypeConfiguration<CustomerMemory>
{
    public void Configure(EntityTypeBuilder<CustomerMemory> b)
    {
        b.ToTable("ai_customer_memories");
        b.Property(m => m.Text).HasMaxLength(300).IsRequired();
        b.HasOne<AppUser>().WithMany().HasForeignKey(m => m.UserId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Store>().WithMany().HasForeignKey(m => m.StoreId).OnDelete(DeleteBehavior.SetNull);
        b.HasIndex(m => new { m.TenantId, m.UserId, m.CreatedAt });
    }
}

internal sealed class AiUsageConfiguration : IEntityTypeConfiguration<AiUsage>
{
    public void Configure(EntityTypeBuilder<AiUsage> b)
    {
        b.ToTable("ai_usage", t => t.HasCheckConstraint("ck_ai_usage_figures", "input_tokens >= 0 AND output_tokens >= 0 AND cost >= 0 AND latency_ms >= 0"));
        b.Property(u => u.Provider).HasMaxLength(20).IsRequired();
        b.Property(u => u.Model).HasMaxLength(100).IsRequired();
        b.Property(u => u.Cost).HasPrecision(12, 6);
        b.HasOne<Store>().WithMany().HasForeignKey(u => u.StoreId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(u => new { u.TenantId, u.StoreId, u.CreatedAt });
        b.HasIndex(u => new { u.TenantId, u.ConversationId, u.CreatedAt }).HasFilter("conversation_id IS NOT NULL");
    }
}
