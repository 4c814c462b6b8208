using Microsoft.AspNetCore.Components;
using MudBlazor;
using WeedGo.Core.Ordering;

namespace WeedGo.Web.Components.Admin.Orders;

public partial class PackDialog
{
    private IReadOnlyDictionary<Guid, IReadOnlyList<PickOption>>? _options;
    private readonly Dictionary<Guid, Guid> _choice = [];
    private string? _error;
    private bool _busy;

    [CascadingParameter] private IMudDialogInstance Dialog { get; set; } = default!;
    [Parameter, EditorRequired] public Guid OrderId { get; set; }
    [Parameter, EditorRequired] public IReadOnlyList<OrderLineView> Lines { get; set; } = [];

    [Inject] private OrderQueries Queries { get; set; } = default!;
    [Inject] private OrderService Orders { get; set; } = default!;

    protected override async Task OnInitializedAsync()
    {
        var result = await Queries.PickOptionsAsync(OrderId);
        if (result.Succeeded)
        {
            _options = result.Value;
        }
        else
        {
            _error = result.Error!.Message;
        }
    }

    /// <summary>Guid.Empty stands for "oldest first (FIFO)", the default.</summary>
    private Guid Choice(Guid productId) => _choice.GetValueOrDefault(productId);

    /// <summary>The picks to send: only lines where a lot was chosen; the others go FIFO.</summary>
    public IReadOnlyList<BatchPick> Picks => _choice.Where(c => c.Value != Guid.Empty).Select(c => new BatchPick(c.Key, c.Value)).ToList();

    private string Label(OrderLineView line, Guid batchId)
    {
        var options = _options?.GetValueOrDefault(line.ProductId) ?? [];
        if (batchId == Guid.Empty)
        {
            // Say which lots FIFO will take, so the packer knows what to pull from the shelf.
            var parts = new List<string>();
            var left = line.Quantity;
            foreach (var b in options.TakeWhile(_ => left > 0))
            {
                var take = Math.Min(left, b.Remaining);
                parts.Add(take == line.Quantity ? b.BatchLot : $"{take} × {b.BatchLot}");
                left -= take;
            }
            return parts.Count == 0 ? "Oldest first (FIFO)" : $"Oldest first (FIFO): {string.Join(" + ", parts)}";
        }
        var o = options.FirstOrDefault(x => x.BatchId == batchId);
        return o is null ? "" : $"{o.BatchLot}{(o.PackagedOn is { } d ? $" · packaged {d:yyyy-MM-dd}" : "")} · {o.Remaining} left";
    }

    private async Task PackAsync()
    {
        _busy = true;
        _error = null;
        try
        {
            var result = await Orders.PackAsync(OrderId, Picks);
            if (result.Succeeded)
            {
                Dialog.Close(DialogResult.Ok(true));
            }
            else
            {
                _error = result.Error!.Message;
            }
        }
        finally
        {
            _busy = false;
        }
    }
}
