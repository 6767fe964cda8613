namespace Engagement.Core.Domain;

public enum AreaKind { KentDistrict, Medway, Wide, Outside }

/// <summary>A place a respondent lives in, with the short code the council prints after each point, e.g. (TW).</summary>
public sealed record District(string Code, string Name, AreaKind Kind);

public static class Districts
{
    public static readonly IReadOnlyList<District> All =
    [
        new("A", "Ashford", AreaKind.KentDistrict),
        new("C", "Canterbury", AreaKind.KentDistrict),
        new("Da", "Dartford", AreaKind.KentDistrict),
        new("D", "Dover", AreaKind.KentDistrict),
        new("FH", "Folkestone and Hythe", AreaKind.KentDistrict),
        new("G", "Gravesham", AreaKind.KentDistrict),
        new("M", "Maidstone", AreaKind.KentDistrict),
        new("S", "Sevenoaks", AreaKind.KentDistrict),
        new("SW", "Swale", AreaKind.KentDistrict),
        new("T", "Thanet", AreaKind.KentDistrict),
        new("TMBC", "Tonbridge and Malling", AreaKind.KentDistrict),
        new("TW", "Tunbridge Wells", AreaKind.KentDistrict),
        new("Med", "Medway", AreaKind.Medway),
        new("KW", "Kent-wide", AreaKind.Wide),
        new("MW", "Medway-wide", AreaKind.Wide),
        new("OUT", "Outside Kent and Medway", AreaKind.Outside),
    ];

    /// <summary>The 13 local areas drawn on the tile map: 12 Kent districts plus Medway.</summary>
    public static IEnumerable<District> LocalAreas => All.Where(d => d.Kind is AreaKind.KentDistrict or AreaKind.Medway);

    // Codes are case-sensitive in print ("D" Dover vs "Da" Dartford), so look them up exactly first.
    public static District? FindByCode(string? code) =>
        code is null ? null : All.FirstOrDefault(d => d.Code == code.Trim());

    public static bool IsValid(string? code) => FindByCode(code) is not null;

    public static string NameOf(string? code) => FindByCode(code)?.Name ?? "Not given";
}

public sealed record Outcome(int Id, string Name, string ShortName, string PlainEnglish);

public static class Outcomes
{
    public const int General = 0;

    public static readonly IReadOnlyList<Outcome> All =
    [
        new(0, "General: about the strategy as a whole", "General",
            "The strategy overall, how we consulted, funding or how partners will be held to account."),
        new(1, "Give children and young people the best start in life", "Children and young people",
            "Support for families, children's health and wellbeing, special educational needs and keeping children safe."),
        new(2, "Tackle the wider determinants to prevent ill health", "Wider determinants",
            "Things outside health care that affect health: housing, jobs, money, transport, community safety and loneliness."),
        new(3, "Supporting happy and healthy living", "Healthy living",
            "Staying well: healthy lifestyles, social prescribing, ageing well, dementia and personalised support."),
        new(4, "Empower people to best manage their health conditions", "Managing conditions",
            "Living with long-term conditions, GP, dentist and pharmacy care, and support for unpaid carers."),
        new(5, "Improve health and care services", "Health and care services",
            "Getting timely care close to home, waiting times, hospital discharge, mental health services and services working together."),
        new(6, "Support and grow our workforce", "Workforce",
            "The people who work and volunteer in health and care: recruitment, training, wellbeing and careers."),
    ];

    public static IEnumerable<Outcome> Shared => All.Where(o => o.Id != General);

    public static Outcome? Find(int? id) => id is null ? null : All.FirstOrDefault(o => o.Id == id);

    public static bool IsValid(int? id) => Find(id) is not null;

    public static string NameOf(int? id) => Find(id)?.Name ?? "Not sure";
}

public sealed record Choice(string Value, string Label, string? Code = null);

public static class RespondentTypes
{
    public const string Resident = "resident";
    public const string Partner = "partner";
    public const string Staff = "staff";

