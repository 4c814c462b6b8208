using WeedGo.Core.Compliance;

namespace WeedGo.Tests.Compliance;

public sealed class EquivalencyTests
{
    [Theory]
    [InlineData(CannabisClass.Dried, 3.5, 3.5)]
    [InlineData(CannabisClass.Fresh, 5, 1)]
    [InlineData(CannabisClass.Solid, 15, 1)]
    [InlineData(CannabisClass.NonSolid, 30, 0.4286)]
    [InlineData(CannabisClass.Beverage, 355, 0.6228)]
    [InlineData(CannabisClass.Concentrate, 1, 4)]
    [InlineData(CannabisClass.Seeds, 5, 5)]
    [InlineData(CannabisClass.Accessory, 100, 0)]
    public void Schedule_3_converts_a_unit_to_grams_of_dried_cannabis(CannabisClass c, double amount, double grams) =>
        Assert.Equal((decimal)grams, Equivalency.ForUnit(c, (decimal)amount));

    [Theory]
    [InlineData("Flower", "Dried Flower", CannabisClass.Dried)]
    [InlineData("Flower", "Pre-Rolls", CannabisClass.Dried)]
    [InlineData("Edibles", "Chocolate", CannabisClass.Solid)]
    [InlineData("Beverages", "Sparkling", CannabisClass.Beverage)]
    [InlineData("Extracts", "Vapes", CannabisClass.Concentrate)]
    [InlineData("Extracts", "Oils", CannabisClass.NonSolid)]
    [InlineData("Topicals", "Lotion", CannabisClass.NonSolid)]
    [InlineData("Seeds", null, CannabisClass.Seeds)]
    [InlineData("Accessories", "Grinders", CannabisClass.Accessory)]
    public void The_class_is_read_from_the_category_path(string category, string? sub, CannabisClass expected) =>
        Assert.Equal(expected, Equivalency.Classify(category, sub));
}
