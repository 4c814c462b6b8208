using Microsoft.EntityFrameworkCore;
using Npgsql;
using WeedGo.Core.Accounts;
using WeedGo.Core.Common;
using WeedGo.Core.Data;

namespace WeedGo.Core.Inventory;

public sealed record AsnImported(Guid ShipmentId, string ShipmentNumber, int Lines, int ShippedEaches);

/// <summary>What staff counted for one ASN line (in eaches), with an optional note about a difference.</summary>
public sealed record ReceivedLine(Guid LineId, int ReceivedEaches, string? Note = null);

public sealed record ShipmentReceived(Guid ShipmentId, string ShipmentNumber, int ReceivedEaches, int LinesWithDiscrepancy, int Batches);

/// <summary>
/// Receiving from OCS: import an ASN file for a store, then confirm what arrived. Confirmation records received counts and
/// discrepancies, creates one batch per (SKU, BatchLot) and books Receipt movements, all in one transaction. Open to store
/// staff (Budtender and up) at their own stores.
/// </summary>
public sealed class ReceivingService(IDbContextFactory<WeedGoDbContext> contexts, ICurrentUser user, StockLedger ledger, TimeProvider clock)
{
    public const long MaxFileBytes = 10 * 1024 * 1024;

    /// <summary>Reads an ASN CSV and stores it as an imported (not yet received) shipment. Problems are reported per line and
    /// then nothing is saved; a ShipmentID this tenant already imported is refused.</summary>
    public async Task<Result<AsnImported>> ImportAsnAsync(Guid storeId, Stream file, string fileName, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        if (await InventoryAccess.CheckAsync(db, user, Policies.StoreOperations, storeId, ct) is { } denied)
        {
            return denied;
        }
        var parsed = await AsnFile.ParseAsync(file, ct);
        var errors = parsed.Errors.ToList();
        var keys = parsed.Lines.Select(l => l.Sku.ToUpperInvariant()).Distinct().ToList();
        var products = await db.Products.AsNoTracking().Where(p => keys.Contains(p.SkuKey))
            .Select(p => new { p.SkuKey, p.Id }).ToDictionaryAsync(p => p.SkuKey, p => p.Id, ct);
        foreach (var line in parsed.Lines.Where(l => !products.ContainsKey(l.Sku.ToUpperInvariant())))
        {
            errors.Add($"Line {line.LineNumber}: SKU {line.Sku} is not in the catalogue; import the OCS catalogue first.");
        }
        if (errors.Count > 0)
        {
            var ordered = errors.OrderBy(LineOf).ToList();
            return new Error("asn_invalid",
                $"{fileName} was not imported ({ordered.Count} problem{(ordered.Count == 1 ? "" : "s")}; nothing was saved):\n{string.Join("\n", ordered)}");
        }
        var number = parsed.Lines[0].ShipmentId;
        if (await AlreadyImportedAsync(db, number, ct) is { } duplicate)
        {
            return duplicate;
        }
        var shipment = new Shipment { StoreId = storeId, ShipmentNumber = number, ImportedBy = user.UserId, FileName = Path.GetFileName(fileName) };
        shipment.Lines.AddRange(parsed.Lines.Select(l => new ShipmentLine
        {
            LineNumber = l.LineNumber, ContainerId = l.ContainerId, Sku = l.Sku, ProductId = products[l.Sku.ToUpperInvariant()], ItemName = l.ItemName,
            Vendor = l.Vendor, Brand = l.Brand, CaseGtin = l.CaseGtin, PackagedOn = l.PackagedOn, BatchLot = l.BatchLot, GtinBarcode = l.GtinBarcode,
            EachGtin = l.EachGtin, ShippedQuantity = l.ShippedQuantity, Uom = l.Uom, UomConversion = l.UomConversion,
            UomConversionQuantity = l.UomConversionQuantity, UnitPrice = l.UnitPrice,
        }));
        db.Shipments.Add(shipment);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            // Someone imported the same notice a moment ago.
            db.ChangeTracker.Clear();
            return await AlreadyImportedAsync(db, number, ct) ?? Error.Conflict($"Shipment {number} was already imported; it cannot be imported twice.");
        }
        return new AsnImported(shipment.Id, number, parsed.Lines.Count, parsed.Lines.Sum(l => l.ShippedEaches));
    }

    /// <summary>Confirms what arrived: lines not listed are taken as received in full. One batch per (SKU, BatchLot) is
    /// created or credited with the received eaches, at the packaged-on date, cost per each and GTINs of the notice.
    /// A shipment is received once.</summary>
    public async Task<Result<ShipmentReceived>> ConfirmAsync(Guid shipmentId, IReadOnlyList<ReceivedLine> received, CancellationToken ct = default)
    {
        await using (var db = await contexts.CreateDbContextAsync(ct))
        {
            var storeId = await db.Shipments.AsNoTracking().Where(s => s.Id == shipmentId).Select(s => (Guid?)s.StoreId).FirstOrDefaultAsync(ct);
            if (storeId is null)
            {
                return Error.NotFound("That shipment");
            }
            if (await InventoryAccess.CheckAsync(db, user, Policies.StoreOperations, storeId.Value, ct) is { } denied)
            {
                return denied;
            }
        }
        if (received.Any(r => r.ReceivedEaches < 0))
        {
            return Error.Validation("A received count cannot be negative.");
        }
        if (received.Any(r => r.Note is { Length: > 500 }))
        {
            return Error.Validation("Keep each note under 500 characters.");
        }
        if (received.GroupBy(r => r.LineId).Any(g => g.Count() > 1))
        {
            return Error.Validation("A shipment line was counted twice; give one count per line.");
        }
        return await ledger.RunAsync<ShipmentReceived>(async s =>
        {
            // Lock the shipment so two people confirming at once cannot both receive it.
            var shipment = await s.Db.Shipments.FromSql($"SELECT * FROM asn_shipments WHERE id = {shipmentId} FOR UPDATE").SingleAsync(ct);
            if (shipment.Status == ShipmentStatus.Received)
            {
                var by = await s.Db.Users.Where(u => u.Id == shipment.ReceivedBy).Select(u => u.DisplayName).FirstOrDefaultAsync(ct);
                return Error.Conflict($"Shipment {shipment.ShipmentNumber} was already received on {shipment.ReceivedAt:yyyy-MM-dd HH:mm} UTC" +
                    $"{(by is null ? "" : $" by {by}")}; it cannot be received twice.");
            }
            var lines = await s.Db.ShipmentLines.Where(l => l.ShipmentId == shipmentId).OrderBy(l => l.LineNumber).ToListAsync(ct);
            var counts = received.ToDictionary(r => r.LineId);
            if (counts.Keys.Any(id => lines.All(l => l.Id != id)))
            {
                return Error.Validation($"A count was given for a line that is not part of shipment {shipment.ShipmentNumber}.");
            }
            foreach (var line in lines)
            {
                var shipped = AsnFile.ShippedEaches(line.ShippedQuantity, line.Uom, line.UomConversionQuantity);
                var count = counts.GetValueOrDefault(line.Id);
                line.ReceivedQuantity = count?.ReceivedEaches ?? shipped;
                line.Discrepancy = line.ReceivedQuantity - shipped;
                line.DiscrepancyNote = string.IsNullOrWhiteSpace(count?.Note) ? null : count.Note.Trim();
            }
            var batches = 0;
            foreach (var group in lines.GroupBy(l => (ProductId: l.ProductId!.Value, l.BatchLot)).OrderBy(g => g.Key.ProductId).ThenBy(g => g.Key.BatchLot))
            {
                var eaches = group.Sum(l => l.ReceivedQuantity!.Value);
                if (eaches == 0)
                {
                    continue;
                }
                var priced = group.Where(l => l.UnitPrice is not null && l.ReceivedQuantity > 0).ToList();
                decimal? cost = priced.Count == 0 ? null
                    : Math.Round(priced.Sum(l => l.UnitPrice!.Value * l.ReceivedQuantity!.Value) / priced.Sum(l => l.ReceivedQuantity!.Value), 4, MidpointRounding.AwayFromZero);
                var receipt = new BatchReceipt(group.Key.BatchLot, group.Min(l => l.PackagedOn), cost,
                    group.Select(l => l.CaseGtin).FirstOrDefault(g => g is not null),
                    group.Select(l => l.EachGtin ?? l.GtinBarcode).FirstOrDefault(g => g is not null), shipment.Id);
                var moved = await s.ReceiveAsync(shipment.StoreId, group.Key.ProductId, eaches, receipt, $"shipment {shipment.ShipmentNumber}", null);
                if (!moved.Succeeded)
                {
                    return moved.Error!;
                }
                batches++;
            }
            shipment.Status = ShipmentStatus.Received;
            shipment.ReceivedBy = user.UserId;
            shipment.ReceivedAt = clock.GetUtcNow();
            return new ShipmentReceived(shipment.Id, shipment.ShipmentNumber, lines.Sum(l => l.ReceivedQuantity!.Value),
                lines.Count(l => l.Discrepancy != 0), batches);
        }, ct);
    }

    private static async Task<Error?> AlreadyImportedAsync(WeedGoDbContext db, string number, CancellationToken ct)
    {
        var existing = await db.Shipments.AsNoTracking().Where(s => s.ShipmentNumber == number)
            .Select(s => new { s.CreatedAt, StoreName = db.Stores.Where(st => st.Id == s.StoreId).Select(st => st.Name).FirstOrDefault() })
            .FirstOrDefaultAsync(ct);
        return existing is null ? null
            : Error.Conflict($"Shipment {number} was already imported on {existing.CreatedAt:yyyy-MM-dd} for {existing.StoreName}; it cannot be imported twice.");
    }

    private static int LineOf(string error) =>
        error.StartsWith("Line ", StringComparison.Ordinal) && int.TryParse(error[5..error.IndexOf(':')], out var n) ? n : 0;
}
