using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.AspNetCore.Identity;
using MudBlazor.Services;
using WeedGo.Core;
using WeedGo.Core.Accounts;
using WeedGo.Core.Common;
using WeedGo.Core.Data;
using WeedGo.Core.Data.DemoData;
using WeedGo.Core.Live;
using WeedGo.Web.Components;
using WeedGo.Web.Components.Account;
using WeedGo.Web.Endpoints;
using WeedGo.Web.Hubs;
using WeedGo.Web.Identity;
using WeedGo.Web.Live;
using WeedGo.Web.RateLimiting;
using WeedGo.Web.Security;

namespace WeedGo.Web;

public static class WebSetup
{
    public static WebApplicationBuilder AddWeedGo(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        // The app runs as the app role (row-level security applies); migrations run as the owner.
        var owner = ConnectionStrings.Resolve(builder.Configuration);
        var runtime = ConnectionStrings.ResolveApp(builder.Configuration, owner);
        services.AddWeedGoCore(runtime, new MigrationTarget(owner, ConnectionStrings.RoleOf(runtime)));
        if (builder.Configuration.GetValue<bool>("WeedGo:Bench:Enabled"))
        {
            // The bench's raw baselines read across tenants on purpose: their own pool, in the platform scope.
            services.AddKeyedSingleton(BenchEndpoints.RawSource, (_, _) => DependencyInjection.BuildDataSource(RowLevelSecurity.PlatformScope(runtime)));
        }

        // Who is asking: one UserContext per request/circuit serves as ITenantContext and ICurrentUser.
        services.AddSingleton<StorefrontTenantResolver>();
        services.AddScoped<UserContext>();
        services.AddScoped<ITenantContext>(sp => sp.GetRequiredService<UserContext>());
        services.AddScoped<ICurrentUser>(sp => sp.GetRequiredService<UserContext>());
        services.AddScoped<WeedGo.Core.Ordering.IShopper>(sp => sp.GetRequiredService<UserContext>());
        services.AddHttpContextAccessor();
        services.Configure<WeedGo.Core.Ordering.OrderingOptions>(builder.Configuration.GetSection(WeedGo.Core.Ordering.OrderingOptions.Section));
        services.AddHostedService<HoldExpiryService>();
        services.Configure<WeedGo.Core.Audit.AuditOptions>(builder.Configuration.GetSection("WeedGo:Audit"));
        services.AddHostedService<AuditVerificationService>();
        services.AddWeedGoRateLimiting(builder.Configuration);
        services.Configure<WeedGo.Core.Deliveries.ClosingAlertOptions>(builder.Configuration.GetSection(WeedGo.Core.Deliveries.ClosingAlertOptions.Section));
        services.AddHostedService<ClosingAlertService>();
        services.Configure<Components.Shared.Maps.MapOptions>(builder.Configuration.GetSection(Components.Shared.Maps.MapOptions.Section));
        services.AddHostedService<AuditAlertWorker>();
        services.AddHostedService<AuditAggregationWorker>();
        services.AddHostedService<AuditSealingWorker>();
        // Errors the app logs become system.error audit events (the "System errors" alert rule counts them).
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ILoggerProvider, WeedGo.Core.Audit.SystemErrorLoggerProvider>());
        services.AddHostedService<SystemErrorWorker>();
        services.AddScoped<WeedGo.Web.Components.Shop.ShopState>();
        services.Configure<Storefront.StorefrontCacheOptions>(builder.Configuration.GetSection(Storefront.StorefrontCacheOptions.Section));
        services.AddSingleton<Storefront.StorePageCache>();
        services.AddScoped<CircuitHandler, UserCircuitHandler>();
        // At most N open circuits per person (and per visitor IP): WeedGo:Security:MaxCircuitsPerUser / MaxCircuitsPerIp.
        services.Configure<WeedGo.Web.Security.CircuitLimitOptions>(builder.Configuration.GetSection("WeedGo:Security"));
        services.AddSingleton<WeedGo.Web.Security.CircuitCounter>();
        services.AddScoped<CircuitHandler, WeedGo.Web.Security.CircuitLimitHandler>();

        services.AddDataProtection().SetApplicationName("WeedGo").PersistKeysToDbContext<WeedGoDbContext>();
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddMudServices();
        services.AddSignalR();

        services.AddCascadingAuthenticationState();
        services.AddScoped<Components.Account.IdentityRedirectManager>();
        services.AddSingleton<Components.Account.PendingCodeCookie>();
        services.AddScoped<AuthenticationStateProvider, RevalidatingAuthStateProvider>();

