using Microsoft.AspNetCore.Components;
using WeedGo.Core.Deliveries;

namespace WeedGo.Web.Components.Admin.Deliveries;

public partial class DispatchList
{
    private readonly HashSet<Guid> _selected = [];
    private Guid _batchDriver;

    [Parameter, EditorRequired] public IReadOnlyList<DispatchItem> Items { get; set; } = [];
    [Parameter, EditorRequired] public IReadOnlyList<DispatchDriver> Drivers { get; set; } = [];
    [Parameter] public DispatchFilter Filter { get; set; } = DispatchFilter.Open;
    [Parameter] public EventCallback<DispatchFilter> FilterChanged { get; set; }
    [Parameter] public Guid? Focused { get; set; }
    [Parameter] public bool Busy { get; set; }
    [Parameter] public EventCallback<(DispatchItem Item, Guid DriverId)> OnAssign { get; set; }
    [Parameter] public EventCallback<DispatchItem> OnNearest { get; set; }
    /// <summary>Order ids and the driver; returns true when every one was assigned (the selection is then cleared).</summary>
    [Parameter] public Func<IReadOnlyCollection<Guid>, Guid, Task<bool>>? OnBatch { get; set; }
    [Parameter] public EventCallback<DispatchItem> OnFocus { get; set; }

    private IEnumerable<DispatchItem> Visible => Items.Where(i => Filter.Matches(i));

    protected override void OnParametersSet()
    {
        // Rows that left the list or can no longer be assigned leave the selection.
        _selected.IntersectWith(Items.Where(DispatchFilters.CanAssign).Select(i => i.OrderId));
    }

    private async Task SetFilterAsync(DispatchFilter filter)
    {
        Filter = filter;
        await FilterChanged.InvokeAsync(filter);
    }

    private void Toggle(Guid orderId, bool on)
    {
        if (on)
        {
            _selected.Add(orderId);
        }
        else
        {
            _selected.Remove(orderId);
        }
    }

    private async Task BatchAsync()
    {
        if (OnBatch is not null && await OnBatch([.. _selected], _batchDriver))
        {
            _selected.Clear();
        }
    }

    private string DriverName(Guid id) => Drivers.FirstOrDefault(d => d.DriverId == id)?.Name ?? "";

    public static string DriverLabel(DispatchDriver d) =>
        $"{d.Name} · {(d.OnShift ? d.Latitude is null ? "on shift, no position yet" : "on shift" : "off shift")}{(d.OpenDeliveries > 0 ? $" · carrying {d.OpenDeliveries}" : "")}";
}
