using Engagement.Classifier;

namespace Engagement.Classifier.Tests;

public class TextNormaliserTests
{
    [Theory]
    [InlineData("More MH support", "mental health support")]
    [InlineData("Tackle WDH at HCP level", "tackle wider determinants health health care partnership level")]
    [InlineData("VCSE orgs stretched", "voluntary community sector org stretched")]
    [InlineData("More MDT capacity for frailty", "multidisciplinary team capacity frailty")]
    [InlineData("waited 9 hours in A&E", "waited 9 hour ae emergency")]
    [InlineData("waited 9 hours in a and e", "waited 9 hour ae emergency")]
    [InlineData("Dentists!!", "dentist")]
    [InlineData("families can't cope", "family cant cope")]
    public void Expands_abbreviations_and_folds_plurals(string input, string expected) =>
        Assert.Equal(expected, TextNormaliser.Normalise(input));

    [Fact]
    public void Capitalised_SEND_is_the_abbreviation_but_send_is_a_verb()
    {
        Assert.Contains("special", TextNormaliser.Tokens("SEND support in schools"));
        Assert.DoesNotContain("special", TextNormaliser.Tokens("please send me a letter"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("!!! ...")]
    public void Empty_or_punctuation_only_gives_no_tokens(string? input) => Assert.Empty(TextNormaliser.Tokens(input));

    [Theory]
    [InlineData("More MDT capacity for frailty (TW)(T)(SW)", "multidisciplinary team capacity frailty")]
    [InlineData("Pharmacy First - expand offer (Med, KW)", "pharmacy first expand offer")]
    [InlineData("Cost of living support (DC) (VCS)", "cost living support")]
    public void Drops_brackets_of_district_and_partner_codes(string input, string expected) =>
        Assert.Equal(expected, TextNormaliser.Normalise(input));

    [Theory]
    [InlineData("Support for children (SEND) in schools", "special")]
    [InlineData("Long waits (A&E) at Margate", "emergency")]
    [InlineData("Long waits (Thanet) at QEQM", "thanet")]
    public void Keeps_brackets_that_are_not_source_codes(string input, string token) =>
        Assert.Contains(token, TextNormaliser.Tokens(input));

    [Fact]
    public void An_unclosed_bracket_before_a_long_run_of_letters_is_normalised_promptly()
    {
        // This input took exponential time with a backtracking code-bracket pattern (found by the latency benchmark);
        // if that comes back this test hangs instead of passing.
        var letters = string.Concat(Enumerable.Repeat("abcdefghij", 8));
        var text = "(" + letters + " and then more words without a closing bracket";
        Assert.Equal(["without", "closing", "bracket"], TextNormaliser.Tokens(text).TakeLast(3));
    }
}
