using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;

namespace WeedGo.Web.Components.Layout;

/// <summary>
/// Shared by the shop and admin layouts: light/dark mode (remembered in a cookie and carried from prerendering into the
/// circuit) and the <c>data-interactive</c> marker tests wait for before clicking.
/// </summary>
public abstract class LayoutBase : LayoutComponentBase
{
    [Inject] protected IJSRuntime JS { get; set; } = default!;

    [CascadingParameter] private HttpContext? HttpContext { get; set; }

    [PersistentState] public bool? DarkMode { get; set; }

    protected bool IsDark => DarkMode ?? false;

    protected override void OnInitialized()
    {
        if (DarkMode is null && HttpContext is not null)
        {
            DarkMode = HttpContext.Request.Cookies[WeedGoTheme.ThemeCookie] == "dark";
        }
    }

    protected async Task ToggleDarkAsync()
    {
        DarkMode = !IsDark;
        await JS.InvokeVoidAsync("weedgo.setCookie", WeedGoTheme.ThemeCookie, IsDark ? "dark" : "light", 365);
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (firstRender)
        {
            await JS.InvokeVoidAsync("weedgo.markInteractive");
        }
    }
}
