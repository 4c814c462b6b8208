using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;
using WeedGo.Core.Accounts;
using WeedGo.Core.Catalog;
using WeedGo.Core.Chat;
using WeedGo.Core.Data;
using WeedGo.Core.Data.DemoData;
using WeedGo.Core.Messaging;
using WeedGo.Core.Tenancy;

namespace WeedGo.Core;

public static class DependencyInjection
{
    /// <summary>
    /// Registers the database (pooled, tenant-scoped factory), the clock and the domain services. <paramref name="connectionString"/>
    /// is the runtime connection (the app role, see <see cref="ConnectionStrings"/>); <paramref name="migrations"/> says where
    /// <see cref="DatabaseMigrator"/> runs (the owner), when this process migrates at all.
    /// </summary>
    public static IServiceCollection AddWeedGoCore(this IServiceCollection services, string connectionString, MigrationTarget? migrations = null)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<StampingInterceptor>();
        services.AddSingleton<Audit.AuditAlertSignal>();
        services.AddSingleton<Audit.AuditInterceptor>();
        services.AddOptions<Audit.AuditOptions>();
        services.AddSingleton(sp => BuildDataSource(connectionString));
        services.AddSingleton(sp =>
        {
            var options = new DbContextOptionsBuilder<WeedGoDbContext>();
            ConfigureDatabase(options, sp.GetRequiredService<NpgsqlDataSource>());
            // Order matters: stamping (tenant, timestamps) first, then the audit rows that read them.
            options.AddInterceptors(sp.GetRequiredService<StampingInterceptor>(), sp.GetRequiredService<Audit.AuditInterceptor>());
            return new PooledDbContextFactory<WeedGoDbContext>(options.Options, poolSize: 256);
        });
        services.AddScoped<IDbContextFactory<WeedGoDbContext>>(sp => new TenantDbContextFactory(
            sp.GetRequiredService<PooledDbContextFactory<WeedGoDbContext>>(), sp.GetRequiredService<Common.ITenantContext>(),
            sp.GetService<Common.ICurrentUser>(), sp.GetService<Audit.IAuditRequestContext>(),
            sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<Audit.AuditOptions>>().Value.Enabled,
            sp.GetService<Audit.IAuditLog>()));
        // Identity's stores need a scoped context; it is leased from the same pool and scoped the same way.
        services.AddScoped(sp => sp.GetRequiredService<IDbContextFactory<WeedGoDbContext>>().CreateDbContext());

