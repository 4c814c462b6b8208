namespace WeedGo.Core.Catalog;

/// <summary>GTIN-8/12/13/14 validation and normalisation to 14 digits (GS1 mod-10 check digit).</summary>
public static class Gtin
{
    /// <summary>True when <paramref name="value"/> is 8, 12, 13 or 14 digits with a correct check digit.</summary>
    public static bool IsValid(string? value) => TryNormalize(value, out _);

    /// <summary>Normalises to 14 digits (left-padded with zeros) after checking length and check digit.</summary>
    public static bool TryNormalize(string? value, out string gtin14)
    {
        gtin14 = "";
        var digits = value?.Trim();
        if (string.IsNullOrEmpty(digits) || digits.Length is not (8 or 12 or 13 or 14) || !digits.All(char.IsAsciiDigit))
        {
            return false;
        }
        var padded = digits.PadLeft(14, '0');
        if (CheckDigit(padded.AsSpan(0, 13)) != padded[13] - '0')
        {
            return false;
        }
        gtin14 = padded;
        return true;
    }

    /// <summary>The GS1 check digit of the digits before it (weights 3,1,3,… from the right).</summary>
    public static int CheckDigit(ReadOnlySpan<char> body)
    {
        var sum = 0;
        for (var i = 0; i < body.Length; i++)
        {
            var weight = (body.Length - i) % 2 == 1 ? 3 : 1;
            sum += (body[i] - '0') * weight;
        }
        return (10 - sum % 10) % 10;
    }

    /// <summary>Completes a 13-digit body (e.g. a GTIN-14 without its check digit) with its check digit.</summary>
    public static string WithCheckDigit(string body) => body + CheckDigit(body).ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>What a GS1 scan carried: the GTIN and, when present, batch/lot, expiry and production dates.</summary>
public sealed record Gs1Scan(string Gtin14, string? BatchLot, DateOnly? Expiry, DateOnly? ProducedOn);

/// <summary>
/// Parses what a barcode scanner types: a plain UPC/EAN/GTIN-14, or a GS1 element string — human-readable
/// "(01)…(10)…" or raw with FNC1 as the group separator (ASCII 29), with an optional "]C1"/"]e0" symbology prefix.
/// Application identifiers: (01) GTIN, (10) batch/lot, (17) expiry YYMMDD, (11) production date YYMMDD.
/// </summary>
public static class Gs1
{
    private const char GroupSeparator = (char)29;

    public static bool TryParse(string? scan, out Gs1Scan result, out string error)
    {
        result = default!;
        error = "";
        var text = (scan ?? "").Trim();
        if (text.Length == 0)
        {
            error = "The scan was empty.";
            return false;
        }
        if (text.StartsWith("]C1", StringComparison.Ordinal) || text.StartsWith("]e0", StringComparison.Ordinal) || text.StartsWith("]d2", StringComparison.Ordinal))
        {
            text = text[3..];
        }
        if (text.All(char.IsAsciiDigit) && text.Length is 8 or 12 or 13 or 14)
        {
            if (!Gtin.TryNormalize(text, out var plain))
            {
                error = $"{text} is not a valid barcode: its check digit is wrong.";
                return false;
            }
            result = new Gs1Scan(plain, null, null, null);
            return true;
        }
        var fields = text.StartsWith('(') ? ParseBracketed(text, out error) : ParseRaw(text, out error);
        if (fields is null)
        {
            return false;
        }
        if (!fields.TryGetValue("01", out var gtin) || !Gtin.TryNormalize(gtin, out var gtin14))
        {
            error = fields.ContainsKey("01") ? $"The GTIN {gtin} in the scan has a wrong check digit." : "The scan has no GTIN (01).";
            return false;
        }
        DateOnly? expiry = null, produced = null;
        if (fields.TryGetValue("17", out var e) && !TryDate(e, out expiry))
        {
            error = $"The expiry date (17) {e} is not a YYMMDD date.";
            return false;
        }
        if (fields.TryGetValue("11", out var p) && !TryDate(p, out produced))
        {
            error = $"The production date (11) {p} is not a YYMMDD date.";
            return false;
        }
        result = new Gs1Scan(gtin14, fields.GetValueOrDefault("10"), expiry, produced);
        return true;
    }

    private static Dictionary<string, string>? ParseBracketed(string text, out string error)
    {
        error = "";
        var fields = new Dictionary<string, string>();
        var i = 0;
        while (i < text.Length)
        {
            if (text[i] != '(')
            {
                error = "The scan is not a GS1 element string.";
                return null;
            }
            var close = text.IndexOf(')', i);
            if (close < 0)
            {
                error = "The scan has an unclosed application identifier.";
                return null;
            }
            var ai = text[(i + 1)..close];
            var next = text.IndexOf('(', close);
            var value = next < 0 ? text[(close + 1)..] : text[(close + 1)..next];
            fields[ai] = value.Trim(GroupSeparator, ' ');
            i = next < 0 ? text.Length : next;
        }
        return fields;
    }

    private static Dictionary<string, string>? ParseRaw(string text, out string error)
    {
        error = "";
        var fields = new Dictionary<string, string>();
        var i = 0;
        while (i < text.Length)
        {
            if (text[i] == GroupSeparator)
            {
                i++;
                continue;
            }
            if (i + 2 > text.Length)
            {
                error = "The scan ends in the middle of an application identifier.";
                return null;
            }
            var ai = text.Substring(i, 2);
            i += 2;
            int? fixedLength = ai switch { "01" => 14, "17" or "11" => 6, _ => null };
            if (fixedLength is { } length)
            {
                if (i + length > text.Length)
                {
                    error = $"The scan's ({ai}) field is too short.";
                    return null;
                }
                fields[ai] = text.Substring(i, length);
                i += length;
            }
            else if (ai == "10" || ai == "21")
            {
                var end = text.IndexOf(GroupSeparator, i);
                var value = end < 0 ? text[i..] : text[i..end];
                fields[ai] = value;
                i = end < 0 ? text.Length : end + 1;
            }
            else
            {
                error = $"The scan uses application identifier ({ai}), which is not supported here.";
                return null;
            }
        }
        return fields;
    }

    private static bool TryDate(string yymmdd, out DateOnly? date)
    {
        date = null;
        if (yymmdd.Length != 6 || !yymmdd.All(char.IsAsciiDigit))
        {
            return false;
        }
        var year = 2000 + int.Parse(yymmdd[..2], System.Globalization.CultureInfo.InvariantCulture);
        var month = int.Parse(yymmdd[2..4], System.Globalization.CultureInfo.InvariantCulture);
        var day = int.Parse(yymmdd[4..], System.Globalization.CultureInfo.InvariantCulture);
        if (month is < 1 or > 12)
        {
            return false;
        }
        // GS1: day 00 means the last day of the month.
        if (day == 0)
        {
            day = DateTime.DaysInMonth(year, month);
        }
        if (day > DateTime.DaysInMonth(year, month))
        {
            return false;
        }
        date = new DateOnly(year, month, day);
        return true;
    }
}
