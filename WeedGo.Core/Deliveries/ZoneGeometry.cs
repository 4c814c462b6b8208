using System.Globalization;
using System.Text;
using System.Text.Json;
using NetTopologySuite.Geometries;
using NetTopologySuite.Operation.Valid;
using WeedGo.Core.Common;

namespace WeedGo.Core.Deliveries;

/// <summary>
/// Reads and writes the GeoJSON of a delivery zone and decides whether a polygon may be one. GeoJSON is parsed here (a
/// Polygon geometry, a Feature holding one, or a FeatureCollection of exactly one) rather than with NetTopologySuite.IO.GeoJSON,
/// which is not in this machine's package feed. Coordinates are [longitude, latitude] (RFC 7946), SRID 4326.
/// </summary>
public static class ZoneGeometry
{
    public const int Srid = 4326;
    private static readonly GeometryFactory Factory = new(new PrecisionModel(), Srid);

    /// <summary>Ontario's bounding box (west, east, south, north), a deliberate simplification of the provincial border:
    /// it admits some of Manitoba, Québec and the Great Lakes' US shore, but no zone a store could mean to draw in Ontario
    /// is refused.</summary>
    public static readonly Envelope OntarioBounds = new(-95.16, -74.32, 41.66, 56.86);

    public static Point Point(double latitude, double longitude) => Factory.CreatePoint(new Coordinate(longitude, latitude));

