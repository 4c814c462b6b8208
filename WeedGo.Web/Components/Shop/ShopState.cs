using WeedGo.Core.Tenancy;

namespace WeedGo.Web.Components.Shop;

/// <summary>The store the shopper is in, for one circuit: store pages set it, the app bar's cart badge follows it.</summary>
public sealed class ShopState
{
    public StoreCard? Store { get; private set; }

    /// <summary>The age this browser session confirmed at the age gate (also in a session cookie for the next page load).</summary>
    public int? ConfirmedAge { get; set; }

    public event Action? Changed;

    public void SetStore(StoreCard store)
    {
        if (Store?.Id != store.Id)
        {
            Store = store;
            Changed?.Invoke();
        }
    }
}
