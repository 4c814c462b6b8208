using NetTopologySuite.Geometries;
using WeedGo.Core.Common;

namespace WeedGo.Core.Tenancy;

/// <summary>A licensed retail store (CRSA licence), with its place, time zone, hours and fulfilment switches.</summary>
public sealed class Store : TenantEntity
{
    public string Name { get; set; } = "";
    /// <summary>URL-safe, unique across the platform (store URLs are shareable).</summary>
    public string Slug { get; set; } = "";
    /// <summary>AGCO retail store authorization (CRSA) number.</summary>
    public string LicenceNumber { get; set; } = "";
    public Address Address { get; set; } = new();
    /// <summary>Map point, SRID 4326 (x = longitude, y = latitude).</summary>
    public Point Location { get; set; } = new(0, 0) { SRID = 4326 };
    /// <summary>IANA time zone, e.g. America/Toronto.</summary>
    public string TimeZoneId { get; set; } = "America/Toronto";
    public string? Phone { get; set; }
    public List<OpeningHours> Hours { get; set; } = [];
    public bool PickupEnabled { get; set; } = true;
    public bool DeliveryEnabled { get; set; }
    public bool IsActive { get; set; } = true;
    /// <summary>Pricing guardrail: no promotion may bring a line below its unit cost (never above the shelf price).</summary>
    public bool ForbidBelowCost { get; set; }

    public Tenant? Tenant { get; set; }
}

/// <summary>A postal address (owned by its store, stored in the same row).</summary>
public sealed class Address
{
    public string Line1 { get; set; } = "";
    public string? Line2 { get; set; }
    public string City { get; set; } = "";
    public string Province { get; set; } = "ON";
    public string PostalCode { get; set; } = "";

    public override string ToString() =>
        string.Join(", ", new[] { Line1, Line2, City, $"{Province} {PostalCode}".Trim() }.Where(s => !string.IsNullOrWhiteSpace(s)));
}

/// <summary>Opening hours for one day of the week, in the store's local time. A missing day means closed.</summary>
public sealed class OpeningHours
{
    public DayOfWeek Day { get; set; }
    public TimeOnly Opens { get; set; }
    public TimeOnly Closes { get; set; }
}
