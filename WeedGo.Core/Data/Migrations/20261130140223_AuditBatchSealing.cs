using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace WeedGo.Core.Data.Migrations
{
    /// <summary>
    /// Audit rows are sealed into their chain in batches, off the writers' path, instead of one by one at each writer's commit.
    /// Before, every transaction that wrote an audit row ran a deferred trigger at COMMIT that took the chain's advisory lock,
    /// read the head and updated the row: concurrent writers of one tenant queued on that lock. Now a writer only inserts its
    /// row (unsealed: <c>sequence</c>, <c>previous_hash</c> and <c>hash</c> null; <c>written</c>, a new identity column, records
    /// the order rows were written in), and <c>agi_audit_seal(chain, max_rows)</c> seals committed rows in that order under
    /// the same per-chain lock, called by the app's sealing worker every second and by every reader that needs the newest rows
    /// (alert evaluator, aggregator, verifier, export). The chain, hash rule and canonical text are unchanged, so chains
    /// sealed before stay valid and continue. Only that function may fill the chain fields: the append-only trigger now
    /// recognises it by a transaction-local flag it sets (the app's role has no UPDATE right on audit rows at all).
    /// </summary>
    public partial class AuditBatchSealing : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(@"
DROP TRIGGER IF EXISTS agi_audit_logs_seal ON agi_audit_logs;
DROP FUNCTION IF EXISTS agi_audit_logs_seal();

ALTER TABLE agi_audit_logs ADD COLUMN written bigint GENERATED ALWAYS AS IDENTITY;
CREATE INDEX ix_agi_audit_logs_unsealed ON agi_audit_logs (chain, written) WHERE sequence IS NULL;

CREATE FUNCTION agi_audit_seal(only_chain uuid DEFAULT NULL, max_rows integer DEFAULT 5000) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    scope text := current_setting('app.all_tenants', true);
    ch uuid;
    r agi_audit_logs;
    head_seq bigint;
    head_hash text;
    done integer := 0;
BEGIN
    -- A chain may hold rows of any scope (a tenant's chain is written by anonymous sign-ins too): seal in the platform scope,
    -- then give the transaction its own scope back. Chains are locked in uuid order, so two sealers never deadlock.
    PERFORM set_config('app.all_tenants', 'on', true);
    PERFORM set_config('app.audit_sealing', 'on', true);
    FOR ch IN SELECT DISTINCT a.chain FROM agi_audit_logs a
              WHERE a.sequence IS NULL AND (only_chain IS NULL OR a.chain = only_chain) ORDER BY 1 LOOP
        EXIT WHEN done >= max_rows;
        PERFORM pg_advisory_xact_lock(1097, hashtext(ch::text));
        -- Read after the lock: rows another sealer sealed before releasing it are seen as sealed.
        SELECT a.sequence, a.hash INTO head_seq, head_hash FROM agi_audit_logs a
            WHERE a.chain = ch AND a.sequence IS NOT NULL ORDER BY a.sequence DESC LIMIT 1;
        head_seq := coalesce(head_seq, 0);
        FOR r IN SELECT * FROM agi_audit_logs a WHERE a.chain = ch AND a.sequence IS NULL ORDER BY a.written LIMIT max_rows - done LOOP
            head_seq := head_seq + 1;
            r.sequence := head_seq;
            r.previous_hash := head_hash;
            r.hash := encode(sha256(convert_to(coalesce(head_hash, '') || agi_audit_canonical(r), 'UTF8')), 'hex');
            UPDATE agi_audit_logs SET sequence = r.sequence, previous_hash = r.previous_hash, hash = r.hash WHERE id = r.id;
            head_hash := r.hash;
            done := done + 1;
        END LOOP;
    END LOOP;
    PERFORM set_config('app.audit_sealing', '', true);
    PERFORM set_config('app.all_tenants', coalesce(scope, ''), true);
    RETURN done;
END $$;

CREATE OR REPLACE FUNCTION agi_audit_logs_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    o agi_audit_logs := OLD;
    n agi_audit_logs := NEW;
BEGIN
    IF TG_OP = 'UPDATE' THEN
        n.sequence := NULL;
        n.previous_hash := NULL;
        n.hash := NULL;
        -- Only agi_audit_seal may fill the chain fields of an unsealed row, and change nothing else.
        IF OLD.hash IS NULL AND current_setting('app.audit_sealing', true) = 'on' AND n IS NOT DISTINCT FROM o THEN
            RETURN NEW;
        END IF;
    END IF;
    RAISE EXCEPTION 'agi_audit_logs rows are immutable (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
END $$;

-- Whatever was written under the old trigger is sealed already; seal anything left over now.
SELECT agi_audit_seal(NULL, 2147483647);");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(@"
SELECT agi_audit_seal(NULL, 2147483647);
DROP FUNCTION IF EXISTS agi_audit_seal(uuid, integer);
DROP INDEX IF EXISTS ix_agi_audit_logs_unsealed;
ALTER TABLE agi_audit_logs DROP COLUMN IF EXISTS written;

CREATE OR REPLACE FUNCTION agi_audit_logs_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    o agi_audit_logs := OLD;
    n agi_audit_logs := NEW;
BEGIN
    IF TG_OP = 'UPDATE' THEN
        n.sequence := NULL;
        n.previous_hash := NULL;
        n.hash := NULL;
        IF OLD.hash IS NULL AND pg_trigger_depth() > 1 AND n IS NOT DISTINCT FROM o THEN
            RETURN NEW;
        END IF;
    END IF;
    RAISE EXCEPTION 'agi_audit_logs rows are immutable (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
END $$;

CREATE FUNCTION agi_audit_logs_seal() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    r agi_audit_logs := NEW;
    head_seq bigint;
    head_hash text;
    scope text := current_setting('app.all_tenants', true);
BEGIN
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
END $$;
CREATE CONSTRAINT TRIGGER agi_audit_logs_seal AFTER INSERT ON agi_audit_logs
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION agi_audit_logs_seal();");
        }
    }
}
