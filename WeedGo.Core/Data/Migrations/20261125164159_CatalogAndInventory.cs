using System;
using Microsoft.EntityFrameworkCore.Migrations;
using NpgsqlTypes;

#nullable disable

namespace WeedGo.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class CatalogAndInventory : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "asn_shipments",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    store_id = table.Column<Guid>(type: "uuid", nullable: false),
                    shipment_number = table.Column<string>(type: "character varying(80)", maxLength: 80, nullable: false),
                    status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    imported_by = table.Column<Guid>(type: "uuid", nullable: true),
                    received_by = table.Column<Guid>(type: "uuid", nullable: true),
                    received_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    file_name = table.Column<string>(type: "character varying(260)", maxLength: 260, nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_asn_shipments", x => x.id);
                    table.ForeignKey(
                        name: "fk_asn_shipments_stores_store_id",
                        column: x => x.store_id,
                        principalTable: "stores",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "ocs_product_catalog",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    sku = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    sku_key = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    ocs_item_number = table.Column<string>(type: "text", nullable: true),
                    gtin = table.Column<string>(type: "character varying(14)", maxLength: 14, nullable: true),
                    category = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    sub_category = table.Column<string>(type: "text", nullable: true),
                    sub_sub_category = table.Column<string>(type: "text", nullable: true),
                    product_name = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    brand = table.Column<string>(type: "text", nullable: true),
                    supplier_name = table.Column<string>(type: "text", nullable: true),
                    street_name = table.Column<string>(type: "text", nullable: true),
                    short_description = table.Column<string>(type: "text", nullable: true),
                    long_description = table.Column<string>(type: "text", nullable: true),
                    image_url = table.Column<string>(type: "text", nullable: true),
                    size = table.Column<string>(type: "text", nullable: true),
                    colour = table.Column<string>(type: "text", nullable: true),
                    unit_of_measure = table.Column<string>(type: "text", nullable: true),
                    pack_size = table.Column<string>(type: "text", nullable: true),
                    items_per_retail_pack = table.Column<int>(type: "integer", nullable: true),
                    net_weight = table.Column<decimal>(type: "numeric", nullable: true),
                    eaches_per_inner_pack = table.Column<int>(type: "integer", nullable: true),
                    eaches_per_master_case = table.Column<int>(type: "integer", nullable: true),
                    physical_width = table.Column<decimal>(type: "numeric", nullable: true),
                    physical_height = table.Column<decimal>(type: "numeric", nullable: true),
                    physical_depth = table.Column<decimal>(type: "numeric", nullable: true),
                    physical_volume = table.Column<decimal>(type: "numeric", nullable: true),
                    physical_weight = table.Column<decimal>(type: "numeric", nullable: true),
                    unit_price = table.Column<decimal>(type: "numeric(12,2)", precision: 12, scale: 2, nullable: true),
                    stock_status = table.Column<string>(type: "text", nullable: true),
                    inventory_status = table.Column<string>(type: "text", nullable: true),
                    thc_min = table.Column<decimal>(type: "numeric", nullable: true),
                    thc_max = table.Column<decimal>(type: "numeric", nullable: true),
                    thc_per_unit = table.Column<decimal>(type: "numeric", nullable: true),
                    thc_per_volume = table.Column<decimal>(type: "numeric", nullable: true),
                    cbd_min = table.Column<decimal>(type: "numeric", nullable: true),
                    cbd_max = table.Column<decimal>(type: "numeric", nullable: true),
                    cbd_per_unit = table.Column<decimal>(type: "numeric", nullable: true),
                    cbd_per_volume = table.Column<decimal>(type: "numeric", nullable: true),
                    dried_flower_equivalency = table.Column<decimal>(type: "numeric(12,4)", precision: 12, scale: 4, nullable: false),
                    equivalency_derived = table.Column<bool>(type: "boolean", nullable: false),
                    plant_type = table.Column<string>(type: "text", nullable: true),
                    strain_type = table.Column<string>(type: "text", nullable: true),
                    terpenes = table.Column<string>(type: "text", nullable: true),
                    growing_method = table.Column<string>(type: "text", nullable: true),
                    grow_medium = table.Column<string>(type: "text", nullable: true),
                    grow_method = table.Column<string>(type: "text", nullable: true),
                    grow_region = table.Column<string>(type: "text", nullable: true),
                    drying_method = table.Column<string>(type: "text", nullable: true),
                    trimming_method = table.Column<string>(type: "text", nullable: true),
                    extraction_process = table.Column<string>(type: "text", nullable: true),
                    carrier_oil = table.Column<string>(type: "text", nullable: true),
                    heating_element_type = table.Column<string>(type: "text", nullable: true),
                    battery_type = table.Column<string>(type: "text", nullable: true),
                    rechargeable_battery = table.Column<bool>(type: "boolean", nullable: true),
                    removable_battery = table.Column<bool>(type: "boolean", nullable: true),
                    replacement_parts_available = table.Column<bool>(type: "boolean", nullable: true),
                    temperature_control = table.Column<bool>(type: "boolean", nullable: true),
                    temperature_display = table.Column<bool>(type: "boolean", nullable: true),
                    compatibility = table.Column<string>(type: "text", nullable: true),
                    storage_criteria = table.Column<string>(type: "text", nullable: true),
                    food_allergens = table.Column<string>(type: "text", nullable: true),
                    ingredients = table.Column<string>(type: "text", nullable: true),
                    ontario_grown = table.Column<bool>(type: "boolean", nullable: false),
                    craft = table.Column<bool>(type: "boolean", nullable: false),
                    fulfilment_method = table.Column<string>(type: "text", nullable: true),
                    delivery_tier = table.Column<string>(type: "text", nullable: true),
                    is_cannabis = table.Column<bool>(type: "boolean", nullable: false),
                    content_hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    search_vector = table.Column<NpgsqlTsVector>(type: "tsvector", nullable: false)
                        .Annotation("Npgsql:TsVectorConfig", "simple")
                        .Annotation("Npgsql:TsVectorProperties", new[] { "product_name", "brand", "terpenes" }),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_ocs_product_catalog", x => x.id);
                    table.CheckConstraint("ck_ocs_product_catalog_equivalency", "dried_flower_equivalency >= 0");
                });

            migrationBuilder.CreateTable(
                name: "asn_shipment_lines",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    shipment_id = table.Column<Guid>(type: "uuid", nullable: false),
                    line_number = table.Column<int>(type: "integer", nullable: false),
                    container_id = table.Column<string>(type: "text", nullable: true),
                    sku = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    product_id = table.Column<Guid>(type: "uuid", nullable: true),
                    item_name = table.Column<string>(type: "text", nullable: true),
                    vendor = table.Column<string>(type: "text", nullable: true),
                    brand = table.Column<string>(type: "text", nullable: true),
                    case_gtin = table.Column<string>(type: "text", nullable: true),
                    packaged_on = table.Column<DateTime>(type: "timestamp without time zone", nullable: true),
                    batch_lot = table.Column<string>(type: "character varying(80)", maxLength: 80, nullable: false),
                    gtin_barcode = table.Column<string>(type: "text", nullable: true),
                    each_gtin = table.Column<string>(type: "text", nullable: true),
                    shipped_quantity = table.Column<int>(type: "integer", nullable: false),
                    uom = table.Column<string>(type: "text", nullable: true),
                    uom_conversion = table.Column<string>(type: "text", nullable: true),
                    uom_conversion_quantity = table.Column<int>(type: "integer", nullable: true),
                    unit_price = table.Column<decimal>(type: "numeric(12,4)", precision: 12, scale: 4, nullable: true),
                    received_quantity = table.Column<int>(type: "integer", nullable: true),
                    discrepancy = table.Column<int>(type: "integer", nullable: true),
                    discrepancy_note = table.Column<string>(type: "text", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_asn_shipment_lines", x => x.id);
                    table.ForeignKey(
                        name: "fk_asn_shipment_lines_asn_shipments_shipment_id",
                        column: x => x.shipment_id,
                        principalTable: "asn_shipments",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "ocs_inventory",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    store_id = table.Column<Guid>(type: "uuid", nullable: false),
                    product_id = table.Column<Guid>(type: "uuid", nullable: false),
                    on_hand = table.Column<int>(type: "integer", nullable: false),
                    reserved = table.Column<int>(type: "integer", nullable: false),
                    available = table.Column<int>(type: "integer", nullable: false, computedColumnSql: "on_hand - reserved", stored: true),
                    reorder_point = table.Column<int>(type: "integer", nullable: false),
                    retail_price_override = table.Column<decimal>(type: "numeric(12,2)", precision: 12, scale: 2, nullable: true),
                    unit_cost = table.Column<decimal>(type: "numeric(12,4)", precision: 12, scale: 4, nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_ocs_inventory", x => x.id);
                    table.CheckConstraint("ck_ocs_inventory_available", "on_hand - reserved >= 0");
                    table.CheckConstraint("ck_ocs_inventory_reorder_point", "reorder_point >= 0");
                    table.CheckConstraint("ck_ocs_inventory_reserved", "reserved >= 0");
                    table.ForeignKey(
                        name: "fk_ocs_inventory_ocs_product_catalog_product_id",
                        column: x => x.product_id,
                        principalTable: "ocs_product_catalog",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_ocs_inventory_stores_store_id",
                        column: x => x.store_id,
                        principalTable: "stores",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "ocs_inventory_batches",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    store_id = table.Column<Guid>(type: "uuid", nullable: false),
                    product_id = table.Column<Guid>(type: "uuid", nullable: false),
                    batch_lot = table.Column<string>(type: "character varying(80)", maxLength: 80, nullable: false),
                    packaged_on = table.Column<DateTime>(type: "timestamp without time zone", nullable: true),
                    received_quantity = table.Column<int>(type: "integer", nullable: false),
                    remaining_quantity = table.Column<int>(type: "integer", nullable: false),
                    unit_cost = table.Column<decimal>(type: "numeric(12,4)", precision: 12, scale: 4, nullable: true),
                    case_gtin = table.Column<string>(type: "character varying(14)", maxLength: 14, nullable: true),
                    each_gtin = table.Column<string>(type: "character varying(14)", maxLength: 14, nullable: true),
                    shipment_id = table.Column<Guid>(type: "uuid", nullable: true),
                    received_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_ocs_inventory_batches", x => x.id);
                    table.CheckConstraint("ck_ocs_inventory_batches_received", "received_quantity >= 0");
                    table.CheckConstraint("ck_ocs_inventory_batches_remaining", "remaining_quantity >= 0");
                    table.ForeignKey(
                        name: "fk_ocs_inventory_batches_ocs_product_catalog_product_id",
                        column: x => x.product_id,
                        principalTable: "ocs_product_catalog",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_ocs_inventory_batches_stores_store_id",
                        column: x => x.store_id,
                        principalTable: "stores",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "stock_ledger",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    store_id = table.Column<Guid>(type: "uuid", nullable: false),
                    product_id = table.Column<Guid>(type: "uuid", nullable: false),
                    batch_id = table.Column<Guid>(type: "uuid", nullable: true),
                    kind = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    reason = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    on_hand_delta = table.Column<int>(type: "integer", nullable: false),
                    reserved_delta = table.Column<int>(type: "integer", nullable: false),
                    unit_cost = table.Column<decimal>(type: "numeric(12,4)", precision: 12, scale: 4, nullable: true),
                    user_id = table.Column<Guid>(type: "uuid", nullable: true),
                    reference = table.Column<string>(type: "character varying(120)", maxLength: 120, nullable: true),
                    note = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    occurred_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_stock_ledger", x => x.id);
                    table.ForeignKey(
                        name: "fk_stock_ledger_ocs_inventory_batches_batch_id",
                        column: x => x.batch_id,
                        principalTable: "ocs_inventory_batches",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_stock_ledger_ocs_product_catalog_product_id",
                        column: x => x.product_id,
                        principalTable: "ocs_product_catalog",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_stock_ledger_stores_store_id",
                        column: x => x.store_id,
                        principalTable: "stores",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_asn_shipment_lines_shipment_id",
                table: "asn_shipment_lines",
                column: "shipment_id");

            migrationBuilder.CreateIndex(
                name: "ix_asn_shipment_lines_tenant_id_shipment_id_line_number",
                table: "asn_shipment_lines",
                columns: new[] { "tenant_id", "shipment_id", "line_number" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_asn_shipments_store_id",
                table: "asn_shipments",
                column: "store_id");

            migrationBuilder.CreateIndex(
                name: "ix_asn_shipments_tenant_id_shipment_number",
                table: "asn_shipments",
                columns: new[] { "tenant_id", "shipment_number" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_ocs_inventory_product_id",
                table: "ocs_inventory",
                column: "product_id");

            migrationBuilder.CreateIndex(
                name: "ix_ocs_inventory_store_id",
                table: "ocs_inventory",
                column: "store_id");

            migrationBuilder.CreateIndex(
                name: "ix_ocs_inventory_tenant_id_store_id_available",
                table: "ocs_inventory",
                columns: new[] { "tenant_id", "store_id", "available" });

            migrationBuilder.CreateIndex(
                name: "ix_ocs_inventory_tenant_id_store_id_product_id",
                table: "ocs_inventory",
                columns: new[] { "tenant_id", "store_id", "product_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_ocs_inventory_batches_product_id",
                table: "ocs_inventory_batches",
                column: "product_id");

            migrationBuilder.CreateIndex(
                name: "ix_ocs_inventory_batches_store_id",
                table: "ocs_inventory_batches",
                column: "store_id");

            migrationBuilder.CreateIndex(
                name: "ix_ocs_inventory_batches_tenant_id_batch_lot",
                table: "ocs_inventory_batches",
                columns: new[] { "tenant_id", "batch_lot" });

            migrationBuilder.CreateIndex(
                name: "ix_ocs_inventory_batches_tenant_id_each_gtin",
                table: "ocs_inventory_batches",
                columns: new[] { "tenant_id", "each_gtin" });

            migrationBuilder.CreateIndex(
                name: "ix_ocs_inventory_batches_tenant_id_store_id_product_id_batch_l",
                table: "ocs_inventory_batches",
                columns: new[] { "tenant_id", "store_id", "product_id", "batch_lot" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_ocs_product_catalog_brand_trgm",
                table: "ocs_product_catalog",
                column: "brand")
                .Annotation("Npgsql:IndexMethod", "gin")
                .Annotation("Npgsql:IndexOperators", new[] { "gin_trgm_ops" });

            migrationBuilder.CreateIndex(
                name: "ix_ocs_product_catalog_product_name_trgm",
                table: "ocs_product_catalog",
                column: "product_name")
                .Annotation("Npgsql:IndexMethod", "gin")
                .Annotation("Npgsql:IndexOperators", new[] { "gin_trgm_ops" });

            migrationBuilder.CreateIndex(
                name: "ix_ocs_product_catalog_search_vector",
                table: "ocs_product_catalog",
                column: "search_vector")
                .Annotation("Npgsql:IndexMethod", "GIN");

            migrationBuilder.CreateIndex(
                name: "ix_ocs_product_catalog_tenant_id_brand",
                table: "ocs_product_catalog",
                columns: new[] { "tenant_id", "brand" });

            migrationBuilder.CreateIndex(
                name: "ix_ocs_product_catalog_tenant_id_category_sub_category",
                table: "ocs_product_catalog",
                columns: new[] { "tenant_id", "category", "sub_category" });

            migrationBuilder.CreateIndex(
                name: "ix_ocs_product_catalog_tenant_id_gtin",
                table: "ocs_product_catalog",
                columns: new[] { "tenant_id", "gtin" });

            migrationBuilder.CreateIndex(
                name: "ix_ocs_product_catalog_tenant_id_sku_key",
                table: "ocs_product_catalog",
                columns: new[] { "tenant_id", "sku_key" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_ocs_product_catalog_terpenes_trgm",
                table: "ocs_product_catalog",
                column: "terpenes")
                .Annotation("Npgsql:IndexMethod", "gin")
                .Annotation("Npgsql:IndexOperators", new[] { "gin_trgm_ops" });

            migrationBuilder.CreateIndex(
                name: "ix_stock_ledger_batch_id",
                table: "stock_ledger",
                column: "batch_id");

            migrationBuilder.CreateIndex(
                name: "ix_stock_ledger_product_id",
                table: "stock_ledger",
                column: "product_id");

            migrationBuilder.CreateIndex(
                name: "ix_stock_ledger_store_id",
                table: "stock_ledger",
                column: "store_id");

            migrationBuilder.CreateIndex(
                name: "ix_stock_ledger_tenant_id_batch_id",
                table: "stock_ledger",
                columns: new[] { "tenant_id", "batch_id" });

            migrationBuilder.CreateIndex(
                name: "ix_stock_ledger_tenant_id_reference",
                table: "stock_ledger",
                columns: new[] { "tenant_id", "reference" });

            migrationBuilder.CreateIndex(
                name: "ix_stock_ledger_tenant_id_store_id_product_id_occurred_at",
                table: "stock_ledger",
                columns: new[] { "tenant_id", "store_id", "product_id", "occurred_at" });

            // The stock ledger is append-only: PostgreSQL refuses to change or remove a movement.
            migrationBuilder.Sql(@"
CREATE FUNCTION stock_ledger_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'stock_ledger rows are immutable: record a new movement instead (% refused)', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER stock_ledger_append_only BEFORE UPDATE OR DELETE ON stock_ledger
    FOR EACH ROW EXECUTE FUNCTION stock_ledger_is_append_only();");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS stock_ledger_append_only ON stock_ledger; DROP FUNCTION IF EXISTS stock_ledger_is_append_only();");

            migrationBuilder.DropTable(
                name: "asn_shipment_lines");

            migrationBuilder.DropTable(
                name: "ocs_inventory");

            migrationBuilder.DropTable(
                name: "stock_ledger");

            migrationBuilder.DropTable(
                name: "asn_shipments");

            migrationBuilder.DropTable(
                name: "ocs_inventory_batches");

            migrationBuilder.DropTable(
                name: "ocs_product_catalog");
        }
    }
}
