namespace WeedGo.E2E.Support;

/// <summary>
/// Every journey shares one app host and one browser (starting them is the slow part); tests in the collection run one
/// after another, and each gets its own browser context, so cookies never leak between tests.
/// </summary>
[CollectionDefinition(Name)]
public sealed class AppCollection : ICollectionFixture<AppHost>, ICollectionFixture<BrowserFixture>
{
    public const string Name = "WeedGo app";
}