    /// <summary>Parses <paramref name="geoJson"/> and checks that it is a valid polygon inside Ontario.</summary>
    public static Result<Polygon> Parse(string? geoJson)
    {
        if (string.IsNullOrWhiteSpace(geoJson))
        {
            return Error.Validation("Paste or draw the zone's polygon (GeoJSON).");
        }
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(geoJson);
        }
        catch (JsonException e)
        {
            return Error.Validation($"That is not valid GeoJSON: {e.Message}");
        }
        using (doc)
        {
            var geometry = doc.RootElement;
            if (geometry.ValueKind != JsonValueKind.Object)
            {
                return Error.Validation("That is not a GeoJSON object.");
            }
            var type = Str(geometry, "type");
            if (type == "FeatureCollection")
            {
                if (!geometry.TryGetProperty("features", out var features) || features.ValueKind != JsonValueKind.Array || features.GetArrayLength() != 1)
                {
                    return Error.Validation("A zone is one polygon: send one feature, not a collection of several.");
                }
                geometry = features[0];
                type = Str(geometry, "type");
            }
            if (type == "Feature")
            {
                if (!geometry.TryGetProperty("geometry", out geometry) || geometry.ValueKind != JsonValueKind.Object)
                {
                    return Error.Validation("The feature has no geometry.");
                }
                type = Str(geometry, "type");
            }
            if ((CrsProblem(doc.RootElement) ?? CrsProblem(geometry)) is { } crs)
            {
                return Error.Validation(crs);
            }
            if (type != "Polygon")
            {
                return Error.Validation($"A zone must be a Polygon; this is {(type is null ? "not a geometry" : "a " + type)}.");
            }
            if (!geometry.TryGetProperty("coordinates", out var rings) || rings.ValueKind != JsonValueKind.Array || rings.GetArrayLength() == 0)
            {
                return Error.Validation("The polygon has no coordinates.");
            }
            var linear = new List<LinearRing>();
            foreach (var ring in rings.EnumerateArray())
            {
                var read = ReadRing(ring, linear.Count);
                if (!read.Succeeded)
                {
                    return read.Error!;
                }
                linear.Add(read.Value);
            }
            var polygon = Factory.CreatePolygon(linear[0], [.. linear.Skip(1)]);
            return Check(polygon);
        }
    }

    /// <summary>The checks every stored zone passes: SRID 4326, a valid simple polygon (OGC rules), inside Ontario.</summary>
    public static Result<Polygon> Check(Geometry geometry)
    {
        if (geometry.SRID != Srid)
        {
            return Error.Validation($"Zones use WGS 84 longitude/latitude (SRID 4326); this polygon has SRID {geometry.SRID}.");
        }
        if (geometry is not Polygon polygon)
        {
            return Error.Validation($"A zone must be a Polygon; this is a {geometry.GeometryType}.");
        }
        var op = new IsValidOp(polygon);
        if (!op.IsValid)
        {
            var e = op.ValidationError;
            return Error.Validation($"The polygon is not valid: {e.Message} at {e.Coordinate.Y.ToString("0.#####", CultureInfo.InvariantCulture)}, {e.Coordinate.X.ToString("0.#####", CultureInfo.InvariantCulture)} (latitude, longitude). Edges must not cross or touch themselves.");
        }
        if (polygon.Area <= 0)
        {
            return Error.Validation("The polygon has no area.");
        }
        if (!OntarioBounds.Contains(polygon.EnvelopeInternal))
        {
            return Error.Validation("The zone reaches outside Ontario (checked against the province's bounding box: longitude −95.16 to −74.32, latitude 41.66 to 56.86). Stores deliver only in Ontario.");
        }
        return polygon;
    }

    /// <summary>GeoJSON Polygon text of <paramref name="polygon"/> ([longitude, latitude], exterior first).</summary>
    public static string ToGeoJson(Polygon polygon)
    {
        var sb = new StringBuilder("{\"type\":\"Polygon\",\"coordinates\":[");
        Ring(sb, polygon.ExteriorRing);
        foreach (var hole in polygon.InteriorRings)
        {
            sb.Append(',');
            Ring(sb, hole);
        }
        return sb.Append("]}").ToString();

        static void Ring(StringBuilder sb, LineString ring)
        {
            sb.Append('[');
            for (var i = 0; i < ring.NumPoints; i++)
            {
                var c = ring.GetCoordinateN(i);
                sb.Append(i == 0 ? "" : ",").Append('[').Append(c.X.ToString("R", CultureInfo.InvariantCulture)).Append(',')
                    .Append(c.Y.ToString("R", CultureInfo.InvariantCulture)).Append(']');
            }
            sb.Append(']');
        }
    }

    private static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    /// <summary>A legacy "crs" member naming anything but WGS 84 / EPSG:4326 / CRS84.</summary>
    private static string? CrsProblem(JsonElement e)
    {
        if (!e.TryGetProperty("crs", out var crs) || crs.ValueKind != JsonValueKind.Object)
        {
            return null;
        }
        var name = crs.TryGetProperty("properties", out var props) && props.ValueKind == JsonValueKind.Object ? Str(props, "name") : null;
        if (name is null)
        {
            return null;
        }
        var ok = name.EndsWith("4326", StringComparison.Ordinal) || name.EndsWith("CRS84", StringComparison.OrdinalIgnoreCase);
        return ok ? null : $"Zones use WGS 84 longitude/latitude (EPSG:4326); this polygon is in {name}.";
    }

    private static Result<LinearRing> ReadRing(JsonElement ring, int index)
    {
        var which = index == 0 ? "The outer ring" : $"Hole {index}";
        if (ring.ValueKind != JsonValueKind.Array)
        {
            return Error.Validation($"{which} is not a list of positions.");
        }
        var coords = new List<Coordinate>();
        foreach (var pos in ring.EnumerateArray())
        {
            if (pos.ValueKind != JsonValueKind.Array || pos.GetArrayLength() < 2 || pos[0].ValueKind != JsonValueKind.Number || pos[1].ValueKind != JsonValueKind.Number)
            {
                return Error.Validation($"{which} has a position that is not [longitude, latitude].");
            }
            var x = pos[0].GetDouble();
            var y = pos[1].GetDouble();
            if (x is < -180 or > 180 || y is < -90 or > 90)
            {
                return Error.Validation($"{which} has a position ({x.ToString(CultureInfo.InvariantCulture)}, {y.ToString(CultureInfo.InvariantCulture)}) that is not a longitude/latitude; zones use WGS 84 (SRID 4326).");
            }
            coords.Add(new Coordinate(x, y));
        }
        if (coords.Count > 0 && !coords[0].Equals2D(coords[^1]))
        {
            coords.Add(coords[0].Copy()); // close the ring as drawing tools often omit the last position
        }
        if (coords.Count < 4)
        {
            return Error.Validation($"{which} needs at least three distinct corners.");
        }
        return Factory.CreateLinearRing([.. coords]);
    }
}
