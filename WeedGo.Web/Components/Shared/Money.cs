using System.Globalization;

namespace WeedGo.Web.Components.Shared;

/// <summary>Dollars as Canadians read them, whatever the server's culture.</summary>
public static class Money
{
    public static readonly CultureInfo Culture = CultureInfo.GetCultureInfo("en-CA");

    public static string Format(decimal amount) => amount.ToString("C2", Culture);

    public static string Format(decimal? amount) => amount is { } a ? Format(a) : "—";
}
