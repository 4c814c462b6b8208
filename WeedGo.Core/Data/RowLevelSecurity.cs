using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Npgsql;
using WeedGo.Core.Common;

namespace WeedGo.Core.Data;

/// <summary>
/// PostgreSQL row-level security, the wall behind the EF tenant filters. Every table of an <see cref="ITenantOwned"/> entity
/// gets <c>ENABLE</c> + <c>FORCE ROW LEVEL SECURITY</c> and the policy <c>tenant_isolation</c>: a row is visible and writable
/// when its <c>tenant_id</c> equals <c>app.tenant_id</c>, or when <c>app.all_tenants</c> is <c>on</c> (the platform scope).
/// The settings come from <see cref="TenantSessionInterceptor"/>; a connection without them sees no tenant rows.
/// <para>
/// The tables are derived from the EF model, and <see cref="EnsureAsync"/> runs after every migration (the <c>migrate</c>
/// command, <c>WeedGo:MigrateOnStartup</c>, the test and bench templates), so a table added later is covered as soon as its
/// entity implements <see cref="ITenantOwned"/>; nobody writes a policy by hand. It also grants the app's runtime role
/// (<see cref="DatabaseRoles"/>) its rights on every table, so new tables need no grant either. Idempotent.
/// </para>
/// </summary>
public static class RowLevelSecurity
{
    public const string PolicyName = "tenant_isolation";

    /// <summary>The policy's condition. Changing it needs a new <see cref="PolicyName"/> (existing policies are kept as they are).</summary>
    public const string Condition =
        "current_setting('app.all_tenants', true) = 'on' OR tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid";

    /// <summary>
    /// Tables with a <c>tenant_id</c> column that are deliberately not tenant-owned, and why. A table with a <c>tenant_id</c>
    /// column that is neither covered nor listed here fails <c>RowLevelSecurityTests</c>.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> NotTenantOwned = new Dictionary<string, string>
    {
        ["users"] = "accounts are platform-wide: sign-in finds a user by email before any tenant is known; tenant_id is the home tenant",
        ["one_time_codes"] = "codes are per account and asked for before sign-in; tenant_id copies the account's home tenant for reports",
        ["agi_audit_logs"] = "has its own policies (migration RowLevelSecurity): tenants read their chain, platform rows only in the platform scope, every scope may append",
    };

    /// <summary>
    /// <paramref name="connection"/> for raw connections that work across tenants on purpose (the bench's raw baselines, pgbench,
    /// maintenance tools): <c>app.all_tenants=on</c> is given at connection start, so it is a separate pool that EF never uses.
    /// Never for anything a person's request reaches.
    /// </summary>
    public static string PlatformScope(string connection)
    {
        var builder = new NpgsqlConnectionStringBuilder(connection);
        builder.Options = (string.IsNullOrWhiteSpace(builder.Options) ? "" : builder.Options + " ") + "-c app.all_tenants=on";
        return builder.ConnectionString;
    }

    /// <summary>The tables of the model's <see cref="ITenantOwned"/> entities and of other entities with a tenant id (platform rows
    /// when null) that are not listed in <see cref="NotTenantOwned"/>, sorted.</summary>
    public static IReadOnlyList<string> TenantTables(IModel model) =>
        model.GetEntityTypes()
            .Where(t => t.GetTableName() is not null && t.GetViewName() is null
                        && (typeof(ITenantOwned).IsAssignableFrom(t.ClrType)
                            // Rows that belong to a tenant or (tenant_id null) to the platform, e.g. rate-limit rules: the same
                            // policy, so a tenant sees its own rows and only the platform scope sees the platform's.
                            || (t.FindProperty("TenantId") is { } p && (p.ClrType == typeof(Guid) || p.ClrType == typeof(Guid?))
                                && !NotTenantOwned.ContainsKey(t.GetTableName()!))))
            .Select(t => t.GetTableName()!)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();

    /// <summary>Tables whose platform rows (tenant_id null) every tenant may read, but not change: rate-limit rules apply to
    /// everybody, and tenant admins see them (read only) beside their own.</summary>
    public static readonly IReadOnlyList<string> PlatformRowsReadable = ["agi_rate_limit_rules"];

