using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace WeedGo.Core.Settings;

internal sealed class SystemSettingConfiguration : IEntityTypeConfiguration<SystemSetting>
{
    public void Configure(EntityTypeBuilder<SystemSetting> b)
    {
        b.ToTable("system_settings");
        b.Property(s => s.Category).HasMaxLength(80).IsRequired();
        b.Property(s => s.Key).HasMaxLength(120).IsRequired();
        b.Property(s => s.Value).HasColumnType("jsonb").IsRequired();
        b.Property(s => s.Description).HasMaxLength(500);
        b.HasIndex(s => new { s.Category, s.Key }).IsUnique();
    }
}
