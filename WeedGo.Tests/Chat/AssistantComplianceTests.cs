using WeedGo.Core.Chat;

namespace WeedGo.Tests.Chat;

public sealed class AssistantComplianceTests
{
    [Theory]
    [InlineData("This one cures insomnia.", "medical-claim")]
    [InlineData("It treats anxiety really well.", "medical-claim")]
    [InlineData("Great for relieving pain after work.", "medical-claim")]
    [InlineData("These gummies are perfect for your kids.", "minor")]
    [InlineData("Pink Kush has 31% THC.", "potency-not-on-label")]
    public void Replies_breaking_a_rule_fail_the_post_check(string reply, string rule)
    {
        var verdict = AssistantCompliance.Check(reply, ["18–22 %", "10 mg/unit"]);
        Assert.False(verdict.Passed);
        Assert.Equal(rule, verdict.Rule);
    }

    [Theory]
    [InlineData("Pink Kush is labelled THC 18–22 % and costs $29.99.")]
    [InlineData("Each soft chew has 10 mg/unit of THC; sweet treats for adults.")]
    [InlineData("Indica strains are often chosen for winding down; everyone reacts differently.")]
    [InlineData("In Ontario one order may hold at most 30 g of dried cannabis or its equivalent.")]
    public void Label_potencies_and_plain_facts_pass(string reply) =>
        Assert.True(AssistantCompliance.Check(reply, ["18–22 %", "10 mg/unit"]).Passed);

    [Fact]
    public void The_system_prompt_carries_the_rules_the_store_and_the_customers_memories()
    {
        var prompt = AssistantCompliance.SystemPrompt("You are Bud.", "en", "Queen West", ["prefers indica"]);
        Assert.Contains("You are Bud.", prompt);
        Assert.Contains("Queen West", prompt);
        Assert.Contains("never invent products", prompt);
        Assert.Contains("19 or older", prompt);
        Assert.Contains("prefers indica", prompt);
    }

    [Theory]
    [InlineData("Do you have anything for sleep under $30?", ShoppingIntent.Recommend)]
    [InlineData("What's the 30 g rule?", ShoppingIntent.PurchaseLimit)]
    [InlineData("are you open on sunday", ShoppingIntent.StoreHours)]
    [InlineData("where's my order #100234", ShoppingIntent.OrderStatus)]
    [InlineData("Compare Pink Kush vs Blue Dream", ShoppingIntent.Compare)]
    [InlineData("hello!", ShoppingIntent.Greeting)]
    [InlineData("can i talk to a real person", ShoppingIntent.HandOff)]
    public void Messages_read_deterministically(string message, ShoppingIntent intent)
    {
        var parsed = AssistantLanguage.Parse(message);
        Assert.Equal(intent, parsed.Intent);
        Assert.Equal(parsed, AssistantLanguage.Parse(message));
    }

    [Fact]
    public void Words_become_the_search_they_imply()
    {
        var p = AssistantLanguage.Parse("Any cheap sativa pre-rolls under $20 with limonene?");
        Assert.Equal(("Pre-Rolls", "Sativa", 20m, "Limonene", "price_low"), (p.Category, p.StrainType, p.MaxPrice, p.Terpene, p.Sort));
        Assert.Null(p.Query);
        var named = AssistantLanguage.Parse("do you have Blue Dream in stock?");
        Assert.Equal((ShoppingIntent.Stock, "blue dream"), (named.Intent, named.Query));
        var add = AssistantLanguage.Parse("add two pink kush 3.5g to my cart");
        Assert.Equal((ShoppingIntent.AddToCart, 2), (add.Intent, add.Quantity));
    }
}
