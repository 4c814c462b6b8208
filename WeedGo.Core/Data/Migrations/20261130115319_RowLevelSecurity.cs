using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace WeedGo.Core.Data.Migrations
{
    /// <summary>
    /// Row-level security. Tenant-owned tables get ENABLE + FORCE and the <c>tenant_isolation</c> policy (the tables of today
    /// here, for anyone who runs <c>dotnet ef database update</c>; every later one through <see cref="Data.RowLevelSecurity.EnsureAsync"/>,
    /// which runs after every migration). The audit log gets its own policies: a chain is read by its tenant or in the platform
    /// scope, any scope may append (an anonymous failed sign-in lands in the account's tenant chain), and only the sealing
    /// trigger updates — it now runs as the table's owner (SECURITY DEFINER, in the platform scope for its own duration), so the
    /// app's role needs, and gets, no UPDATE right on audit rows.
    /// </summary>
    public partial class RowLevelSecurity : Migration
    {
        private static readonly string[] TenantTables =
        [
            "asn_shipment_lines", "asn_shipments", "cart_lines", "carts", "catalog_search_terms", "checkout_holds", "checkouts",
            "deliveries", "delivery_zones", "driver_positions", "driver_shifts", "ocs_inventory", "ocs_inventory_batches",
            "ocs_product_catalog", "order_lines", "order_status_history", "orders", "payment_transactions",
            "promotion_customer_counts", "promotion_usages", "promotions", "staff_memberships", "stock_ledger", "stores", "wishlist",
        ];

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(Data.RowLevelSecurity.PolicySql(TenantTables));
            migrationBuilder.Sql(@"
ALTER TABLE agi_audit_logs ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
CREATE POLICY audit_read ON agi_audit_logs FOR SELECT
    USING (current_setting('app.all_tenants', true) = 'on' OR tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);
CREATE POLICY audit_append ON agi_audit_logs FOR INSERT WITH CHECK (true);
CREATE POLICY audit_seal ON agi_audit_logs FOR UPDATE USING (current_setting('app.all_tenants', true) = 'on');
CREATE OR REPLACE FUNCTION agi_audit_logs_seal() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    r agi_audit_logs := NEW;
    head_seq bigint;
    head_hash text;
    scope text := current_setting('app.all_tenants', true);
BEGIN
    -- The chain's head may belong to any scope (a tenant's chain is written by anonymous sign-ins too): read and seal it in the
    -- platform scope, then give the transaction its own scope back.
    PERFORM set_config('app.all_tenants', 'on', true);
    PERFORM pg_advisory_xact_lock(1097, hashtext(r.chain::text));
    SELECT a.sequence, a.hash INTO head_seq, head_hash FROM agi_audit_logs a
        WHERE a.chain = r.chain AND a.sequence IS NOT NULL ORDER BY a.sequence DESC LIMIT 1;
    r.sequence := coalesce(head_seq, 0) + 1;
    r.previous_hash := head_hash;
    r.hash := encode(sha256(convert_to(coalesce(head_hash, '') || agi_audit_canonical(r), 'UTF8')), 'hex');
    UPDATE agi_audit_logs SET sequence = r.sequence, previous_hash = r.previous_hash, hash = r.hash WHERE id = r.id;
    PERFORM set_config('app.all_tenants', coalesce(scope, ''), true);
    RETURN NULL;
END $$;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(@"
ALTER FUNCTION agi_audit_logs_seal() SECURITY INVOKER RESET ALL;
-- (the body keeps its scope switch, harmless without row-level security)
DROP POLICY IF EXISTS audit_seal ON agi_audit_logs;
DROP POLICY IF EXISTS audit_append ON agi_audit_logs;
DROP POLICY IF EXISTS audit_read ON agi_audit_logs;
ALTER TABLE agi_audit_logs NO FORCE ROW LEVEL SECURITY, DISABLE ROW LEVEL SECURITY;");
            foreach (var table in TenantTables)
            {
                migrationBuilder.Sql($"DROP POLICY IF EXISTS {Data.RowLevelSecurity.PolicyName} ON {table}; " +
                                     $"ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY, DISABLE ROW LEVEL SECURITY;");
            }
        }
    }
}
