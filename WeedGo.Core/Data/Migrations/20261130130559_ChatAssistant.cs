using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace WeedGo.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class ChatAssistant : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "ai_customer_memories",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    user_id = table.Column<Guid>(type: "uuid", nullable: false),
                    text = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    store_id = table.Column<Guid>(type: "uuid", nullable: true),
                    conversation_id = table.Column<Guid>(type: "uuid", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_ai_customer_memories", x => x.id);
                    table.ForeignKey(
                        name: "fk_ai_customer_memories_asp_net_users_user_id",
                        column: x => x.user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_ai_customer_memories_stores_store_id",
                        column: x => x.store_id,
                        principalTable: "stores",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "ai_personalities",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(80)", maxLength: 80, nullable: false),
                    avatar = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    tone = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    greeting = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    system_prompt = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    language = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    quick_replies = table.Column<List<string>>(type: "text[]", nullable: false),
                    built_in = table.Column<bool>(type: "boolean", nullable: false),
                    built_in_key = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_ai_personalities", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "ai_usage",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    store_id = table.Column<Guid>(type: "uuid", nullable: false),
                    conversation_id = table.Column<Guid>(type: "uuid", nullable: true),
                    user_id = table.Column<Guid>(type: "uuid", nullable: true),
                    provider = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    model = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    input_tokens = table.Column<int>(type: "integer", nullable: false),
                    output_tokens = table.Column<int>(type: "integer", nullable: false),
                    cost = table.Column<decimal>(type: "numeric(12,6)", precision: 12, scale: 6, nullable: false),
                    latency_ms = table.Column<int>(type: "integer", nullable: false),
                    cached = table.Column<bool>(type: "boolean", nullable: false),
                    answered = table.Column<bool>(type: "boolean", nullable: false),
                    blocked = table.Column<bool>(type: "boolean", nullable: false),
                    fell_back = table.Column<bool>(type: "boolean", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_ai_usage", x => x.id);
                    table.CheckConstraint("ck_ai_usage_figures", "input_tokens >= 0 AND output_tokens >= 0 AND cost >= 0 AND latency_ms >= 0");
                    table.ForeignKey(
                        name: "fk_ai_usage_stores_store_id",
                        column: x => x.store_id,
                        principalTable: "stores",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "ai_store_settings",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    store_id = table.Column<Guid>(type: "uuid", nullable: false),
                    enabled = table.Column<bool>(type: "boolean", nullable: false),
                    personality_id = table.Column<Guid>(type: "uuid", nullable: true),
                    provider = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    base_url = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    model = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    api_key_name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    temperature = table.Column<decimal>(type: "numeric(3,2)", precision: 3, scale: 2, nullable: false),
                    max_tokens = table.Column<int>(type: "integer", nullable: false),
                    monthly_budget = table.Column<decimal>(type: "numeric(12,2)", precision: 12, scale: 2, nullable: true),
                    hand_off_after_unanswered = table.Column<int>(type: "integer", nullable: true),
                    hand_off_keywords = table.Column<List<string>>(type: "text[]", nullable: false),
                    hand_off_when_budget_exhausted = table.Column<bool>(type: "boolean", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_ai_store_settings", x => x.id);
                    table.CheckConstraint("ck_ai_store_settings_budget", "monthly_budget IS NULL OR monthly_budget >= 0");
                    table.CheckConstraint("ck_ai_store_settings_max_tokens", "max_tokens BETWEEN 50 AND 8000");
                    table.CheckConstraint("ck_ai_store_settings_temperature", "temperature >= 0 AND temperature <= 2");
                    table.ForeignKey(
                        name: "fk_ai_store_settings_ai_personalities_personality_id",
                        column: x => x.personality_id,
                        principalTable: "ai_personalities",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "fk_ai_store_settings_stores_store_id",
                        column: x => x.store_id,
                        principalTable: "stores",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_ai_customer_memories_store_id",
                table: "ai_customer_memories",
                column: "store_id");

            migrationBuilder.CreateIndex(
                name: "ix_ai_customer_memories_tenant_id_user_id_created_at",
                table: "ai_customer_memories",
                columns: new[] { "tenant_id", "user_id", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_ai_customer_memories_user_id",
                table: "ai_customer_memories",
                column: "user_id");

            migrationBuilder.CreateIndex(
                name: "ix_ai_personalities_tenant_id_built_in_key",
                table: "ai_personalities",
                columns: new[] { "tenant_id", "built_in_key" },
                unique: true,
                filter: "built_in_key IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_ai_personalities_tenant_id_name",
                table: "ai_personalities",
                columns: new[] { "tenant_id", "name" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_ai_store_settings_personality_id",
                table: "ai_store_settings",
                column: "personality_id");

            migrationBuilder.CreateIndex(
                name: "ix_ai_store_settings_store_id",
                table: "ai_store_settings",
                column: "store_id");

            migrationBuilder.CreateIndex(
                name: "ix_ai_store_settings_tenant_id_store_id",
                table: "ai_store_settings",
                columns: new[] { "tenant_id", "store_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_ai_usage_store_id",
                table: "ai_usage",
                column: "store_id");

            migrationBuilder.CreateIndex(
                name: "ix_ai_usage_tenant_id_conversation_id_created_at",
                table: "ai_usage",
                columns: new[] { "tenant_id", "conversation_id", "created_at" },
                filter: "conversation_id IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_ai_usage_tenant_id_store_id_created_at",
                table: "ai_usage",
                columns: new[] { "tenant_id", "store_id", "created_at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ai_customer_memories");

            migrationBuilder.DropTable(
                name: "ai_store_settings");

            migrationBuilder.DropTable(
                name: "ai_usage");

            migrationBuilder.DropTable(
                name: "ai_personalities");
        }
    }
}
