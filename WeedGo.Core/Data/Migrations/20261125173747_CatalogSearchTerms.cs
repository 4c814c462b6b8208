using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace WeedGo.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class CatalogSearchTerms : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "catalog_search_terms",
                columns: table => new
                {
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    term = table.Column<string>(type: "character varying(80)", maxLength: 80, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_catalog_search_terms", x => new { x.tenant_id, x.term });
                });

            migrationBuilder.CreateIndex(
                name: "ix_catalog_search_terms_term_trgm",
                table: "catalog_search_terms",
                column: "term")
                .Annotation("Npgsql:IndexMethod", "gin")
                .Annotation("Npgsql:IndexOperators", new[] { "gin_trgm_ops" });

            // Existing catalogues get their words now; imports keep them up to date from here on.
            migrationBuilder.Sql(@"INSERT INTO catalog_search_terms (tenant_id, term)
SELECT DISTINCT c.tenant_id, w FROM ocs_product_catalog c,
    regexp_split_to_table(lower(c.product_name || ' ' || coalesce(c.brand, '')), '[^[:alnum:]]+') AS w
WHERE length(w) BETWEEN 3 AND 80
ON CONFLICT DO NOTHING;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "catalog_search_terms");
        }
    }
}
