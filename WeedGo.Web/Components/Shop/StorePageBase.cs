using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using WeedGo.Core.Tenancy;

namespace WeedGo.Web.Components.Shop;

/// <summary>
/// A page of one store's shop (<c>/s/{Slug}/…</c>): finds the store within the visitor's tenant, tells the layout (cart badge)
/// and remembers it as the shopper's store (cookie), so the next visit starts there.
/// </summary>
public abstract class StorePageBase : ComponentBase
{
    [Parameter] public string Slug { get; set; } = "";

    [Inject] protected StoreQueries Stores { get; set; } = default!;
    [Inject] protected ShopState Shop { get; set; } = default!;
    [Inject] protected IJSRuntime JS { get; set; } = default!;
    [Inject] protected NavigationManager Navigation { get; set; } = default!;

    /// <summary>Present while prerendering only.</summary>
    [CascadingParameter] private HttpContext? HttpContext { get; set; }

    protected StoreCard? Store { get; private set; }

    /// <summary>True once the store lookup finished (so "not found" is not shown while loading).</summary>
    protected bool StoreLoaded { get; private set; }

    private string? _remembered;

    protected async Task<StoreCard?> LoadStoreAsync()
    {
        if (Store?.Slug != Slug)
        {
            Store = (await Stores.ListForStorefrontAsync()).FirstOrDefault(s => s.Slug == Slug);
        }
        StoreLoaded = true;
        if (Store is not null)
        {
            Shop.SetStore(Store);
            // Lets the storefront page cache drop this page when the store's stock or menu changes.
            HttpContext?.Items[Storefront.StorePageCache.StoreIdItem] = Store.Id;
        }
        return Store;
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (Store is not null && _remembered != Store.Slug)
        {
            _remembered = Store.Slug;
            try
            {
                await JS.InvokeVoidAsync("weedgo.setCookie", ShopCookies.Store, Store.Slug, 365);
                await JS.InvokeVoidAsync("weedgo.setCookie", ShopCookies.Store + ".name", Store.Name, 365);
            }
            catch (JSDisconnectedException)
            {
            }
        }
    }

    /// <summary>What this prerender shows is for this visitor only (e.g. their search was refused by a rate limit): the
    /// storefront page cache must not give it to anyone else.</summary>
    protected void NotShared() => HttpContext?.Items[Storefront.StorePageCache.NotSharedItem] = true;

    protected string StoreUrl(string? rest = null) => $"/s/{Slug}" + (rest is null ? "" : "/" + rest);
}
