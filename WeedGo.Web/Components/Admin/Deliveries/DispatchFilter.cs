using WeedGo.Core.Deliveries;

namespace WeedGo.Web.Components.Admin.Deliveries;

/// <summary>The status filters of the dispatch list.</summary>
public enum DispatchFilter
{
    Open,
    Waiting,
    Assigned,
    OnTheRoad,
    Done,
    All,
}

public static class DispatchFilters
{
    public static IReadOnlyList<(DispatchFilter Filter, string Label)> All { get; } =
    [
        (DispatchFilter.Open, "Open"), (DispatchFilter.Waiting, "Waiting for a driver"), (DispatchFilter.Assigned, "Assigned"),
        (DispatchFilter.OnTheRoad, "On the road"), (DispatchFilter.Done, "Done today"), (DispatchFilter.All, "All"),
    ];

    public static bool Matches(this DispatchFilter filter, DispatchItem item) => filter switch
    {
        DispatchFilter.Open => item.IsOpen,
        DispatchFilter.Waiting => item.Status == DeliveryStatus.Unassigned,
        DispatchFilter.Assigned => item.Status == DeliveryStatus.Assigned,
        DispatchFilter.OnTheRoad => item.Status is DeliveryStatus.PickedUp or DeliveryStatus.EnRoute or DeliveryStatus.Arrived,
        DispatchFilter.Done => !item.IsOpen,
        _ => true,
    };

    /// <summary>A driver may still be given (or changed on) a delivery that has not been picked up.</summary>
    public static bool CanAssign(DispatchItem item) => item.Status is DeliveryStatus.Unassigned or DeliveryStatus.Assigned;

    public static string Label(DeliveryStatus s) => s switch
    {
        DeliveryStatus.Unassigned => "Waiting",
        DeliveryStatus.PickedUp => "Picked up",
        DeliveryStatus.EnRoute => "En route",
        _ => s.ToString(),
    };
}
