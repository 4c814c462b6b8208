using WeedGo.Core.Common;

namespace WeedGo.Core.Tenancy;

/// <summary>A retail company. It owns stores, staff and customers.</summary>
public sealed class Tenant : Entity
{
    public string Name { get; set; } = "";
    /// <summary>URL-safe, unique; used to resolve the storefront tenant.</summary>
    public string Slug { get; set; } = "";
    /// <summary>Host name that serves this tenant's storefront (e.g. shop.example.ca), if any.</summary>
    public string? Domain { get; set; }
    /// <summary>Two-letter province code; decides age and purchase rules.</summary>
    public string Province { get; set; } = "ON";
    public bool IsActive { get; set; } = true;

    public List<Store> Stores { get; set; } = [];
}
