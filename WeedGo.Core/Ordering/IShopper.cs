namespace WeedGo.Core.Ordering;

/// <summary>The browser a guest shops from: a random key kept in a cookie, so a guest's cart survives page loads and is
/// merged into their own cart when they sign in. Null when the request carries none.</summary>
public interface IShopper
{
    string? ShopperKey { get; }
}
