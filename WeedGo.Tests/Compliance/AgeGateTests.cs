using WeedGo.Core.Compliance;
using WeedGo.Core.Ordering;
using WeedGo.Core.Tenancy;

namespace WeedGo.Tests.Compliance;

public sealed class AgeGateTests
{
    private static readonly DateOnly Today = new(2026, 11, 30);

    [Fact]
    public void A_signed_in_customers_birth_date_decides_without_asking()
    {
        Assert.Equal(AgeGateDecision.Enter, LegalAge.Gate(new DateOnly(2007, 11, 30), null, Today, 19)); // 19 today
        Assert.Equal(AgeGateDecision.Refuse, LegalAge.Gate(new DateOnly(2007, 12, 1), 19, Today, 19)); // 18 even if they clicked yes
    }

    [Fact]
    public void A_visitor_is_asked_until_they_confirm_the_age_of_the_stores_province()
    {
        Assert.Equal(AgeGateDecision.Ask, LegalAge.Gate(null, null, Today, 19));
        Assert.Equal(AgeGateDecision.Enter, LegalAge.Gate(null, 19, Today, 19));
        Assert.Equal(AgeGateDecision.Ask, LegalAge.Gate(null, 19, Today, 21)); // confirmed 19 in Ontario, Quebec asks 21
    }

    [Fact]
    public void The_legal_age_is_configuration_per_province_with_ontarios_19_by_default()
    {
        var rules = new OrderingOptions();
        Assert.Equal(19, rules.MinimumAgeFor("ON"));
        Assert.Equal(21, rules.MinimumAgeFor("qc"));
        Assert.Equal(18, rules.MinimumAgeFor("AB"));
        Assert.Equal(19, rules.MinimumAgeFor(null));
    }

    [Fact]
    public void Distances_between_stores_and_a_shopper_are_great_circle_kilometres()
    {
        // Queen West to Yorkville, Toronto: about 2.9 km.
        var km = GeoDistance.Kilometres(43.6465, -79.4096, 43.6690, -79.3920);
        Assert.InRange(km, 2.8, 3.0);
        Assert.Equal("2.9 km", GeoDistance.Describe(km));
        Assert.Equal("850 m", GeoDistance.Describe(0.8512));
        Assert.Equal("41 km", GeoDistance.Describe(41.2));
    }
}