        services.AddAuthentication(options =>
            {
                // One default for every request: a bearer token when the client sends one, else the cookie. So the
                // signed-in person (and their tenant) is known before any endpoint or page runs.
                options.DefaultScheme = AuthSchemes.CookieOrBearer;
                options.DefaultChallengeScheme = AuthSchemes.CookieOrBearer;
                options.DefaultSignInScheme = IdentityConstants.ExternalScheme;
            })
            .AddPolicyScheme(AuthSchemes.CookieOrBearer, "Cookie or bearer token", o => o.ForwardDefaultSelector = ctx =>
                ctx.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                || (ctx.Request.Path.StartsWithSegments("/hubs") && ctx.Request.Query.ContainsKey("access_token"))
                    ? IdentityConstants.BearerScheme
                    : IdentityConstants.ApplicationScheme)
            .AddBearerToken(IdentityConstants.BearerScheme, o =>
            {
                o.BearerTokenExpiration = TimeSpan.FromHours(1);
                // Browsers' WebSocket API cannot set headers: hubs accept the token in the query string.
                o.Events.OnMessageReceived = ctx =>
                {
                    var token = ctx.Request.Query["access_token"];
                    if (!string.IsNullOrEmpty(token) && ctx.HttpContext.Request.Path.StartsWithSegments("/hubs"))
                    {
                        ctx.Token = token;
                    }
                    return Task.CompletedTask;
                };
            })
            .AddIdentityCookies();
        services.ConfigureApplicationCookie(o =>
        {
            o.LoginPath = "/Account/Login";
            o.AccessDeniedPath = "/Account/AccessDenied";
            o.Cookie.Name = "weedgo.auth";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.SlidingExpiration = true;
            o.ExpireTimeSpan = TimeSpan.FromHours(8);
            // APIs and hubs answer 401/403 instead of redirecting to the sign-in page.
            o.Events.OnRedirectToLogin = ctx => ApiAware(ctx, 401);
            o.Events.OnRedirectToAccessDenied = ctx => ApiAware(ctx, 403);
        });

        var authorization = services.AddAuthorizationBuilder();
        foreach (var (name, roles) in Policies.All)
        {
            // Admins need 2FA for everything a role policy guards (Security/AdminTwoFactor.cs).
            authorization.AddPolicy(name, p => p.RequireRole(roles).AddRequirements(new AdminTwoFactorRequirement()));
        }
        services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationHandler, AdminTwoFactorHandler>();
        services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationMiddlewareResultHandler, AdminTwoFactorResultHandler>();

        services.Configure<PasswordHasherOptions>(o => o.IterationCount = 210_000);
        services.AddIdentityCore<AppUser>(o =>
            {
                o.SignIn.RequireConfirmedAccount = false;
                o.User.RequireUniqueEmail = true;
                o.Password.RequiredLength = 12;
                o.Password.RequireDigit = false;
                o.Password.RequireLowercase = false;
                o.Password.RequireUppercase = false;
                o.Password.RequireNonAlphanumeric = false;
                o.Password.RequiredUniqueChars = 1;
                o.Lockout.AllowedForNewUsers = true;
                o.Lockout.MaxFailedAccessAttempts = 5;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(5);
            })
            .AddRoles<AppRole>()
            .AddEntityFrameworkStores<WeedGoDbContext>()
            .AddSignInManager()
            .AddClaimsPrincipalFactory<WeedGoClaimsFactory>()
            .AddDefaultTokenProviders()
            // Authenticator codes are good once (replaces Identity's authenticator provider of the line above).
            .AddTokenProvider<OneUseAuthenticatorTokenProvider>(TokenOptions.DefaultAuthenticatorProvider);
        services.Configure<AuthenticatorCodeOptions>(builder.Configuration.GetSection(AuthenticatorCodeOptions.Section));
        services.AddSingleton<IEmailSender<AppUser>, MessageEmailSender>();
        // Messaging settings: the development outbox is on in Development unless WeedGo:Messaging:DevOutbox says otherwise.
        services.Configure<WeedGo.Core.Messaging.MessagingOptions>(o => o.DevOutbox = builder.Environment.IsDevelopment());
        services.Configure<WeedGo.Core.Messaging.MessagingOptions>(builder.Configuration.GetSection(WeedGo.Core.Messaging.MessagingOptions.Section));
        services.Configure<OneTimeCodeOptions>(builder.Configuration.GetSection(OneTimeCodeOptions.Section));
        services.Configure<WeedGo.Core.Chat.AssistantOptions>(builder.Configuration.GetSection(WeedGo.Core.Chat.AssistantOptions.Section));

