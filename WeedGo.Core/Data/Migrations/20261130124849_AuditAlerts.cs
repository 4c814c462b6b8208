using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace WeedGo.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class AuditAlerts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "agi_audit_aggregates",
                columns: table => new
                {
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    period = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    bucket_start = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    event_type = table.Column<string>(type: "character varying(80)", maxLength: 80, nullable: false),
                    severity = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    count = table.Column<long>(type: "bigint", nullable: false),
                    unique_users = table.Column<int>(type: "integer", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_agi_audit_aggregates", x => new { x.tenant_id, x.period, x.bucket_start, x.event_type, x.severity });
                });

            migrationBuilder.CreateTable(
                name: "agi_audit_alert_rules",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    key = table.Column<string>(type: "character varying(60)", maxLength: 60, nullable: false),
                    name = table.Column<string>(type: "character varying(120)", maxLength: 120, nullable: false),
                    event_types = table.Column<List<string>>(type: "text[]", nullable: false),
                    min_severity = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    threshold = table.Column<int>(type: "integer", nullable: false),
                    window_seconds = table.Column<int>(type: "integer", nullable: false),
                    severity = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    group_by = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    enabled = table.Column<bool>(type: "boolean", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_agi_audit_alert_rules", x => x.id);
                    table.CheckConstraint("ck_agi_audit_alert_rules_threshold", "threshold >= 1");
                    table.CheckConstraint("ck_agi_audit_alert_rules_window", "window_seconds BETWEEN 1 AND 604800");
                });

            migrationBuilder.CreateTable(
                name: "agi_audit_cursors",
                columns: table => new
                {
                    consumer = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    chain = table.Column<Guid>(type: "uuid", nullable: false),
                    last_sequence = table.Column<long>(type: "bigint", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_agi_audit_cursors", x => new { x.consumer, x.chain });
                });

            migrationBuilder.CreateTable(
                name: "agi_audit_alerts",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    rule_id = table.Column<Guid>(type: "uuid", nullable: false),
                    rule_name = table.Column<string>(type: "character varying(120)", maxLength: 120, nullable: false),
                    severity = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    group_by = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    group_key = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    group_label = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    message = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    threshold = table.Column<int>(type: "integer", nullable: false),
                    window_seconds = table.Column<int>(type: "integer", nullable: false),
                    count = table.Column<int>(type: "integer", nullable: false),
                    first_seen_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    triggered_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    last_seen_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    trigger_event_id = table.Column<Guid>(type: "uuid", nullable: false),
                    last_event_id = table.Column<Guid>(type: "uuid", nullable: false),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    acknowledged_by = table.Column<Guid>(type: "uuid", nullable: true),
                    acknowledged_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    acknowledge_note = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    resolved_by = table.Column<Guid>(type: "uuid", nullable: true),
                    resolved_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    resolve_note = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_agi_audit_alerts", x => x.id);
                    table.ForeignKey(
                        name: "fk_agi_audit_alerts_alert_rules_rule_id",
                        column: x => x.rule_id,
                        principalTable: "agi_audit_alert_rules",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_agi_audit_alert_rules_tenant_id_key",
                table: "agi_audit_alert_rules",
                columns: new[] { "tenant_id", "key" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_agi_audit_alerts_rule_id",
                table: "agi_audit_alerts",
                column: "rule_id");

            migrationBuilder.CreateIndex(
                name: "ix_agi_audit_alerts_tenant_id_rule_id_group_key",
                table: "agi_audit_alerts",
                columns: new[] { "tenant_id", "rule_id", "group_key" },
                unique: true,
                filter: "status <> 'Resolved'");

            migrationBuilder.CreateIndex(
                name: "ix_agi_audit_alerts_tenant_id_status_triggered_at",
                table: "agi_audit_alerts",
                columns: new[] { "tenant_id", "status", "triggered_at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "agi_audit_aggregates");

            migrationBuilder.DropTable(
                name: "agi_audit_alerts");

            migrationBuilder.DropTable(
                name: "agi_audit_cursors");

            migrationBuilder.DropTable(
                name: "agi_audit_alert_rules");
        }
    }
}
