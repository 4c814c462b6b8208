namespace WeedGo.Web.Components.Shop;

public static class ShopCookies
{
    /// <summary>The slug of the store the customer chose; the storefront remembers it across visits.</summary>
    public const string Store = "weedgo.store";

    /// <summary>The age the visitor confirmed at the storefront's gate, for this browser session only.</summary>
    public const string Age = "weedgo.age";
}