        services.AddSingleton<InProcessLiveEvents>();
        if (builder.Configuration["WeedGo:Redis"] is { Length: > 0 } redis)
        {
            // Several instances: events travel over Redis pub/sub and every instance fans them out locally.
            services.AddSingleton<StackExchange.Redis.IConnectionMultiplexer>(_ =>
                StackExchange.Redis.ConnectionMultiplexer.Connect(redis + ",abortConnect=false"));
            services.AddSingleton<RedisLiveEvents>();
            services.AddSingleton<ILiveEvents>(sp => sp.GetRequiredService<RedisLiveEvents>());
            services.AddHostedService(sp => sp.GetRequiredService<RedisLiveEvents>());
        }
        else
        {
            services.AddSingleton<ILiveEvents>(sp => sp.GetRequiredService<InProcessLiveEvents>());
        }
        services.AddHostedService<HubRelay>();
        services.AddHostedService<AlertHubRelay>();
        services.AddHostedService<TrackingRelay>();
        services.Configure<WeedGo.Core.Chat.ConversationOptions>(builder.Configuration.GetSection(WeedGo.Core.Chat.ConversationOptions.Section));
        services.AddHostedService<ChatRelay>();
        return builder;
    }

    private static bool IsApi(PathString path) =>
        path.StartsWithSegments("/api") || path.StartsWithSegments("/hubs") || path.StartsWithSegments("/health");

    private static Task ApiAware(Microsoft.AspNetCore.Authentication.RedirectContext<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions> ctx, int status)
    {
        if (IsApi(ctx.Request.Path))
        {
            ctx.Response.StatusCode = status;
        }
        else
        {
            ctx.Response.Redirect(ctx.RedirectUri);
        }
        return Task.CompletedTask;
    }

    /// <summary>Start-up work before serving: migrations (when configured), demo data, and the demo-password guard.</summary>
    public static async Task PrepareAsync(this WebApplication app)
    {
        var config = app.Configuration;
        await using var scope = app.Services.CreateAsyncScope();
        if (config.GetValue<bool>("WeedGo:MigrateOnStartup"))
        {
            var report = await scope.ServiceProvider.GetRequiredService<DatabaseMigrator>().MigrateAsync();
            var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("WeedGo.Migrations");
            if (report.Warning is not null)
            {
                log.LogWarning("{Warning}", report.Warning);
            }
            if (report.Uncovered.Count > 0)
            {
                log.LogWarning("Tables with a tenant_id but no row-level security: {Tables}", string.Join(", ", report.Uncovered));
            }
        }
        var demo = scope.ServiceProvider.GetRequiredService<DemoDataSeeder>();
        if (config.GetValue<bool>("WeedGo:DemoData"))
        {
            await demo.SeedAsync();
        }
        if (!app.Environment.IsDevelopment())
        {
            var weak = await demo.AccountsWithDemoPasswordAsync();
            if (weak.Count > 0)
            {
                throw new InvalidOperationException(
                    $"Refusing to start in {app.Environment.EnvironmentName}: {weak.Count} demo account(s) still use the demo password " +
                    $"({string.Join(", ", weak)}). Change or delete them, or run in Development.");
            }
            var demoKeys = await demo.AccountsWithDemoAuthenticatorKeyAsync();
            if (demoKeys.Count > 0)
            {
                throw new InvalidOperationException(
                    $"Refusing to start in {app.Environment.EnvironmentName}: {demoKeys.Count} account(s) still use the published demo " +
                    $"authenticator key ({string.Join(", ", demoKeys)}). Reset their authenticator (My account → Two-factor authentication) " +
                    "or delete them, or run in Development.");
            }
        }
    }

    public static WebApplication MapWeedGo(this WebApplication app)
    {
        app.UseKnownProxies(); // the visitor's address behind a reverse proxy (WeedGo:Security:KnownProxies)
        app.UseSecurityHeaders(app.Configuration);
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/Error", createScopeForErrors: true);
            app.UseHsts();
        }
        // Friendly status pages for people; APIs and hubs keep their plain status codes and problem details.
        app.UseWhen(ctx => !IsApi(ctx.Request.Path),
            branch => branch.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true));
        app.UseAuthentication();
        app.UseMiddleware<UserContextMiddleware>();
        app.UseRateLimiter(); // API requests only (RateLimiting/HttpRateLimiting.cs); needs the user and address above
        app.UseAuthorization();
        app.UseAntiforgery();
        app.UseMiddleware<Storefront.StorePageCacheMiddleware>();

        app.MapStaticAssets();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        app.MapAdditionalIdentityEndpoints();
        app.MapHealth();
        app.MapAdminApi();
        app.MapAuthApi();
        if (app.Environment.IsDevelopment())
        {
            // Only in Development: elsewhere /dev/outbox is not mapped at all (404).
            app.MapDevOutbox();
        }
        app.MapHub<AlertsHub>(AlertsHub.Path);
        app.MapHub<TrackingHub>(TrackingHub.Path);
        app.MapHub<ChatHub>(ChatHub.Path);
        app.MapChatApi();
        if (app.Configuration.GetValue<bool>("WeedGo:Bench:Enabled"))
        {
            app.MapBenchBaselines();
        }
        return app;
    }
}
