using Engagement.Core.Campaigns;

namespace Engagement.Core.Tests.Campaigns;

public sealed class NearDuplicateGrouperTests
{
    private static readonly string[] Templates =
    [
        "Save our community hospital. Closing the minor injuries unit at the community hospital would force families to travel over an hour to the nearest emergency department and put lives at risk.",
        "I object to the plan to move stroke services out of the county. Every minute counts after a stroke and the extra journey time will cost lives and independence.",
        "Please keep the walk in centre open in the evenings. Working parents cannot get a GP appointment during the day and the walk in centre is the only place we can take our children.",
        "We need a new dental practice taking NHS patients in our town. Nobody I know has been able to register with an NHS dentist for years and emergency care means a ninety mile round trip.",
    ];

    private static readonly string[] Towns = ["Dover", "Ashford", "Deal", "Margate", "Sittingbourne", "Tonbridge", "Maidstone", "Gravesend"];
    private static readonly string[] Names = ["Sam", "Priya", "John", "Aisha", "Tom", "Margaret", "Chris", "Olu"];

    private static readonly string[] Vocabulary =
    [
        "bus", "surgery", "waiting", "pharmacy", "nurse", "parking", "appointment", "phone", "carer", "mental", "health", "school",
        "housing", "rent", "damp", "lonely", "elderly", "mother", "discharge", "ward", "ambulance", "dentist", "online", "form",
        "letter", "referral", "weeks", "months", "therapy", "village", "rural", "cost", "heating", "food", "bank", "volunteer",
        "staff", "shortage", "training", "respect", "listen", "children", "autism", "diagnosis", "hospice", "pain", "clinic",
        "x-ray", "results", "receptionist", "prescription", "walk", "park", "gym", "smoking", "alcohol", "drugs", "police",
    ];

    /// <summary>A personalised copy of a template: a greeting, their town, shouting, a typo, and sometimes a sign-off.</summary>
    private static string Variant(string template, Random random)
    {
        var text = template;
        switch (random.Next(5))
        {
            case 0: text = $"Dear sir or madam, {text}"; break;
            case 1: text = $"{text} I live in {Towns[random.Next(Towns.Length)]}."; break;
            case 2: text = text.ToUpperInvariant(); break;
            case 3:
                // A typo: one word of the template misspelt.
                var words = text.Split(' ');
                var w = random.Next(words.Length);
                if (words[w].Length > 2) words[w] = words[w][1] + words[w][0].ToString() + words[w][2..];
                text = string.Join(' ', words);
                break;
        }
        if (random.Next(3) == 0) text += $" Regards, {Names[random.Next(Names.Length)]}";
        return text;
    }

    private static string Unrelated(Random random)
    {
        var words = Enumerable.Range(0, 12 + random.Next(20)).Select(_ => Vocabulary[random.Next(Vocabulary.Length)]);
        return string.Join(' ', words);
    }

