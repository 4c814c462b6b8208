namespace WeedGo.Core.Tenancy;

/// <summary>Great-circle distance between two points on the earth (haversine), for "2.3 km away" on a handful of stores.
/// Questions over many rows (zones, drivers) go to PostGIS instead.</summary>
public static class GeoDistance
{
    private const double EarthRadiusKm = 6371.0088;

    public static double Kilometres(double lat1, double lng1, double lat2, double lng2)
    {
        static double Rad(double degrees) => degrees * Math.PI / 180;
        var dLat = Rad(lat2 - lat1);
        var dLng = Rad(lng2 - lng1);
        var a = Math.Pow(Math.Sin(dLat / 2), 2) + Math.Cos(Rad(lat1)) * Math.Cos(Rad(lat2)) * Math.Pow(Math.Sin(dLng / 2), 2);
        return 2 * EarthRadiusKm * Math.Asin(Math.Min(1, Math.Sqrt(a)));
    }

    /// <summary>"850 m", "2.3 km", "41 km".</summary>
    public static string Describe(double km) =>
        km < 1 ? $"{Math.Round(km * 1000 / 10) * 10:0} m" : km < 10 ? $"{km:0.0} km" : $"{km:0} km";
}
