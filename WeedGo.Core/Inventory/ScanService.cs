using Microsoft.EntityFrameworkCore;
using WeedGo.Core.Accounts;
using WeedGo.Core.Catalog;
using WeedGo.Core.Common;
using WeedGo.Core.Data;

namespace WeedGo.Core.Inventory;

/// <summary>What a scan resolved to at a store: the product with its figures and, when the scan pins one, the batch.</summary>
public sealed record ScanMatch(
    Guid StoreId, Guid ProductId, string ProductName, string Sku, string? Brand, string? Gtin, int OnHand, int Available,
    Guid? BatchId, string? BatchLot, DateTime? PackagedOn, int? BatchRemaining, string MatchedBy, string? Notice = null);

/// <summary>
/// Resolves what a barcode scanner (keyboard wedge) typed at a store: a UPC/EAN/GTIN-14 or a GS1 element string with
/// (01) GTIN and optionally (10) lot, or a typed SKU. Products match on their GTIN; batches on their each or case GTIN,
/// and on the lot when the scan carries one.
/// </summary>
public sealed class ScanService(IDbContextFactory<WeedGoDbContext> contexts, ICurrentUser user)
{
    public async Task<Result<ScanMatch>> ResolveAsync(Guid storeId, string? scan, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        if (await InventoryAccess.CheckAsync(db, user, Policies.StoreOperations, storeId, ct) is { } denied)
        {
            return denied;
        }
        var text = (scan ?? "").Trim();
        if (text.Length == 0)
        {
            return Error.Validation("Scan a barcode or type a GTIN or SKU.");
        }
        var storeName = await db.Stores.AsNoTracking().Where(s => s.Id == storeId).Select(s => s.Name).FirstAsync(ct);
        if (!Gs1.TryParse(text, out var code, out var parseError))
        {
            var key = text.ToUpperInvariant();
            var bySku = await db.Products.AsNoTracking().Where(p => p.SkuKey == key).Select(p => p.Id).FirstOrDefaultAsync(ct);
            if (bySku != Guid.Empty)
            {
                return await MatchAsync(db, storeId, bySku, null, "SKU", null, ct);
            }
            return text.All(char.IsAsciiDigit) || text.StartsWith('(')
                ? Error.Validation(parseError)
                : NoMatch($"Nothing matches \"{text}\": it is not a barcode, and no product has that SKU.");
        }

        var gtin = code.Gtin14;
        var productIds = await db.Products.AsNoTracking().Where(p => p.Gtin == gtin).OrderBy(p => p.ProductName).Select(p => p.Id).ToListAsync(ct);
        var batches = await db.Batches.AsNoTracking()
            .Where(b => b.StoreId == storeId && (b.EachGtin == gtin || b.CaseGtin == gtin || productIds.Contains(b.ProductId)))
            .OrderBy(b => b.PackagedOn == null).ThenBy(b => b.PackagedOn)
            .Select(b => new { b.Id, b.ProductId, b.BatchLot, b.EachGtin, b.CaseGtin, b.RemainingQuantity })
            .ToListAsync(ct);

        if (code.BatchLot is { } lot)
        {
            var exact = batches.FirstOrDefault(b => string.Equals(b.BatchLot, lot, StringComparison.OrdinalIgnoreCase));
            if (exact is not null)
            {
                return await MatchAsync(db, storeId, exact.ProductId, exact.Id, "GS1 GTIN and lot", null, ct);
            }
            var productId = productIds.Concat(batches.Select(b => b.ProductId)).FirstOrDefault();
            return productId == Guid.Empty
                ? NoMatch($"Nothing at {storeName} matches GTIN {gtin} lot {lot}: no product or batch has that barcode.")
                : await MatchAsync(db, storeId, productId, null, "GS1 GTIN", $"Lot {lot} has not been received at {storeName}.", ct);
        }

        var byBarcode = batches.Where(b => b.EachGtin == gtin || b.CaseGtin == gtin).ToList();
        var product = productIds.FirstOrDefault();
        if (product == Guid.Empty)
        {
            product = byBarcode.Select(b => b.ProductId).FirstOrDefault();
        }
        if (product == Guid.Empty)
        {
            return NoMatch($"Nothing at {storeName} matches the barcode {gtin}: no product or received batch has it.");
        }
        // A batch is named only when the barcode pins exactly one batch of the product (still in stock, when any is).
        var ofProduct = byBarcode.Where(b => b.ProductId == product).ToList();
        var inStock = ofProduct.Where(b => b.RemainingQuantity > 0).ToList();
        var pool = inStock.Count > 0 ? inStock : ofProduct;
        var batch = pool.Count == 1 ? pool[0] : null;
        var how = batch is null ? (productIds.Count > 0 ? "product GTIN" : "batch GTIN")
            : batch.CaseGtin == gtin ? "case GTIN" : "each GTIN";
        return await MatchAsync(db, storeId, product, batch?.Id, how, null, ct);
    }

    private static async Task<Result<ScanMatch>> MatchAsync(WeedGoDbContext db, Guid storeId, Guid productId, Guid? batchId, string how,
        string? notice, CancellationToken ct)
    {
        var p = await db.Products.AsNoTracking().Where(p => p.Id == productId)
            .Select(p => new
            {
                p.ProductName, p.Sku, p.Brand, p.Gtin,
                Stock = db.Inventory.Where(i => i.StoreId == storeId && i.ProductId == productId).Select(i => new { i.OnHand, i.Available }).FirstOrDefault(),
            })
            .FirstAsync(ct);
        var b = batchId is null ? null
            : await db.Batches.AsNoTracking().Where(x => x.Id == batchId).Select(x => new { x.BatchLot, x.PackagedOn, x.RemainingQuantity }).FirstAsync(ct);
        return new ScanMatch(storeId, productId, p.ProductName, p.Sku, p.Brand, p.Gtin, p.Stock?.OnHand ?? 0, p.Stock?.Available ?? 0,
            batchId, b?.BatchLot, b?.PackagedOn, b?.RemainingQuantity, how, notice);
    }

    private static Error NoMatch(string message) => new("no_match", message, ErrorKind.NotFound);
}