    /// <summary>Known groups: each template sent by 5 to 40 respondents, among 600 unrelated comments, shuffled.</summary>
    private static (List<DuplicateCandidate> Comments, Dictionary<long, int> TruthGroup) Constructed(int seed)
    {
        var random = new Random(seed);
        var items = new List<(string Text, int Group)>();
        for (var t = 0; t < Templates.Length; t++)
            for (var n = 0; n < 5 + random.Next(36); n++) items.Add((Variant(Templates[t], random), t));
        for (var n = 0; n < 600; n++) items.Add((Unrelated(random), -1));
        var shuffled = items.OrderBy(_ => random.Next()).ToList();
        var comments = shuffled.Select((x, i) => new DuplicateCandidate(i + 1, i + 1, x.Text)).ToList();
        var truth = shuffled.Select((x, i) => (Id: (long)(i + 1), x.Group)).Where(x => x.Group >= 0).ToDictionary(x => x.Id, x => x.Group);
        return (comments, truth);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Grouping_recovers_the_planted_templates_with_high_pairwise_precision_and_recall(int seed)
    {
        var (comments, truth) = Constructed(seed);
        var groups = NearDuplicateGrouper.Group(comments);

        var found = new Dictionary<long, int>();
        for (var g = 0; g < groups.Count; g++) foreach (var id in groups[g].CommentIds) found[id] = g;

        // Pairwise: a pair is "together" in the truth when both come from the same template.
        long truePositives = 0, falsePositives = 0, falseNegatives = 0;
        var ids = comments.Select(c => c.CommentId).ToList();
        for (var i = 0; i < ids.Count; i++)
            for (var j = i + 1; j < ids.Count; j++)
            {
                var same = truth.TryGetValue(ids[i], out var a) && truth.TryGetValue(ids[j], out var b) && a == b;
                var grouped = found.TryGetValue(ids[i], out var x) && found.TryGetValue(ids[j], out var y) && x == y;
                if (same && grouped) truePositives++;
                else if (grouped) falsePositives++;
                else if (same) falseNegatives++;
            }
        var precision = (double)truePositives / (truePositives + falsePositives);
        var recall = (double)truePositives / (truePositives + falseNegatives);
        Assert.True(precision >= 0.99, $"precision {precision:0.000}");
        Assert.True(recall >= 0.95, $"recall {recall:0.000}");
        Assert.Equal(Templates.Length, groups.Count(g => g.IsCampaign()));
    }

    [Fact]
    public void Exact_copies_from_one_respondent_are_duplicates_but_not_a_campaign()
    {
        const string text = "The bus to the hospital only runs twice a day and it is never on time";
        var groups = NearDuplicateGrouper.Group(
        [
            new(1, 10, text), new(2, 10, text + "!"), new(3, 10, "  THE bus to the hospital only runs twice a day, and it is never on time "),
            new(4, 11, "Something else entirely about waiting for a dentist appointment"),
        ]);
        var group = Assert.Single(groups);
        Assert.Equal([1L, 2L, 3L], group.CommentIds);
        Assert.True(group.AllExact);
        Assert.Equal(1, group.Respondents);
        Assert.False(group.IsCampaign());
    }

    [Fact]
    public void Three_respondents_sending_the_same_text_is_a_campaign_and_the_representative_is_the_commonest_wording()
    {
        var t = Templates[0];
        var groups = NearDuplicateGrouper.Group(
        [
            new(5, 1, t + " I live in Deal."), new(6, 2, t), new(7, 3, t), new(8, 4, t + " Regards, Sam"),
        ]);
        var group = Assert.Single(groups);
        Assert.Equal(4, group.Respondents);
        Assert.True(group.IsCampaign());
        Assert.False(group.AllExact);
        Assert.Equal(6, group.RepresentativeId);
    }

    [Fact]
    public void Short_generic_answers_are_never_grouped()
    {
        var groups = NearDuplicateGrouper.Group(Enumerable.Range(1, 20).Select(i => new DuplicateCandidate(i, i, "I agree")).ToList());
        Assert.Empty(groups);
    }

    [Fact]
    public void Texts_on_the_same_subject_in_different_words_stay_apart()
    {
        var groups = NearDuplicateGrouper.Group(
        [
            new(1, 1, "The GP surgery never answers the phone in the morning and I give up trying to book"),
            new(2, 2, "I can never get through to my GP on the phone, the line is always engaged at eight"),
            new(3, 3, "Phoning the surgery for an appointment is impossible, it rings and rings and nobody answers"),
        ]);
        Assert.Empty(groups);
    }

    [Fact]
    public void Normalising_ignores_case_punctuation_accents_and_apostrophes()
    {
        Assert.Equal("dont close the cafe", NearDuplicateGrouper.Normalise("  Don’t CLOSE — the café!! "));
    }

    [Fact]
    public void The_same_input_always_gives_the_same_groups()
    {
        var (comments, _) = Constructed(7);
        var first = NearDuplicateGrouper.Group(comments).Select(g => string.Join(',', g.CommentIds)).ToList();
        var second = NearDuplicateGrouper.Group(comments).Select(g => string.Join(',', g.CommentIds)).ToList();
        Assert.Equal(first, second);
    }
}
