using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using WeedGo.Core.Common;

namespace WeedGo.Core.Catalog;

/// <summary>
/// One distinct word of a tenant's product names and brands (<c>catalog_search_terms</c>). Typo correction looks a misspelt
/// word up here by trigram similarity — a few thousand words instead of every catalogue row — and then searches with the
/// corrected word through the full-text index ("blu dreem" → "blue dream"). Rebuilt after each catalogue import.
/// </summary>
public sealed class CatalogSearchTerm : ITenantOwned
{
    public Guid TenantId { get; set; }
    public string Term { get; set; } = "";
}

internal sealed class CatalogSearchTermConfiguration : IEntityTypeConfiguration<CatalogSearchTerm>
{
    public void Configure(EntityTypeBuilder<CatalogSearchTerm> b)
    {
        b.ToTable("catalog_search_terms");
        b.HasKey(t => new { t.TenantId, t.Term });
        b.Property(t => t.Term).HasMaxLength(80);
        b.HasIndex(t => t.Term).HasMethod("gin").HasOperators("gin_trgm_ops").HasDatabaseName("ix_catalog_search_terms_term_trgm");
    }

    /// <summary>Rebuilds a tenant's words from its catalogue (names and brands, words of 3+ letters): run
    /// <see cref="ClearSql"/> then <see cref="FillSql"/> in one transaction. Parameter $1 = tenant.</summary>
    public const string ClearSql = "DELETE FROM catalog_search_terms WHERE tenant_id = $1";

    public const string FillSql =
        "INSERT INTO catalog_search_terms (tenant_id, term) " +
        "SELECT DISTINCT $1, w FROM ocs_product_catalog c, " +
        "regexp_split_to_table(lower(c.product_name || ' ' || coalesce(c.brand, '')), '[^[:alnum:]]+') AS w " +
        "WHERE c.tenant_id = $1 AND length(w) BETWEEN 3 AND 80";
}