    /// <summary>One idempotent statement: for each existing table of <paramref name="tables"/> without them, ENABLE + FORCE row-level
    /// security and the <see cref="PolicyName"/> policy.</summary>
    public static string PolicySql(IEnumerable<string> tables)
    {
        var quoted = string.Join(", ", tables.Select(t => "'" + t.Replace("'", "''", StringComparison.Ordinal) + "'"));
        var condition = Condition.Replace("'", "''", StringComparison.Ordinal);
        return $"""
            DO $rls$
            DECLARE t text;
            BEGIN
              FOREACH t IN ARRAY ARRAY[{quoted}]::text[] LOOP
                IF to_regclass(quote_ident(t)) IS NULL THEN CONTINUE; END IF;
                IF NOT (SELECT relrowsecurity AND relforcerowsecurity FROM pg_class WHERE oid = quote_ident(t)::regclass) THEN
                  EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY', t);
                END IF;
                IF NOT EXISTS (SELECT 1 FROM pg_policy WHERE polrelid = quote_ident(t)::regclass AND polname = '{PolicyName}') THEN
                  EXECUTE format('CREATE POLICY {PolicyName} ON %I USING ({condition}) WITH CHECK ({condition})', t);
                END IF;
              END LOOP;
              -- The platform's own audit chain (rows without a tenant) is read by the jobs that work on it as the platform
              -- chain's tenant (the zero uuid: alert rules, alerts and aggregates of the platform live under it).
              IF to_regclass('agi_audit_logs') IS NOT NULL AND NOT EXISTS (SELECT 1 FROM pg_policy
                  WHERE polrelid = 'agi_audit_logs'::regclass AND polname = 'audit_platform_chain_read') THEN
                CREATE POLICY audit_platform_chain_read ON agi_audit_logs FOR SELECT
                  USING (tenant_id IS NULL AND current_setting('app.tenant_id', true) = '00000000-0000-0000-0000-000000000000');
              END IF;
              FOREACH t IN ARRAY ARRAY[{string.Join(", ", PlatformRowsReadable.Select(t => "'" + t + "'"))}]::text[] LOOP
                IF to_regclass(quote_ident(t)) IS NULL THEN CONTINUE; END IF;
                IF NOT EXISTS (SELECT 1 FROM pg_policy WHERE polrelid = quote_ident(t)::regclass AND polname = 'platform_rows_readable') THEN
                  EXECUTE format('CREATE POLICY platform_rows_readable ON %I FOR SELECT USING (tenant_id IS NULL)', t);
                END IF;
              END LOOP;
            END $rls$;
            """;
    }

    /// <summary>What <see cref="EnsureAsync"/> found and did.</summary>
    public sealed record Report(IReadOnlyList<string> Covered, IReadOnlyList<string> Uncovered, string? AppRole, string? Warning);

    /// <summary>
    /// Enables, forces and creates the policy on every tenant-owned table that lacks it, then grants <paramref name="appRole"/>
    /// (when it exists) its rights. Run as the tables' owner (the migrations role).
    /// </summary>
    public static async Task<Report> EnsureAsync(WeedGoDbContext db, string? appRole, CancellationToken ct = default)
    {
        var tables = TenantTables(db.Model);
        var sql = PolicySql(tables);
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            var connection = (NpgsqlConnection)db.Database.GetDbConnection();
            await ExecuteAsync(connection, sql, ct);
            string? warning = null;
            if (!string.IsNullOrWhiteSpace(appRole))
            {
                warning = await GrantAsync(connection, appRole, ct);
            }
            var uncovered = await UncoveredAsync(connection, ct);
            return new Report(tables, uncovered, appRole, warning);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>
    /// The runtime role's rights: read and write every table and sequence, except that audit rows may only be inserted and read
    /// (<c>agi_audit_logs</c>) and the migrations history only read. Null, or a sentence when the role is missing or unsafe.
    /// </summary>
    private static async Task<string?> GrantAsync(NpgsqlConnection connection, string appRole, CancellationToken ct)
    {
        await using (var check = new NpgsqlCommand(
                         "SELECT CASE WHEN rolname = current_user THEN 'owner' WHEN rolsuper OR rolbypassrls THEN 'bypass' ELSE 'ok' END FROM pg_roles WHERE rolname = $1",
                         connection))
        {
            check.Parameters.AddWithValue(appRole);
            switch (await check.ExecuteScalarAsync(ct) as string)
            {
                case "owner":
                    return $"The app connects as '{appRole}', the owner of the tables: row-level security still applies (FORCE), but the " +
                           "owner may update audit rows and change the schema. Set WeedGo:Database:AppRole to a separate role.";
                case null:
                    return $"The app's database role '{appRole}' does not exist, so it was granted nothing. Create it as a superuser " +
                           $"(CREATE ROLE {appRole} LOGIN PASSWORD '…' NOSUPERUSER NOBYPASSRLS; ./weedgo db up does) and migrate again.";
                case "bypass":
                    return $"The app's database role '{appRole}' is a superuser or has BYPASSRLS: row-level security does not apply to it. " +
                           $"ALTER ROLE {appRole} NOSUPERUSER NOBYPASSRLS.";
            }
        }
        var role = new NpgsqlCommandBuilder().QuoteIdentifier(appRole);
        await ExecuteAsync(connection, $"""
            GRANT USAGE ON SCHEMA public TO {role};
            GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role};
            GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role};
            REVOKE UPDATE, DELETE, TRUNCATE ON agi_audit_logs FROM {role};
            REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON __ef_migrations_history FROM {role};
            """, ct);
        return null;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, connection);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Tables with a <c>tenant_id</c> column that have no row-level security (enabled, forced and with a policy) and are
    /// not in <see cref="NotTenantOwned"/>.</summary>
    public static async Task<IReadOnlyList<string>> UncoveredAsync(NpgsqlConnection connection, CancellationToken ct = default)
    {
        var found = new List<string>();
        await using var cmd = new NpgsqlCommand("""
            SELECT c.relname FROM pg_class c
            JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = current_schema()
            WHERE c.relkind IN ('r', 'p')
              AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped)
              AND NOT (c.relrowsecurity AND c.relforcerowsecurity AND EXISTS (SELECT 1 FROM pg_policy p WHERE p.polrelid = c.oid))
            ORDER BY 1
            """, connection);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            found.Add(reader.GetString(0));
        }
        // The audit log is listed as not tenant-owned (its policies are its own) but must still have row-level security.
        return found.Where(t => !NotTenantOwned.ContainsKey(t) || t == "agi_audit_logs").ToList();
    }
}
