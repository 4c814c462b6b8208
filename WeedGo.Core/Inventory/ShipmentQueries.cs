using Microsoft.EntityFrameworkCore;
using WeedGo.Core.Accounts;
using WeedGo.Core.Common;
using WeedGo.Core.Data;

namespace WeedGo.Core.Inventory;

public sealed record ShipmentRow(
    Guid Id, string ShipmentNumber, ShipmentStatus Status, string? FileName, DateTimeOffset ImportedAt, DateTimeOffset? ReceivedAt,
    int Lines, int ShippedEaches, int? ReceivedEaches);

public sealed record ShipmentLineRow(
    Guid Id, int LineNumber, string Sku, Guid? ProductId, string? ProductName, string? ItemName, string BatchLot, DateTime? PackagedOn,
    int ShippedQuantity, string? Uom, int? UomConversionQuantity, int ShippedEaches, int? ReceivedEaches, int? Discrepancy, string? Note,
    decimal? UnitPrice, string? EachGtin, string? CaseGtin);

public sealed record ShipmentDetail(
    Guid Id, Guid StoreId, string StoreName, string ShipmentNumber, ShipmentStatus Status, string? FileName, DateTimeOffset ImportedAt,
    DateTimeOffset? ReceivedAt, string? ReceivedBy, IReadOnlyList<ShipmentLineRow> Lines);

/// <summary>Shipments (ASNs) of a store, and one shipment's shipped-versus-received lines.</summary>
public sealed class ShipmentQueries(IDbContextFactory<WeedGoDbContext> contexts, ICurrentUser user)
{
    public async Task<Result<IReadOnlyList<ShipmentRow>>> ListAsync(Guid storeId, int take = 50, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        if (await InventoryAccess.CheckAsync(db, user, Policies.StoreOperations, storeId, ct) is { } denied)
        {
            return denied;
        }
        var zone = await db.Stores.AsNoTracking().Where(s => s.Id == storeId).Select(s => s.TimeZoneId).FirstAsync(ct);
        var shipments = await db.Shipments.AsNoTracking().Where(s => s.StoreId == storeId)
            .OrderByDescending(s => s.CreatedAt).Take(Math.Clamp(take, 1, 500))
            .Select(s => new
            {
                s.Id, s.ShipmentNumber, s.Status, s.FileName, s.CreatedAt, s.ReceivedAt,
                Lines = s.Lines.Select(l => new { l.ShippedQuantity, l.Uom, l.UomConversionQuantity, l.ReceivedQuantity }).ToList(),
            })
            .ToListAsync(ct);
        // Times are shown as the store's clock reads them.
        return shipments.Select(s => new ShipmentRow(s.Id, s.ShipmentNumber, s.Status, s.FileName,
            Tenancy.StoreHours.AtStore(zone, s.CreatedAt), s.ReceivedAt is { } received ? Tenancy.StoreHours.AtStore(zone, received) : null, s.Lines.Count,
            s.Lines.Sum(l => AsnFile.ShippedEaches(l.ShippedQuantity, l.Uom, l.UomConversionQuantity)),
            s.Status == ShipmentStatus.Received ? s.Lines.Sum(l => l.ReceivedQuantity ?? 0) : null)).ToList();
    }

    public async Task<Result<ShipmentDetail>> DetailAsync(Guid shipmentId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var head = await db.Shipments.AsNoTracking().Where(s => s.Id == shipmentId)
            .Select(s => new
            {
                s.Id, s.StoreId, StoreName = db.Stores.Where(st => st.Id == s.StoreId).Select(st => st.Name).FirstOrDefault(),
                Zone = db.Stores.Where(st => st.Id == s.StoreId).Select(st => st.TimeZoneId).FirstOrDefault() ?? "America/Toronto", s.ShipmentNumber,
                s.Status, s.FileName, s.CreatedAt, s.ReceivedAt,
                ReceivedBy = db.Users.Where(u => u.Id == s.ReceivedBy).Select(u => u.DisplayName).FirstOrDefault(),
            })
            .FirstOrDefaultAsync(ct);
        if (head is null)
        {
            return Error.NotFound("That shipment");
        }
        if (await InventoryAccess.CheckAsync(db, user, Policies.StoreOperations, head.StoreId, ct) is { } denied)
        {
            return denied;
        }
        var lines = await db.ShipmentLines.AsNoTracking().Where(l => l.ShipmentId == shipmentId).OrderBy(l => l.LineNumber)
            .Select(l => new
            {
                l.Id, l.LineNumber, l.Sku, l.ProductId, ProductName = db.Products.Where(p => p.Id == l.ProductId).Select(p => p.ProductName).FirstOrDefault(),
                l.ItemName, l.BatchLot, l.PackagedOn, l.ShippedQuantity, l.Uom, l.UomConversionQuantity, l.ReceivedQuantity, l.Discrepancy,
                l.DiscrepancyNote, l.UnitPrice, l.EachGtin, l.CaseGtin,
            })
            .ToListAsync(ct);
        return new ShipmentDetail(head.Id, head.StoreId, head.StoreName ?? "", head.ShipmentNumber, head.Status, head.FileName,
            Tenancy.StoreHours.AtStore(head.Zone, head.CreatedAt), head.ReceivedAt is { } at ? Tenancy.StoreHours.AtStore(head.Zone, at) : null, head.ReceivedBy,
            lines.Select(l => new ShipmentLineRow(l.Id, l.LineNumber, l.Sku, l.ProductId, l.ProductName, l.ItemName, l.BatchLot, l.PackagedOn,
                l.ShippedQuantity, l.Uom, l.UomConversionQuantity, AsnFile.ShippedEaches(l.ShippedQuantity, l.Uom, l.UomConversionQuantity),
                l.ReceivedQuantity, l.Discrepancy, l.DiscrepancyNote, l.UnitPrice, l.EachGtin, l.CaseGtin)).ToList());
    }
}
