using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using NetTopologySuite.Geometries;
using WeedGo.Core.Accounts;
using WeedGo.Core.Common;
using WeedGo.Core.Tenancy;

namespace WeedGo.Core.Data.DemoData;

/// <summary>One demo sign-in, printed by <c>./weedgo run</c> and used by tests.</summary>
public sealed record DemoAccount(string Email, string Role, string Tenant, string Note);

/// <summary>
/// Loads the deterministic demo world: two tenants with Toronto-area stores and a user for every role.
/// Keys are derived from names, so every run (and every test database) has the same ids. Idempotent.
/// </summary>
public sealed class DemoDataSeeder(PooledDbContextFactory<WeedGoDbContext> pool, IPasswordHasher<AppUser> hasher, TimeProvider clock)
{
    /// <summary>Shared by every demo account; the app refuses to start outside Development while it still works.</summary>
    public const string DemoPassword = "WeedGo-demo-2026";

    /// <summary>
    /// The authenticator-app key (base32, RFC 6238: SHA-1, 30 s, 6 digits) of every demo admin (PlatformAdmin and TenantAdmin):
    /// admins must use two-factor authentication, so the demo ones have it on with this fixed key. Add it to an authenticator
    /// app or compute the code; the app refuses to start outside Development while a demo admin still has it.
    /// </summary>
    public const string DemoAuthenticatorKey = "WEEDGODEMO2FAKEYWEEDGODEMO2FAKEY";

    /// <summary>Where ASP.NET Core Identity keeps the authenticator key (<c>agi_user_tokens</c>-style token row).</summary>
    public const string AuthenticatorKeyProvider = "[AspNetUserStore]";
    public const string AuthenticatorKeyName = "AuthenticatorKey";

    public static readonly DemoTenant NorthernLights = new("Northern Lights Cannabis Co.", "northern-lights", "northernlights.demo",
    [
        new("Queen West", "northern-lights-queen-west", "CRSA-1001-QW", "672 Queen St W", "Toronto", "M6J 1E5", 43.6465, -79.4096, "416-555-0101", true),
        new("Yorkville", "northern-lights-yorkville", "CRSA-1002-YV", "101 Bloor St W", "Toronto", "M5S 1P7", 43.6690, -79.3920, "416-555-0102", true),
        new("Square One", "northern-lights-square-one", "CRSA-1003-SO", "100 City Centre Dr", "Mississauga", "L5B 2C9", 43.5931, -79.6424, "905-555-0103", false),
    ]);

    public static readonly DemoTenant MapleLeaf = new("Maple Leaf Greens", "maple-leaf", "mapleleaf.demo",
    [
        new("Scarborough Town", "maple-leaf-scarborough", "CRSA-2001-SC", "300 Borough Dr", "Toronto", "M1P 4P5", 43.7764, -79.2578, "416-555-0201", true),
        new("Markham Main St", "maple-leaf-markham", "CRSA-2002-MK", "186 Main St N", "Markham", "L3P 1Y3", 43.8765, -79.2630, "905-555-0202", false),
    ]);

    public static IReadOnlyList<DemoTenant> Tenants { get; } = [NorthernLights, MapleLeaf];

    public const string PlatformAdminEmail = "platform@weedgo.demo";

    public static IReadOnlyList<DemoAccount> Accounts { get; } =
    [
        new(PlatformAdminEmail, Roles.PlatformAdmin, "(platform)", "all tenants"),
        .. Tenants.SelectMany(t => new DemoAccount[]
        {
            new($"admin@{t.EmailDomain}", Roles.TenantAdmin, t.Name, "every store of the tenant"),
            new($"manager@{t.EmailDomain}", Roles.StoreManager, t.Name, $"{t.Stores[0].Name} and {t.Stores[1].Name}"),
            new($"budtender@{t.EmailDomain}", Roles.Budtender, t.Name, t.Stores[0].Name),
            new($"driver@{t.EmailDomain}", Roles.Driver, t.Name, t.Stores[0].Name),
            new($"customer@{t.EmailDomain}", Roles.Customer, t.Name, "born 1990-04-20"),
        }),
    ];

    public static Guid IdFor(string name)
    {
        var bytes = MD5.HashData(Encoding.UTF8.GetBytes("weedgo-demo:" + name));
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }

    public async Task<bool> IsLoadedAsync(CancellationToken ct = default)
    {
        await using var db = await pool.CreateDbContextAsync(ct);
        db.UseTenant(FixedTenantContext.System);
        return await db.Tenants.AnyAsync(t => t.Slug == NorthernLights.Slug, ct);
    }

