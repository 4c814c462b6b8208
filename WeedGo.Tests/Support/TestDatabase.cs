using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql;
using WeedGo.Core;
using WeedGo.Core.Data;
using WeedGo.Core.Data.DemoData;
using WeedGo.Core.Accounts;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace WeedGo.Tests.Support;

/// <summary>
/// Fresh PostgreSQL databases for tests, the E2E host and the bench: the migrations are applied once to a template database
/// (named after the migrations, so a new migration makes a new template), and every caller gets its own clone of it
/// (<c>CREATE DATABASE … TEMPLATE …</c>, ~100 ms), so tests run in parallel and never see each other's rows.
/// Shared by WeedGo.Tests, WeedGo.E2E and WeedGo.Bench (linked source).
/// </summary>
public static class TestDatabase
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static readonly Dictionary<bool, string> Templates = [];

    /// <summary>A connection to the server's <c>postgres</c> database as the app role (which may create databases).</summary>
    public static string AdminConnection =>
        Environment.GetEnvironmentVariable("WEEDGO_TEST_CONNECTION") is { Length: > 0 } c
            ? c
            : "Host=127.0.0.1;Port=5434;Database=postgres;Username=weedgo;Password=weedgo";

    /// <summary>Creates a migrated database — empty, or with the demo world loaded — and returns its connection string.</summary>
    public static async Task<string> CreateAsync(string purpose = "t", bool demoData = false)
    {
        var template = await EnsureTemplateAsync(demoData: false);
        if (demoData)
        {
            template = await EnsureTemplateAsync(demoData: true);
        }
        var name = $"weedgo_{purpose}_{Guid.NewGuid():N}";
        if (name.Length > 63)
        {
            name = name[..63];
        }
        await using var admin = new NpgsqlConnection(AdminConnection);
        await admin.OpenAsync();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\" TEMPLATE \"{template}\"", admin);
                await create.ExecuteNonQueryAsync();
                break;
            }
            catch (PostgresException e) when (e.SqlState == "55006" && attempt < 20)
            {
                // "source database is being accessed by other users": another clone is being made right now.
                await Task.Delay(100 * attempt);
            }
        }
        return ConnectionFor(name);
    }

    public static async Task DropAsync(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(AdminConnection);
        await admin.OpenAsync();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", admin);
                await drop.ExecuteNonQueryAsync();
                return;
            }
            catch (PostgresException e) when (e.SqlState == "42501" && attempt < 20)
            {
                // An autovacuum worker (a superuser process the app role may not terminate) is analysing a freshly loaded table.
                await Task.Delay(250 * attempt);
            }
        }
    }

    /// <summary>The role the app runs as in tests (not the owner, no BYPASSRLS): <c>WEEDGO_TEST_APP_ROLE</c>, default <c>weedgo_app</c>.</summary>
    public static string AppRole =>
        Environment.GetEnvironmentVariable("WEEDGO_TEST_APP_ROLE") is { Length: > 0 } r ? r : ConnectionStrings.DefaultAppRole;

    /// <summary><paramref name="ownerConnection"/> as the app role: what the running app would use for that database.</summary>
    public static string AppConnection(string ownerConnection) => ConnectionStrings.ForRole(ownerConnection, AppRole);

    public static string ConnectionFor(string database) =>
        new NpgsqlConnectionStringBuilder(AdminConnection) { Database = database, Pooling = true }.ConnectionString;

    /// <summary>
    /// The template to clone: migrations applied (named by the migrations hash), and for <paramref name="demoData"/> a second
    /// template with the demo world loaded (named also by the Core build, so a changed seeder makes a new one).
    /// </summary>
    private static async Task<string> EnsureTemplateAsync(bool demoData)
    {
        await Gate.WaitAsync();
        try
        {
            if (Templates.TryGetValue(demoData, out var known))
            {
                return known;
            }
            var plain = "weedgo_template_" + MigrationsHash();
            var name = demoData ? $"{plain}_demo_{typeof(DemoDataSeeder).Assembly.ManifestModule.ModuleVersionId.ToString("N")[..10]}" : plain;
            await using var admin = new NpgsqlConnection(AdminConnection);
            await admin.OpenAsync();
            // One process at a time builds templates (test projects and the bench may start together).
            await Execute(admin, "SELECT pg_advisory_lock(424242)");
            try
            {
                if (!await ExistsAsync(admin, name))
                {
                    var building = name + "_building";
                    await Execute(admin, $"DROP DATABASE IF EXISTS \"{building}\" WITH (FORCE)");
                    if (demoData)
                    {
                        if (!await ExistsAsync(admin, plain))
                        {
                            throw new InvalidOperationException("The migrated template must exist before the demo template.");
                        }
                        await DropStaleDemoTemplatesAsync(admin, plain);
                        await Execute(admin, $"CREATE DATABASE \"{building}\" TEMPLATE \"{plain}\"");
                    }
                    else
                    {
                        await Execute(admin, $"CREATE DATABASE \"{building}\"");
                    }
                    // No pooling: every connection must be closed before the database can be renamed and cloned.
                    var unpooled = new NpgsqlConnectionStringBuilder(ConnectionFor(building)) { Pooling = false }.ConnectionString;
                    await using (var dataSource = DependencyInjection.BuildDataSource(unpooled))
                    {
                        var options = new DbContextOptionsBuilder<WeedGoDbContext>();
                        DependencyInjection.ConfigureDatabase(options, dataSource);
                        if (demoData)
                        {
                            options.AddInterceptors(new StampingInterceptor(TimeProvider.System));
                            var pool = new PooledDbContextFactory<WeedGoDbContext>(options.Options);
                            await new DemoDataSeeder(pool, new PasswordHasher<AppUser>(), TimeProvider.System).SeedAsync();
                        }
                        else
                        {
                            // Migrations, then row-level security and the app role's grants (clones inherit both).
                            var report = await new DatabaseMigrator(new MigrationTarget(unpooled, AppRole)).MigrateAsync();
                            if (report.Warning is not null)
                            {
                                throw new InvalidOperationException(report.Warning);
                            }
                        }
                    }
                    await Execute(admin, $"ALTER DATABASE \"{building}\" RENAME TO \"{name}\"");
                }
            }
            finally
            {
                await Execute(admin, "SELECT pg_advisory_unlock(424242)");
            }
            Templates[demoData] = name;
            return name;
        }
        finally
        {
            Gate.Release();
        }
    }

    private static async Task<bool> ExistsAsync(NpgsqlConnection admin, string database)
    {
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", admin)
        {
            Parameters = { new() { Value = database } },
        };
        return await exists.ExecuteScalarAsync() is not null;
    }

    /// <summary>Demo templates of earlier builds are dropped when a new one is made, so they do not pile up; the four newest stay,
    /// so test runs of other checkouts (worktrees) on the same cluster keep theirs.</summary>
    private static async Task DropStaleDemoTemplatesAsync(NpgsqlConnection admin, string plain)
    {
        var stale = new List<string>();
        await using (var list = new NpgsqlCommand("SELECT datname FROM pg_database WHERE datname LIKE 'weedgo_template_%_demo_%' ORDER BY oid DESC OFFSET 4", admin))
        await using (var reader = await list.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                stale.Add(reader.GetString(0));
            }
        }
        foreach (var database in stale)
        {
            await Execute(admin, $"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)");
        }
    }

    private static async Task Execute(NpgsqlConnection connection, string sql)
    {
        await using var cmd = new NpgsqlCommand(sql, connection);
        await cmd.ExecuteNonQueryAsync();
    }

    /// <summary>Short hash of the migration ids, so a new migration gets a new template.</summary>
    private static string MigrationsHash()
    {
        var ids = typeof(WeedGoDbContext).Assembly.GetTypes()
            .Where(t => t.GetCustomAttributes(typeof(MigrationAttribute), false).Length > 0)
            .Select(t => ((MigrationAttribute)t.GetCustomAttributes(typeof(MigrationAttribute), false)[0]).Id)
            .Order();
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes(string.Join("|", ids)));
        return Convert.ToHexStringLower(bytes)[..12];
    }
}
