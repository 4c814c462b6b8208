using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace WeedGo.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class AuditLog : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "agi_audit_logs",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: true),
                    store_id = table.Column<Guid>(type: "uuid", nullable: true),
                    user_id = table.Column<Guid>(type: "uuid", nullable: true),
                    event_type = table.Column<string>(type: "character varying(80)", maxLength: 80, nullable: false),
                    severity = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    entity_type = table.Column<string>(type: "character varying(80)", maxLength: 80, nullable: true),
                    entity_key = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    action = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    changes = table.Column<string>(type: "jsonb", nullable: true),
                    details = table.Column<string>(type: "jsonb", nullable: true),
                    ip = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    user_agent = table.Column<string>(type: "character varying(512)", maxLength: 512, nullable: true),
                    correlation_id = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    occurred_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    chain = table.Column<Guid>(type: "uuid", nullable: false),
                    sequence = table.Column<long>(type: "bigint", nullable: true),
                    previous_hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_agi_audit_logs", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_agi_audit_logs_chain_sequence",
                table: "agi_audit_logs",
                columns: new[] { "chain", "sequence" },
                unique: true,
                filter: "sequence IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_agi_audit_logs_tenant_id_occurred_at",
                table: "agi_audit_logs",
                columns: new[] { "tenant_id", "occurred_at" });

            // Tamper evidence. Rows are prepared on insert (chain = tenant or the zero uuid; chain fields cleared) and sealed at
            // COMMIT by a deferred constraint trigger: under pg_advisory_xact_lock(1097, hashtext(chain)) it reads the chain's
            // head and sets sequence, previous_hash and hash = sha256(previous_hash || agi_audit_canonical(row)). Sealing at
            // commit keeps the lock short and after every row lock the transaction takes (no lock-order deadlocks).
            // Rows are append-only: UPDATE (except that one sealing update), DELETE and TRUNCATE are refused.
            migrationBuilder.Sql(@"
CREATE FUNCTION agi_audit_canonical(r agi_audit_logs) RETURNS text LANGUAGE sql STABLE AS $$
SELECT concat_ws(E'\x1f', r.chain::text, coalesce(r.sequence::text, ''), r.id::text, coalesce(r.tenant_id::text, ''),
    coalesce(r.store_id::text, ''), coalesce(r.user_id::text, ''), r.event_type, r.severity, coalesce(r.entity_type, ''),
    coalesce(r.entity_key, ''), coalesce(r.action, ''), coalesce(r.changes::text, ''), coalesce(r.details::text, ''),
    coalesce(r.ip, ''), coalesce(r.user_agent, ''), coalesce(r.correlation_id, ''),
    to_char(r.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD""T""HH24:MI:SS.US""Z""'))
$$;

CREATE FUNCTION agi_audit_logs_prepare() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.chain := coalesce(NEW.tenant_id, '00000000-0000-0000-0000-000000000000'::uuid);
    NEW.sequence := NULL;
    NEW.previous_hash := NULL;
    NEW.hash := NULL;
    RETURN NEW;
END $$;
CREATE TRIGGER agi_audit_logs_prepare BEFORE INSERT ON agi_audit_logs
    FOR EACH ROW EXECUTE FUNCTION agi_audit_logs_prepare();

CREATE FUNCTION agi_audit_logs_seal() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    r agi_audit_logs := NEW;
    head_seq bigint;
    head_hash text;
BEGIN
    PERFORM pg_advisory_xact_lock(1097, hashtext(r.chain::text));
    SELECT a.sequence, a.hash INTO head_seq, head_hash FROM agi_audit_logs a
        WHERE a.chain = r.chain AND a.sequence IS NOT NULL ORDER BY a.sequence DESC LIMIT 1;
    r.sequence := coalesce(head_seq, 0) + 1;
    r.previous_hash := head_hash;
    r.hash := encode(sha256(convert_to(coalesce(head_hash, '') || agi_audit_canonical(r), 'UTF8')), 'hex');
    UPDATE agi_audit_logs SET sequence = r.sequence, previous_hash = r.previous_hash, hash = r.hash WHERE id = r.id;
    RETURN NULL;
END $$;
CREATE CONSTRAINT TRIGGER agi_audit_logs_seal AFTER INSERT ON agi_audit_logs
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION agi_audit_logs_seal();

CREATE FUNCTION agi_audit_logs_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    o agi_audit_logs := OLD;
    n agi_audit_logs := NEW;
BEGIN
    IF TG_OP = 'UPDATE' THEN
        n.sequence := NULL;
        n.previous_hash := NULL;
        n.hash := NULL;
        -- Only the sealing trigger (depth > 1) may fill the chain fields of an unsealed row, and change nothing else.
        IF OLD.hash IS NULL AND pg_trigger_depth() > 1 AND n IS NOT DISTINCT FROM o THEN
            RETURN NEW;
        END IF;
    END IF;
    RAISE EXCEPTION 'agi_audit_logs rows are immutable (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER agi_audit_logs_append_only BEFORE UPDATE OR DELETE ON agi_audit_logs
    FOR EACH ROW EXECUTE FUNCTION agi_audit_logs_is_append_only();
CREATE TRIGGER agi_audit_logs_no_truncate BEFORE TRUNCATE ON agi_audit_logs
    FOR EACH STATEMENT EXECUTE FUNCTION agi_audit_logs_is_append_only();");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(@"DROP TABLE IF EXISTS agi_audit_logs CASCADE;
DROP FUNCTION IF EXISTS agi_audit_logs_is_append_only(); DROP FUNCTION IF EXISTS agi_audit_logs_seal();
DROP FUNCTION IF EXISTS agi_audit_logs_prepare();");
        }
    }
}
