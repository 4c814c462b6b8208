using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using WeedGo.Core.Common;
using WeedGo.Core.Messaging;
using WeedGo.Core.Tenancy;

namespace WeedGo.Core.Accounts;

/// <summary>What a one-time code proves.</summary>
public enum OneTimeCodePurpose
{
    SignIn = 0,
    VerifyEmail = 1,
    VerifyPhone = 2,
}

/// <summary>Why a code stopped working before it expired.</summary>
public enum OneTimeCodeEnd
{
    /// <summary>Entered correctly (consumed).</summary>
    Used = 0,
    /// <summary>A newer code was sent to the same address for the same purpose.</summary>
    Superseded = 1,
    /// <summary>Three wrong attempts.</summary>
    TooManyAttempts = 2,
    /// <summary>The message could not be sent.</summary>
    NotSent = 3,
}

/// <summary>
/// A 6-digit code sent to an address (<c>one_time_codes</c>). Only an HMAC-SHA256 of the code, keyed with a random per-row salt,
/// is stored. Codes belong to an account, not to a tenant: accounts sign in before any tenant is known and emails are unique
/// across the platform, so the row is not tenant-filtered; <see cref="TenantId"/> copies the account's home tenant for reports.
/// A sign-in request for an address without an account still writes a row (with no user and a code nobody receives), so the
/// hourly limit and every answer look the same whether or not the account exists.
/// </summary>
public sealed class OneTimeCode : IHasTimestamps
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid? UserId { get; set; }
    public Guid? TenantId { get; set; }
    public OneTimeCodePurpose Purpose { get; set; }
    public MessageChannel Channel { get; set; }
    /// <summary>Normalised: a lower-case email, or a phone in E.164 (<c>+14165550199</c>).</summary>
    public string Address { get; set; } = "";
    public byte[] CodeHash { get; set; } = [];
    public byte[] Salt { get; set; } = [];
    public DateTimeOffset ExpiresAt { get; set; }
    /// <summary>Wrong attempts so far.</summary>
    public int Attempts { get; set; }
    /// <summary>When the code stopped working early (used, superseded, burned or not sent); null while it is live.</summary>
    public DateTimeOffset? ConsumedAt { get; set; }
    public OneTimeCodeEnd? EndedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

internal sealed class OneTimeCodeConfiguration : IEntityTypeConfiguration<OneTimeCode>
{
    public void Configure(EntityTypeBuilder<OneTimeCode> b)
    {
        b.ToTable("one_time_codes", t =>
        {
            t.HasCheckConstraint("ck_one_time_codes_attempts", "attempts >= 0");
            t.HasCheckConstraint("ck_one_time_codes_hash", "octet_length(code_hash) = 32 AND octet_length(salt) = 32");
        });
        b.Property(c => c.Purpose).HasConversion<string>().HasMaxLength(20);
        b.Property(c => c.Channel).HasConversion<string>().HasMaxLength(10);
        b.Property(c => c.EndedBy).HasConversion<string>().HasMaxLength(20);
        b.Property(c => c.Address).HasMaxLength(256).IsRequired();
        b.HasOne<AppUser>().WithMany().HasForeignKey(c => c.UserId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Tenant>().WithMany().HasForeignKey(c => c.TenantId).OnDelete(DeleteBehavior.Cascade);
        // The hourly limit counts by address; the live code is the newest for (address, purpose, channel).
        b.HasIndex(c => new { c.Address, c.CreatedAt });
        b.HasIndex(c => c.UserId);
        b.HasIndex(c => c.TenantId);
    }
}
