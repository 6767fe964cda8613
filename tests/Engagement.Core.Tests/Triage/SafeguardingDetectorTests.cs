using Engagement.Core.Triage;

namespace Engagement.Core.Tests.Triage;

public sealed class SafeguardingDetectorTests
{
    private static readonly SafeguardingDetector Detector = SafeguardingDetector.Instance;

    [Theory]
    // Self-harm and suicidal thoughts
    [InlineData("Some days I want to kill myself, the wait for CAMHS is that long.", SafeguardingCategory.SelfHarm)]
    [InlineData("I have been self-harming since my mum died and nobody has called me back.", SafeguardingCategory.SelfHarm)]
    [InlineData("I feel suicidal most nights and the crisis line never answers.", SafeguardingCategory.SelfHarm)]
    [InlineData("Honestly I don't want to live any more.", SafeguardingCategory.SelfHarm)]
    [InlineData("I can't go on like this anymore, waiting two years for an assessment.", SafeguardingCategory.SelfHarm)]
    [InlineData("Everyone would be better off without me.", SafeguardingCategory.SelfHarm)]
    [InlineData("I took an overdose last month and was sent home after four hours.", SafeguardingCategory.SelfHarm)]
    [InlineData("My son is self-harming and the school says there is nothing they can do.", SafeguardingCategory.SelfHarm)]
    [InlineData("My friend keeps saying she wants to kill herself.", SafeguardingCategory.SelfHarm)]
    [InlineData("I'm not ill but I want to die.", SafeguardingCategory.SelfHarm)]
    [InlineData("There is no reason to live when you are this lonely.", SafeguardingCategory.SelfHarm)]
    // Domestic abuse
    [InlineData("My husband hits me when he has been drinking.", SafeguardingCategory.DomesticAbuse)]
    [InlineData("I am scared of my partner and have nowhere to go.", SafeguardingCategory.DomesticAbuse)]
    [InlineData("I'm in an abusive relationship and the refuge is full.", SafeguardingCategory.DomesticAbuse)]
    [InlineData("I am living with domestic abuse and no one listens.", SafeguardingCategory.DomesticAbuse)]
    [InlineData("My ex-partner threatened me and my children last week.", SafeguardingCategory.DomesticAbuse)]
    // Abuse
    [InlineData("I was sexually assaulted and waited nine months for counselling.", SafeguardingCategory.Abuse)]
    [InlineData("My stepdad beats me and my sister.", SafeguardingCategory.Abuse)]
    [InlineData("My nan is being financially abused by her carer.", SafeguardingCategory.Abuse)]
    // Neglect
    [InlineData("Dad was left alone for hours without food in the care home.", SafeguardingCategory.Neglect)]
    [InlineData("My mother was left lying in soiled sheets overnight on the ward.", SafeguardingCategory.Neglect)]
    [InlineData("The old man next door is not being fed properly by his carers.", SafeguardingCategory.Neglect)]
    [InlineData("My gran is being neglected in her nursing home.", SafeguardingCategory.Neglect)]
    // A child at risk
    [InlineData("The little boy next door is being hit, I can hear it through the wall.", SafeguardingCategory.ChildAtRisk)]
    [InlineData("My daughter is not safe at her dad's house.", SafeguardingCategory.ChildAtRisk)]
    public void Disclosures_are_flagged(string text, SafeguardingCategory expected)
    {
        var result = Detector.Check(text);
        Assert.True(result.Flagged, $"Not flagged: {text}");
        Assert.Contains(result.Matches, m => m.Category == expected);
        Assert.NotNull(result.Reason);
    }

    [Theory]
    // Policy and service comments about the same topics: not disclosures
    [InlineData("We need more money for suicide prevention in Thanet.")]
    [InlineData("Domestic abuse services in Swale are underfunded.")]
    [InlineData("Self-harm among teenagers is rising and CAMHS waits are too long.")]
    [InlineData("Safeguarding children must be a priority for every partner.")]
    [InlineData("The strategy should say more about neglect of older people in care homes.")]
    [InlineData("Support for people who self-harm should be available in schools.")]
    [InlineData("Refuges for women fleeing abuse need long-term funding.")]
    [InlineData("More training on spotting child abuse for GP receptionists please.")]
    // Negated disclosures
    [InlineData("I am not suicidal, just fed up with waiting.")]
    [InlineData("I have never self-harmed but my friends have been offered more help than me.")]
    [InlineData("I'm not being abused, I just want a GP appointment.")]
    [InlineData("No one hits me, I'm lucky, but others are not.")]
    [InlineData("I never wanted to kill myself, I wanted someone to listen.")]
    [InlineData("My daughter is safe now she has moved schools.")]
    // Everyday phrases with alarming words
    [InlineData("The waiting list is killing me slowly, metaphorically speaking of course.")]
    [InlineData("The bus driver left me at the stop, so I missed my appointment.")]
    [InlineData("I was left on hold for an hour trying to book a GP appointment.")]
    [InlineData("Kids are left without youth clubs since the council cuts.")]
    [InlineData("My husband is a carer for his mum and needs more respite.")]
    [InlineData("I hit a wall with the council's website every time.")]
    [InlineData("")]
    public void Topics_negations_and_everyday_phrases_are_not_flagged(string text)
    {
        var result = Detector.Check(text);
        Assert.False(result.Flagged, $"Flagged ({result.Reason}): {text} :: {string.Join(" | ", result.Matches.Select(m => m.Phrase))}");
    }
}
