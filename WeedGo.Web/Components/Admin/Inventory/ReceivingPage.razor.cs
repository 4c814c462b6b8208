using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using WeedGo.Core.Inventory;

namespace WeedGo.Web.Components.Admin.Inventory;

public partial class ReceivingPage
{
    private IReadOnlyList<InventoryStore>? _stores;
    private IReadOnlyList<ShipmentRow> _shipments = [];
    private ShipmentDetail? _detail;
    private List<ReviewLine> _lines = [];
    private Guid _storeId;
    private string? _error;
    private string? _message;
    private bool _busy;

    [Inject] private InventoryQueries Queries { get; set; } = default!;
    [Inject] private ShipmentQueries Shipments { get; set; } = default!;
    [Inject] private ReceivingService Receiving { get; set; } = default!;

    [SupplyParameterFromQuery(Name = "store")] public Guid? StoreQuery { get; set; }

    private bool Editable => _detail?.Status == ShipmentStatus.Imported;

    /// <summary>A line under review: received defaults to what was shipped.</summary>
    public sealed class ReviewLine(ShipmentLineRow row)
    {
        public ShipmentLineRow Row { get; } = row;
        public int Received { get; set; } = row.ReceivedEaches ?? row.ShippedEaches;
        public string? Note { get; set; } = row.Note;
        public int Difference => Received - Row.ShippedEaches;
    }

    protected override async Task OnInitializedAsync()
    {
        var choice = await Queries.ChooseStoreAsync(StoreQuery);
        if (!choice.Succeeded)
        {
            _error = choice.Error!.Message;
            return;
        }
        (_stores, _storeId) = (choice.Value.Stores, choice.Value.Chosen);
        await LoadShipmentsAsync();
    }

    private async Task StoreChangedAsync(Guid id)
    {
        _storeId = id;
        (_detail, _lines, _message, _error) = (null, [], null, null);
        await LoadShipmentsAsync();
    }

    private async Task LoadShipmentsAsync()
    {
        if (_storeId == Guid.Empty)
        {
            return;
        }
        var list = await Shipments.ListAsync(_storeId);
        _shipments = list.Succeeded ? list.Value : [];
        _error ??= list.Error?.Message;
    }

    private async Task UploadAsync(IBrowserFile? file)
    {
        if (file is null)
        {
            return;
        }
        (_busy, _error, _message) = (true, null, null);
        try
        {
            await using var stream = file.OpenReadStream(ReceivingService.MaxFileBytes);
            using var buffer = new MemoryStream();
            await stream.CopyToAsync(buffer);
            buffer.Position = 0;
            var result = await Receiving.ImportAsnAsync(_storeId, buffer, file.Name);
            if (!result.Succeeded)
            {
                _error = result.Error!.Message;
                return;
            }
            _message = $"Shipment {result.Value.ShipmentNumber} imported: {result.Value.Lines} lines, {result.Value.ShippedEaches} eaches shipped. Count what arrived and confirm.";
            await LoadShipmentsAsync();
            await OpenAsync(result.Value.ShipmentId);
        }
        catch (IOException e)
        {
            _error = $"The file could not be read: {e.Message}";
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task OpenAsync(Guid shipmentId)
    {
        var detail = await Shipments.DetailAsync(shipmentId);
        _error = detail.Error?.Message;
        _detail = detail.Succeeded ? detail.Value : null;
        _lines = _detail?.Lines.Select(l => new ReviewLine(l)).ToList() ?? [];
    }

    /// <summary>A scanned unit counts toward the first line of that product (and lot, when the scan names one) still short.</summary>
    private void CountScanned(ScanMatch match)
    {
        var candidates = _lines.Where(l => l.Row.ProductId == match.ProductId && (match.BatchLot is null || l.Row.BatchLot == match.BatchLot)).ToList();
        if (candidates.Count == 0)
        {
            _error = $"{match.ProductName} is not on shipment {_detail?.ShipmentNumber}.";
            return;
        }
        var line = candidates.FirstOrDefault(l => l.Received < l.Row.ShippedEaches) ?? candidates[0];
        line.Received++;
        (_error, _message) = (null, $"Line {line.Row.LineNumber}: {line.Received} of {line.Row.ShippedEaches} {match.ProductName}.");
    }

    private async Task ConfirmAsync()
    {
        if (_detail is null)
        {
            return;
        }
        (_busy, _error, _message) = (true, null, null);
        try
        {
            var result = await Receiving.ConfirmAsync(_detail.Id, _lines.Select(l => new ReceivedLine(l.Row.Id, l.Received, l.Note)).ToList());
            if (!result.Succeeded)
            {
                _error = result.Error!.Message;
                return;
            }
            var r = result.Value;
            _message = $"Shipment {r.ShipmentNumber} received: {r.ReceivedEaches} eaches into {r.Batches} batch{(r.Batches == 1 ? "" : "es")}" +
                (r.LinesWithDiscrepancy > 0 ? $"; {r.LinesWithDiscrepancy} line(s) differ from the notice." : ".");
            await OpenAsync(r.ShipmentId);
            await LoadShipmentsAsync();
        }
        finally
        {
            _busy = false;
        }
    }
}
