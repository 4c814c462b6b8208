using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

#pragma warning disable CA1814 // Prefer jagged arrays over multidimensional

namespace WeedGo.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class RateLimits : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "agi_rate_limit_rules",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: true),
                    name = table.Column<string>(type: "character varying(120)", maxLength: 120, nullable: false),
                    scope = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    target_kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    target = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    capacity = table.Column<int>(type: "integer", nullable: false),
                    tokens_per_period = table.Column<int>(type: "integer", nullable: false),
                    period_seconds = table.Column<int>(type: "integer", nullable: false),
                    burst = table.Column<int>(type: "integer", nullable: false),
                    priority = table.Column<int>(type: "integer", nullable: false),
                    enabled = table.Column<bool>(type: "boolean", nullable: false),
                    version = table.Column<int>(type: "integer", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_agi_rate_limit_rules", x => x.id);
                    table.CheckConstraint("ck_agi_rate_limit_rules_numbers", "capacity >= 1 AND tokens_per_period >= 1 AND period_seconds >= 1 AND burst >= 0");
                    table.ForeignKey(
                        name: "fk_agi_rate_limit_rules_tenants_tenant_id",
                        column: x => x.tenant_id,
                        principalTable: "tenants",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "agi_rate_limit_buckets",
                columns: table => new
                {
                    rule_id = table.Column<Guid>(type: "uuid", nullable: false),
                    key = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: true),
                    tokens = table.Column<double>(type: "double precision", nullable: false),
                    refilled_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    granted = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_agi_rate_limit_buckets", x => new { x.rule_id, x.key });
                    table.ForeignKey(
                        name: "fk_agi_rate_limit_buckets_rate_limit_rules_rule_id",
                        column: x => x.rule_id,
                        principalTable: "agi_rate_limit_rules",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "agi_rate_limit_violations",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: true),
                    rule_id = table.Column<Guid>(type: "uuid", nullable: true),
                    rule_name = table.Column<string>(type: "character varying(120)", maxLength: 120, nullable: false),
                    target_kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    target = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    key = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    user_id = table.Column<Guid>(type: "uuid", nullable: true),
                    ip = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    user_agent = table.Column<string>(type: "character varying(512)", maxLength: 512, nullable: true),
                    occurred_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    last_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    refusals = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_agi_rate_limit_violations", x => x.id);
                    table.ForeignKey(
                        name: "fk_agi_rate_limit_violations_agi_rate_limit_rules_rule_id",
                        column: x => x.rule_id,
                        principalTable: "agi_rate_limit_rules",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.InsertData(
                table: "agi_rate_limit_rules",
                columns: new[] { "id", "burst", "capacity", "created_at", "enabled", "name", "period_seconds", "priority", "scope", "target", "target_kind", "tenant_id", "tokens_per_period", "updated_at", "version" },
                values: new object[,]
                {
                    { new Guid("0199a8c0-0000-7000-8000-000000000001"), 20, 100, new DateTimeOffset(new DateTime(2026, 12, 1, 0, 0, 0, 0, DateTimeKind.Unspecified), new TimeSpan(0, 0, 0, 0, 0)), true, "API requests per person", 60, 100, "User", "/api", "Endpoint", null, 100, new DateTimeOffset(new DateTime(2026, 12, 1, 0, 0, 0, 0, DateTimeKind.Unspecified), new TimeSpan(0, 0, 0, 0, 0)), 1 },
                    { new Guid("0199a8c0-0000-7000-8000-000000000002"), 0, 500, new DateTimeOffset(new DateTime(2026, 12, 1, 0, 0, 0, 0, DateTimeKind.Unspecified), new TimeSpan(0, 0, 0, 0, 0)), true, "API requests per IP address", 60, 90, "Ip", "/api", "Endpoint", null, 500, new DateTimeOffset(new DateTime(2026, 12, 1, 0, 0, 0, 0, DateTimeKind.Unspecified), new TimeSpan(0, 0, 0, 0, 0)), 1 },
                    { new Guid("0199a8c0-0000-7000-8000-000000000003"), 0, 50, new DateTimeOffset(new DateTime(2026, 12, 1, 0, 0, 0, 0, DateTimeKind.Unspecified), new TimeSpan(0, 0, 0, 0, 0)), true, "AI assistant calls per person", 3600, 100, "User", "chat", "Operation", null, 50, new DateTimeOffset(new DateTime(2026, 12, 1, 0, 0, 0, 0, DateTimeKind.Unspecified), new TimeSpan(0, 0, 0, 0, 0)), 1 },
                    { new Guid("0199a8c0-0000-7000-8000-000000000004"), 0, 20, new DateTimeOffset(new DateTime(2026, 12, 1, 0, 0, 0, 0, DateTimeKind.Unspecified), new TimeSpan(0, 0, 0, 0, 0)), true, "One-time codes per IP address", 3600, 100, "Ip", "one-time-code", "Operation", null, 20, new DateTimeOffset(new DateTime(2026, 12, 1, 0, 0, 0, 0, DateTimeKind.Unspecified), new TimeSpan(0, 0, 0, 0, 0)), 1 },
                    { new Guid("0199a8c0-0000-7000-8000-000000000005"), 10, 30, new DateTimeOffset(new DateTime(2026, 12, 1, 0, 0, 0, 0, DateTimeKind.Unspecified), new TimeSpan(0, 0, 0, 0, 0)), true, "Sign-in attempts per IP address", 60, 100, "Ip", "sign-in", "Operation", null, 30, new DateTimeOffset(new DateTime(2026, 12, 1, 0, 0, 0, 0, DateTimeKind.Unspecified), new TimeSpan(0, 0, 0, 0, 0)), 1 },
                    { new Guid("0199a8c0-0000-7000-8000-000000000006"), 5, 10, new DateTimeOffset(new DateTime(2026, 12, 1, 0, 0, 0, 0, DateTimeKind.Unspecified), new TimeSpan(0, 0, 0, 0, 0)), true, "Checkouts per person", 60, 100, "User", "checkout", "Operation", null, 10, new DateTimeOffset(new DateTime(2026, 12, 1, 0, 0, 0, 0, DateTimeKind.Unspecified), new TimeSpan(0, 0, 0, 0, 0)), 1 },
                    { new Guid("0199a8c0-0000-7000-8000-000000000007"), 30, 60, new DateTimeOffset(new DateTime(2026, 12, 1, 0, 0, 0, 0, DateTimeKind.Unspecified), new TimeSpan(0, 0, 0, 0, 0)), true, "Searches per person", 60, 100, "User", "search", "Operation", null, 60, new DateTimeOffset(new DateTime(2026, 12, 1, 0, 0, 0, 0, DateTimeKind.Unspecified), new TimeSpan(0, 0, 0, 0, 0)), 1 }
                });

            migrationBuilder.CreateIndex(
                name: "ix_agi_rate_limit_buckets_refilled_at",
                table: "agi_rate_limit_buckets",
                column: "refilled_at");

            migrationBuilder.CreateIndex(
                name: "ix_agi_rate_limit_rules_tenant_id_target_kind_target",
                table: "agi_rate_limit_rules",
                columns: new[] { "tenant_id", "target_kind", "target" });

            migrationBuilder.CreateIndex(
                name: "ix_agi_rate_limit_violations_occurred_at",
                table: "agi_rate_limit_violations",
                column: "occurred_at");

            migrationBuilder.CreateIndex(
                name: "ix_agi_rate_limit_violations_rule_id",
                table: "agi_rate_limit_violations",
                column: "rule_id");

            migrationBuilder.CreateIndex(
                name: "ix_agi_rate_limit_violations_tenant_id_occurred_at",
                table: "agi_rate_limit_violations",
                columns: new[] { "tenant_id", "occurred_at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "agi_rate_limit_buckets");

            migrationBuilder.DropTable(
                name: "agi_rate_limit_violations");

            migrationBuilder.DropTable(
                name: "agi_rate_limit_rules");
        }
    }
}