    public static readonly IReadOnlyList<Choice> All =
    [
        new(Resident, "A resident or member of the public"),
        new(Partner, "On behalf of an organisation"),
        new(Staff, "As someone who works in health or care, or other"),
    ];

    public static bool IsValid(string? value) => All.Any(c => c.Value == value);
    public static string LabelOf(string? value) => All.FirstOrDefault(c => c.Value == value)?.Label ?? "Not given";
}

public static class PartnerTypes
{
    public static readonly IReadOnlyList<Choice> All =
    [
        new("district-council", "District, borough or city council", "DC"),
        new("local-authority", "County or unitary council", "LA"),
        new("vcse", "Voluntary, community or social enterprise organisation", "VCS"),
        new("pcc", "Police and crime commissioner", "PCC"),
        new("hcp", "Health and care partnership", "HCP"),
        new("nhs-provider", "NHS provider", "NHS"),
        new("other", "Other organisation", "OTH"),
    ];

    public static bool IsValid(string? value) => All.Any(c => c.Value == value);
    public static string LabelOf(string? value) => All.FirstOrDefault(c => c.Value == value)?.Label ?? "Not given";
    public static string? CodeOf(string? value) => All.FirstOrDefault(c => c.Value == value)?.Code;
}

public static class Channels
{
    public const string Online = "online";

    public static readonly IReadOnlyList<Choice> All =
    [
        new(Online, "Online form"),
        new("event", "Event or roadshow"),
        new("focus-group", "Focus group"),
        new("workshop", "Workshop"),
        new("email", "Email"),
        new("paper", "Paper survey"),
    ];

    public static bool IsValid(string? value) => All.Any(c => c.Value == value);
    public static string LabelOf(string? value) => All.FirstOrDefault(c => c.Value == value)?.Label ?? value ?? "Not given";
}

public static class CommentStatuses
{
    public const string New = "new";
    public const string Triaged = "triaged";
    public const string Spam = "spam";
    public const string Hidden = "hidden";

    public static readonly IReadOnlyList<string> All = [New, Triaged, Spam, Hidden];
    public static bool IsValid(string? value) => value is not null && All.Contains(value);
}

/// <summary>Equality-monitoring answers. Every question offers "prefer not to say".</summary>
public static class AboutYou
{
    public const string PreferNotToSay = "prefer-not-to-say";

    public static readonly IReadOnlyList<Choice> AgeBands =
    [
        new("under-18", "Under 18"), new("18-24", "18 to 24"), new("25-34", "25 to 34"), new("35-44", "35 to 44"),
        new("45-54", "45 to 54"), new("55-64", "55 to 64"), new("65-74", "65 to 74"), new("75-plus", "75 or over"),
        new(PreferNotToSay, "Prefer not to say"),
    ];

    public static readonly IReadOnlyList<Choice> Sexes =
    [
        new("female", "Female"), new("male", "Male"), new(PreferNotToSay, "Prefer not to say"),
    ];

    public static readonly IReadOnlyList<Choice> EthnicGroups =
    [
        new("white", "White"), new("mixed", "Mixed or multiple ethnic groups"), new("asian", "Asian or Asian British"),
        new("black", "Black, Black British, Caribbean or African"), new("other", "Other ethnic group"),
        new(PreferNotToSay, "Prefer not to say"),
    ];

    public static readonly IReadOnlyList<Choice> YesNo =
    [
        new("yes", "Yes"), new("no", "No"), new(PreferNotToSay, "Prefer not to say"),
    ];

    public static bool IsValidOrEmpty(IReadOnlyList<Choice> choices, string? value) =>
        string.IsNullOrEmpty(value) || choices.Any(c => c.Value == value);

    public static string LabelOf(IReadOnlyList<Choice> choices, string? value) =>
        choices.FirstOrDefault(c => c.Value == value)?.Label ?? "Not answered";
}