    /// <summary>Loads whatever part of the demo world is missing: people and stores, then each tenant's catalogue, then stock,
    /// then promotions, then delivery zones.
    /// (A database seeded by an earlier version gets the parts added since.)</summary>
    public async Task SeedAsync(CancellationToken ct = default)
    {
        if (!await IsLoadedAsync(ct))
        {
            await SeedPeopleAndStoresAsync(ct);
        }
        await using var db = await pool.CreateDbContextAsync(ct);
        db.UseTenant(FixedTenantContext.System);
        if (!await db.Products.AnyAsync(ct))
        {
            await SeedCatalogueAsync(ct);
        }
        if (!await db.Inventory.AnyAsync(ct))
        {
            await DemoStock.SeedAsync(pool, clock, ct);
        }
        if (!await db.Promotions.AnyAsync(ct))
        {
            await DemoPromotions.SeedAsync(pool, ct);
        }
        if (!await db.DeliveryZones.AnyAsync(ct))
        {
            await DemoZones.SeedAsync(pool, ct);
        }
        if (!await db.StoreAiSettings.AnyAsync(ct))
        {
            await DemoAssistant.SeedAsync(pool, ct);
        }
    }

    private async Task SeedPeopleAndStoresAsync(CancellationToken ct)
    {
        await using var db = await pool.CreateDbContextAsync(ct);
        db.UseTenant(FixedTenantContext.System);
        var passwordHash = hasher.HashPassword(new AppUser(), DemoPassword);
        var roleIds = await db.Roles.ToDictionaryAsync(r => r.Name!, r => r.Id, ct);

        var platform = NewUser(PlatformAdminEmail, "Pat Platform", null, passwordHash);
        db.Users.Add(platform);
        db.UserRoles.Add(new IdentityUserRole<Guid> { UserId = platform.Id, RoleId = roleIds[Roles.PlatformAdmin] });
        WithDemoAuthenticator(db, platform);

        foreach (var t in Tenants)
        {
            var tenant = new Tenant { Id = IdFor(t.Slug), Name = t.Name, Slug = t.Slug, Province = "ON" };
            db.Tenants.Add(tenant);
            var stores = t.Stores.Select(s => new Store
            {
                Id = IdFor(s.Slug), TenantId = tenant.Id, Name = s.Name, Slug = s.Slug, LicenceNumber = s.Licence,
                Address = new Address { Line1 = s.Street, City = s.City, Province = "ON", PostalCode = s.PostalCode },
                Location = new Point(s.Longitude, s.Latitude) { SRID = 4326 }, TimeZoneId = "America/Toronto", Phone = s.Phone,
                Hours = StandardHours(), PickupEnabled = true, DeliveryEnabled = s.Delivery,
            }).ToList();
            db.Stores.AddRange(stores);

            var first = t.Name.Split(' ')[0];
            WithDemoAuthenticator(db, AddStaff(db, roleIds, passwordHash, tenant, $"admin@{t.EmailDomain}", $"{first} Owner", Roles.TenantAdmin, []));
            AddStaff(db, roleIds, passwordHash, tenant, $"manager@{t.EmailDomain}", $"{first} Manager", Roles.StoreManager, stores.Take(2));
            AddStaff(db, roleIds, passwordHash, tenant, $"budtender@{t.EmailDomain}", $"{first} Budtender", Roles.Budtender, stores.Take(1));
            AddStaff(db, roleIds, passwordHash, tenant, $"driver@{t.EmailDomain}", $"{first} Driver", Roles.Driver, stores.Take(1));
            var customer = AddStaff(db, roleIds, passwordHash, tenant, $"customer@{t.EmailDomain}", $"{first} Customer", Roles.Customer, []);
            customer.Profile = new Profile
            {
                UserId = customer.Id, FirstName = "Casey", LastName = first, BirthDate = new DateOnly(1990, 4, 20),
                CustomerType = CustomerType.Recreational, Phone = "416-555-0199",
            };
        }
        await db.SaveChangesAsync(ct);
    }

    /// <summary>
    /// Each demo tenant gets the deterministic demo catalogue (<see cref="DemoCatalogGenerator"/>), loaded through the catalogue
    /// import path with a system scope for that tenant. No stock: that belongs to inventory.
    /// </summary>
    private async Task SeedCatalogueAsync(CancellationToken ct)
    {
        var csv = DemoCatalogGenerator.DemoCsv();
        foreach (var t in Tenants)
        {
            using var file = new MemoryStream(csv, writable: false);
            var report = await Catalog.CatalogImportService.ImportForTenantAsync(pool, clock, IdFor(t.Slug), file, "demo-catalogue.csv", ct: ct);
            if (!report.Succeeded || !report.Value.Completed || report.Value.Invalid > 0)
            {
                throw new InvalidOperationException(
                    $"The demo catalogue did not load for {t.Name}: {report.Error?.Message ?? report.Value.Failure?.Message ?? report.Value.InvalidRows[0].Reason}");
            }
        }
    }