        services.AddScoped<StoreQueries>();
        services.AddScoped<UserQueries>();
        services.AddScoped<ProfileService>();
        services.AddOptions<OneTimeCodeOptions>();
        services.AddScoped<OneTimeCodeService>();
        // Messaging: SMTP when WeedGo:Messaging:Smtp:Host is set; SMS has no provider yet; the dev outbox when enabled.
        services.AddOptions<MessagingOptions>();
        services.TryAddSingleton<DevOutbox>();
        services.TryAddSingleton<IEmailTransport, SmtpEmailTransport>();
        services.TryAddSingleton<ISmsTransport, LoggingSmsTransport>();
        services.TryAddSingleton<IMessageSender, MessageSender>();
        services.AddScoped<Inventory.StorefrontStockQueries>();
        services.AddScoped<PlatformStatsQueries>();
        services.AddScoped<CatalogImportService>();
        services.AddScoped<CatalogQueries>();
        services.AddMemoryCache();
        services.AddScoped<MenuQueries>();
        services.AddScoped<Inventory.StockLedger>();
        services.AddScoped<Inventory.InventoryService>();
        services.AddScoped<Inventory.InventoryQueries>();
        services.AddScoped<Inventory.ReceivingService>();
        services.AddScoped<Inventory.ShipmentQueries>();
        services.AddScoped<Inventory.ScanService>();
        services.AddOptions<Ordering.OrderingOptions>();
        services.TryAddSingleton<Ordering.IPaymentGateway, Ordering.SandboxPaymentGateway>();
        services.TryAddSingleton<Deliveries.IGeocoder, Deliveries.NullGeocoder>();
        services.TryAddSingleton<Ordering.IDeliveryQuoter, Deliveries.ZoneDeliveryQuoter>();
        services.AddScoped<Deliveries.DeliveryZoneService>();
        services.AddScoped<Deliveries.DeliveryZoneQueries>();
        services.AddScoped<Deliveries.DeliveryService>();
        services.AddScoped<Deliveries.DriverService>();
        services.AddScoped<Deliveries.DispatchQueries>();
        services.AddOptions<Deliveries.ClosingAlertOptions>();
        services.AddSingleton<Deliveries.ClosingAlertSweeper>();
        services.AddSingleton<Ordering.HoldSweeper>();
        services.AddScoped<Ordering.CartService>();
        services.AddScoped<Ordering.CheckoutService>();
        services.AddScoped<Ordering.OrderService>();
        services.AddScoped<Ordering.OrderQueries>();
        services.AddScoped<Ordering.StoreCartQueries>();
        services.AddScoped<Ordering.WishlistService>();
        services.AddScoped<Pricing.PricingService>();
        services.AddScoped<Pricing.PromotionService>();
        services.AddScoped<Pricing.PromotionQueries>();
        services.TryAddScoped<Audit.AuditRequestContext>();
        services.TryAddScoped<Audit.IAuditRequestContext>(sp => sp.GetRequiredService<Audit.AuditRequestContext>());
        services.AddScoped<Audit.IAuditLog, Audit.AuditLog>();
        services.AddScoped<Audit.AuditVerifier>();
        services.AddScoped<Audit.AuditQueries>();
        // Rate limits: one engine per process (rule cache, leased buckets, throttled violation log); the limiter per scope.
        services.AddOptions<RateLimiting.RateLimitOptions>();
        services.AddSingleton<RateLimiting.RateLimitRuleCache>();
        services.AddSingleton<RateLimiting.RateLimitBucketStore>();
        services.AddSingleton<RateLimiting.RateLimitViolationRecorder>();
        services.AddSingleton<RateLimiting.RateLimitEngine>();
        services.TryAddScoped<RateLimiting.IOperationLimiter, RateLimiting.OperationLimiter>();
        services.AddScoped<RateLimiting.RateLimitService>();
        // Chat: conversations and staff hand-off. IAssistant and IOperationLimiter are resolved when registered (optional).
        services.AddOptions<Chat.ConversationOptions>();
        services.AddScoped<Chat.ChatService>();
        services.AddScoped<Chat.ChatQueries>();
        // Aggregates, alert rules and alerts (the workers that run the first two live in the web app).
        services.AddSingleton<Audit.AuditChainBoard>();
        services.AddSingleton<Audit.AuditSealer>();
        services.AddSingleton<Audit.SystemErrorFeed>();
        services.AddSingleton<Audit.SystemErrorRecorder>();
        services.AddSingleton<Audit.AuditAggregator>();
        services.AddSingleton<Audit.AuditAlertEvaluator>();
        services.AddScoped<Audit.AuditAccess>();
        services.AddScoped<Audit.AuditAlertQueries>();
        services.AddScoped<Audit.AuditAlertService>();
        services.AddScoped<Audit.AuditDashboardQueries>();
        services.AddWeedGoAssistant();
        services.AddScoped<DemoDataSeeder>();
        services.TryAddSingleton(migrations ?? new MigrationTarget(connectionString, null));
        services.AddScoped<DatabaseMigrator>();
        return services;
    }

    public static NpgsqlDataSource BuildDataSource(string connectionString)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        // The app keeps no session state on a connection (SET LOCAL, ON COMMIT DROP temp tables, transaction-scoped
        // advisory locks only), so a pooled connection need not be reset with DISCARD ALL on every return: that reset also
        // throws away PostgreSQL's cached plans, and the audit log's triggers would be re-planned in every transaction
        // (~0.8 ms each on this machine). A connection string that says otherwise wins.
        if (!connectionString.Contains("Reset On Close", StringComparison.OrdinalIgnoreCase)
            && !connectionString.Contains("NoResetOnClose", StringComparison.OrdinalIgnoreCase))
        {
            builder.ConnectionStringBuilder.NoResetOnClose = true;
        }
        builder.UseNetTopologySuite();
        builder.EnableDynamicJson();
        return builder.Build();
    }

    public static void ConfigureDatabase(DbContextOptionsBuilder options, string connectionString) =>
        ConfigureDatabase(options, BuildDataSource(connectionString));

    /// <summary>Row-level security's scope on every connection a context opens (stateless, shared).</summary>
    private static readonly TenantSessionInterceptor TenantSession = new();

    public static void ConfigureDatabase(DbContextOptionsBuilder options, NpgsqlDataSource dataSource) =>
        options.UseNpgsql(dataSource, npgsql =>
            {
                npgsql.UseNetTopologySuite();
                npgsql.MigrationsHistoryTable("__ef_migrations_history");
            })
            .UseSnakeCaseNamingConvention()
            .AddInterceptors(TenantSession);
}
