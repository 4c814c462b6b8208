using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using WeedGo.Core.Accounts;
using WeedGo.Core.Common;
using WeedGo.Core.Settings;
using WeedGo.Core.Tenancy;

namespace WeedGo.Core.Data;

/// <summary>
/// The one database context: Identity plus the domain. Pooled; the tenant scope is set on every lease by
/// <see cref="TenantDbContextFactory"/> and drives the global query filters. With no tenant set, no tenant rows are visible.
/// </summary>
public class WeedGoDbContext(DbContextOptions<WeedGoDbContext> options)
    : IdentityDbContext<AppUser, AppRole, Guid>(options), IDataProtectionKeyContext
{
    private Guid? _tenantId;
    private bool _allTenants;

    public DbSet<Tenant> Tenants => Set<Tenant>();
    public DbSet<Store> Stores => Set<Store>();
    public DbSet<Profile> Profiles => Set<Profile>();
    public DbSet<StaffMembership> StaffMemberships => Set<StaffMembership>();
    public DbSet<OneTimeCode> OneTimeCodes => Set<OneTimeCode>();
    public DbSet<SystemSetting> SystemSettings => Set<SystemSetting>();
    public DbSet<Catalog.CatalogProduct> Products => Set<Catalog.CatalogProduct>();
    public DbSet<Catalog.CatalogSearchTerm> SearchTerms => Set<Catalog.CatalogSearchTerm>();
    public DbSet<Inventory.InventoryItem> Inventory => Set<Inventory.InventoryItem>();
    public DbSet<Inventory.InventoryBatch> Batches => Set<Inventory.InventoryBatch>();
    public DbSet<Inventory.StockMovement> StockLedger => Set<Inventory.StockMovement>();
    public DbSet<Inventory.Shipment> Shipments => Set<Inventory.Shipment>();
    public DbSet<Inventory.ShipmentLine> ShipmentLines => Set<Inventory.ShipmentLine>();
    public DbSet<Ordering.Cart> Carts => Set<Ordering.Cart>();
    public DbSet<Ordering.CartLine> CartLines => Set<Ordering.CartLine>();
    public DbSet<Ordering.Checkout> Checkouts => Set<Ordering.Checkout>();
    public DbSet<Ordering.CheckoutHold> CheckoutHolds => Set<Ordering.CheckoutHold>();
    public DbSet<Ordering.Order> Orders => Set<Ordering.Order>();
    public DbSet<Ordering.OrderLine> OrderLines => Set<Ordering.OrderLine>();
    public DbSet<Ordering.OrderStatusChange> OrderHistory => Set<Ordering.OrderStatusChange>();
    public DbSet<Ordering.PaymentTransaction> Payments => Set<Ordering.PaymentTransaction>();
    public DbSet<Ordering.WishlistItem> Wishlist => Set<Ordering.WishlistItem>();
    public DbSet<Pricing.Promotion> Promotions => Set<Pricing.Promotion>();
    public DbSet<Pricing.PromotionUsage> PromotionUsages => Set<Pricing.PromotionUsage>();
    public DbSet<Pricing.PromotionCustomerCount> PromotionCustomerCounts => Set<Pricing.PromotionCustomerCount>();
    public DbSet<global::WeedGo.Core.Deliveries.DeliveryZone> DeliveryZones => Set<global::WeedGo.Core.Deliveries.DeliveryZone>();
    public DbSet<global::WeedGo.Core.Deliveries.Delivery> Deliveries => Set<global::WeedGo.Core.Deliveries.Delivery>();
    public DbSet<global::WeedGo.Core.Deliveries.DriverShift> DriverShifts => Set<global::WeedGo.Core.Deliveries.DriverShift>();
    public DbSet<global::WeedGo.Core.Deliveries.DriverPosition> DriverPositions => Set<global::WeedGo.Core.Deliveries.DriverPosition>();
    public DbSet<Audit.AuditLogEntry> AuditLogs => Set<Audit.AuditLogEntry>();
    public DbSet<RateLimiting.RateLimitRule> RateLimitRules => Set<RateLimiting.RateLimitRule>();
    public DbSet<RateLimiting.RateLimitBucket> RateLimitBuckets => Set<RateLimiting.RateLimitBucket>();
    public DbSet<RateLimiting.RateLimitViolation> RateLimitViolations => Set<RateLimiting.RateLimitViolation>();
    public DbSet<Chat.ChatConversation> ChatConversations => Set<Chat.ChatConversation>();
    public DbSet<Chat.ChatMessage> ChatMessages => Set<Chat.ChatMessage>();
    public DbSet<Audit.AuditAlertRule> AlertRules => Set<Audit.AuditAlertRule>();
    public DbSet<Audit.AuditAlert> AuditAlerts => Set<Audit.AuditAlert>();
    public DbSet<Audit.AuditAggregate> AuditAggregates => Set<Audit.AuditAggregate>();
    public DbSet<Audit.AuditCursor> AuditCursors => Set<Audit.AuditCursor>();
    public DbSet<Chat.AiPersonality> AiPersonalities => Set<Chat.AiPersonality>();
    public DbSet<Chat.StoreAiSettings> StoreAiSettings => Set<Chat.StoreAiSettings>();
    public DbSet<Chat.CustomerMemory> CustomerMemories => Set<Chat.CustomerMemory>();
    public DbSet<Chat.AiUsage> AiUsage => Set<Chat.AiUsage>();
    /// <summary>ASP.NET Core data-protection keys, shared by every web instance (cookies survive restarts and scale-out).</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    /// <summary>The tenant this context acts for (null: none).</summary>
    public Guid? CurrentTenantId => _tenantId;
    public bool AllTenants => _allTenants;

    /// <summary>Who and where, stamped on the audit rows this context writes (set by the factory per lease).</summary>
    public Audit.AuditActor AuditActor { get; private set; } = Audit.AuditActor.None;

    /// <summary>False: the audit interceptor records nothing for this lease (the bench's "audit off").</summary>
    public bool AuditEnabled { get; private set; } = true;

    /// <summary>Sets the audit actor for this lease. Called by the factory after <see cref="UseTenant"/>.</summary>
    public void UseAuditActor(Audit.AuditActor actor, bool enabled = true)
    {
        AuditActor = actor;
        AuditEnabled = enabled;
    }

    /// <summary>True between <see cref="UseTenant"/> and the end of the lease.</summary>
    private bool _leased;

    /// <summary>Sets the tenant scope for this lease. Called by the factory; tests call it directly.</summary>
    public void UseTenant(ITenantContext tenant)
    {
        _leased = true;
        _tenantId = tenant.TenantId;
        _allTenants = tenant.AllTenants;
        AuditActor = Audit.AuditActor.None;
        AuditEnabled = true;
    }

    /// <summary>Ends the lease: a connection still open carries this lease's tenant setting, so it is cleared and closed first.</summary>
    public override void Dispose()
    {
        if (_leased)
        {
            _leased = false;
            TenantSessionInterceptor.ReleaseAsync(this, async: false).AsTask().GetAwaiter().GetResult();
        }
        base.Dispose();
    }

    public override async ValueTask DisposeAsync()
    {
        if (_leased)
        {
            _leased = false;
            await TenantSessionInterceptor.ReleaseAsync(this, async: true);
        }
        await base.DisposeAsync();
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.HasPostgresExtension("postgis");
        builder.HasPostgresExtension("pg_trgm");
        // Order numbers are allocated when a checkout starts holding stock (the hold's ledger reference).
        builder.HasSequence<long>("order_numbers").StartsAt(100001);
        builder.ApplyConfigurationsFromAssembly(typeof(WeedGoDbContext).Assembly);

        // Identity tables keep snake_case names without the AspNet prefix.
        builder.Entity<AppUser>().ToTable("users");
        builder.Entity<AppRole>().ToTable("roles");
        builder.Entity<DataProtectionKey>().ToTable("data_protection_keys");
        builder.Entity<IdentityUserRole<Guid>>().ToTable("user_roles");
        builder.Entity<IdentityUserClaim<Guid>>().ToTable("user_claims");
        builder.Entity<IdentityUserLogin<Guid>>().ToTable("user_logins");
        builder.Entity<IdentityUserToken<Guid>>().ToTable("user_tokens");
        builder.Entity<IdentityRoleClaim<Guid>>().ToTable("role_claims");

        // Tenant scoping: every tenant-owned entity gets the same filter.
        builder.Entity<Tenant>().HasQueryFilter(t => _allTenants || t.Id == _tenantId);
        foreach (var type in builder.Model.GetEntityTypes()
                     .Where(t => typeof(ITenantOwned).IsAssignableFrom(t.ClrType) && t.BaseType is null))
        {
            var method = typeof(WeedGoDbContext).GetMethod(nameof(ApplyTenantFilter),
                System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!;
            method.MakeGenericMethod(type.ClrType).Invoke(this, [builder]);
        }
    }

    private void ApplyTenantFilter<T>(ModelBuilder builder) where T : class, ITenantOwned =>
        builder.Entity<T>().HasQueryFilter(e => _allTenants || e.TenantId == _tenantId);
}
