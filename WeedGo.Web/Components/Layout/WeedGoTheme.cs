using MudBlazor;

namespace WeedGo.Web.Components.Layout;

/// <summary>The WeedGo palette (light and dark) with self-hosted Roboto.</summary>
public static class WeedGoTheme
{
    public const string ThemeCookie = "weedgo.theme";

    public static MudTheme Theme { get; } = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#2e7d32",
            Secondary = "#6d4c41",
            Tertiary = "#00897b",
            AppbarBackground = "#1b5e20",
            Background = "#f6f7f4",
            DrawerBackground = "#ffffff",
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#66bb6a",
            Secondary = "#bcaaa4",
            Tertiary = "#4db6ac",
            AppbarBackground = "#1e2a1f",
        },
        Typography = new Typography
        {
            Default = new DefaultTypography { FontFamily = ["Roboto", "Helvetica", "Arial", "sans-serif"] },
        },
        LayoutProperties = new LayoutProperties { DefaultBorderRadius = "8px" },
    };
}
