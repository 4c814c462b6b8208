using WeedGo.Core.Deliveries;

namespace WeedGo.Web.Components.Admin.Deliveries;

/// <summary>The zone editor's fields; <see cref="GeoJson"/> follows the map (drawn or edited) or is pasted.</summary>
public sealed class ZoneForm
{
    public Guid? Id { get; set; }
    public string Name { get; set; } = "";
    public string GeoJson { get; set; } = "";
    public decimal Fee { get; set; } = 5m;
    public decimal MinimumOrder { get; set; } = 30m;
    public decimal? FreeDeliveryThreshold { get; set; }
    public int EtaMinMinutes { get; set; } = 30;
    public int EtaMaxMinutes { get; set; } = 45;
    public bool IsActive { get; set; } = true;

    public static ZoneForm From(ZoneView z) => new()
    {
        Id = z.Id, Name = z.Name, GeoJson = z.GeoJson, Fee = z.Fee, MinimumOrder = z.MinimumOrder, FreeDeliveryThreshold = z.FreeDeliveryThreshold,
        EtaMinMinutes = z.EtaMinMinutes, EtaMaxMinutes = z.EtaMaxMinutes, IsActive = z.IsActive,
    };

    public ZoneInput ToInput() => new(Name, GeoJson, Fee, MinimumOrder, FreeDeliveryThreshold, EtaMinMinutes, EtaMaxMinutes, IsActive);
}