    private static AppUser AddStaff(WeedGoDbContext db, Dictionary<string, Guid> roleIds, string passwordHash, Tenant tenant,
        string email, string name, string role, IEnumerable<Store> stores)
    {
        var user = NewUser(email, name, tenant.Id, passwordHash);
        db.Users.Add(user);
        db.UserRoles.Add(new IdentityUserRole<Guid> { UserId = user.Id, RoleId = roleIds[role] });
        foreach (var store in stores)
        {
            db.StaffMemberships.Add(new StaffMembership
            {
                Id = IdFor($"{email}@{store.Slug}"), TenantId = tenant.Id, StoreId = store.Id, UserId = user.Id, Role = role,
            });
        }
        return user;
    }

    /// <summary>Two-factor authentication on, with the fixed demo authenticator key (admins must have it).</summary>
    private static void WithDemoAuthenticator(WeedGoDbContext db, AppUser user)
    {
        user.TwoFactorEnabled = true;
        db.UserTokens.Add(new IdentityUserToken<Guid>
        {
            UserId = user.Id, LoginProvider = AuthenticatorKeyProvider, Name = AuthenticatorKeyName, Value = DemoAuthenticatorKey,
        });
    }

    private static AppUser NewUser(string email, string name, Guid? tenantId, string passwordHash) => new()
    {
        Id = IdFor(email), UserName = email, NormalizedUserName = email.ToUpperInvariant(), Email = email,
        NormalizedEmail = email.ToUpperInvariant(), EmailConfirmed = true, DisplayName = name, TenantId = tenantId,
        PasswordHash = passwordHash, SecurityStamp = IdFor("stamp:" + email).ToString("N").ToUpperInvariant(),
        ConcurrencyStamp = IdFor("concurrency:" + email).ToString(), LockoutEnabled = true, IsDemo = true,
    };

    /// <summary>Typical Ontario hours: 10–22 weekdays, 10–23 Friday and Saturday, 11–20 Sunday.</summary>
    public static List<OpeningHours> StandardHours() =>
    [
        .. new[] { DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday }
            .Select(d => new OpeningHours { Day = d, Opens = new(10, 0), Closes = new(22, 0) }),
        new OpeningHours { Day = DayOfWeek.Friday, Opens = new(10, 0), Closes = new(23, 0) },
        new OpeningHours { Day = DayOfWeek.Saturday, Opens = new(10, 0), Closes = new(23, 0) },
        new OpeningHours { Day = DayOfWeek.Sunday, Opens = new(11, 0), Closes = new(20, 0) },
    ];

    /// <summary>Demo accounts whose authenticator key is still the published demo key (production must have none).</summary>
    public async Task<IReadOnlyList<string>> AccountsWithDemoAuthenticatorKeyAsync(CancellationToken ct = default)
    {
        await using var db = await pool.CreateDbContextAsync(ct);
        db.UseTenant(FixedTenantContext.System);
        return await db.UserTokens.AsNoTracking()
            .Where(t => t.LoginProvider == AuthenticatorKeyProvider && t.Name == AuthenticatorKeyName && t.Value == DemoAuthenticatorKey)
            .Join(db.Users, t => t.UserId, u => u.Id, (t, u) => u.Email!)
            .ToListAsync(ct);
    }

    /// <summary>Demo accounts whose password is still the demo password (production must have none).</summary>
    public async Task<IReadOnlyList<string>> AccountsWithDemoPasswordAsync(CancellationToken ct = default)
    {
        await using var db = await pool.CreateDbContextAsync(ct);
        db.UseTenant(FixedTenantContext.System);
        var demo = await db.Users.AsNoTracking().Where(u => u.IsDemo && u.PasswordHash != null).ToListAsync(ct);
        return demo.Where(u => hasher.VerifyHashedPassword(u, u.PasswordHash!, DemoPassword) != PasswordVerificationResult.Failed)
            .Select(u => u.Email!).ToList();
    }
}

public sealed record DemoTenant(string Name, string Slug, string EmailDomain, IReadOnlyList<DemoStore> Stores);

public sealed record DemoStore(string Name, string Slug, string Licence, string Street, string City, string PostalCode,
    double Latitude, double Longitude, string Phone, bool Delivery);
