using Engagement.Core.Data;
using Engagement.Core.Domain;
using Engagement.Core.Reports;
using static Engagement.Core.Tests.Reports.ReportTestData;

namespace Engagement.Core.Tests.Reports;

public sealed class ReportBuilderTests
{
    [Fact]
    public void Clustering_merges_near_duplicates_and_keeps_distinct_points_apart()
    {
        string[] texts =
        [
            "Evening GP appointments are hard to get for working parents",            // 0  gp evenings
            "The bus to the hospital stopped running after 6pm",                        // 1  buses
            "It is hard to get evening GP appointments as a working parent",            // 2  gp evenings
            "Dentists in Thanet are not taking NHS patients",                           // 3  dentists
            "GP appointments in the evening are so hard to get for working parents",    // 4  gp evenings
            "No NHS dentists in Thanet are taking on new patients",                     // 5  dentists
            "Hospital bus stopped running after 6pm so I cannot visit",                 // 6  buses
            "More youth clubs would keep teenagers off the streets",                    // 7  alone
            "GP receptionists are rude and unhelpful to patients",                      // 8  alone, though it shares "GP" and "patients"
            "Working parents need more evening childcare",                              // 9  alone, though it shares "working parents" and "evening"
        ];

        var clusters = TextClustering.Cluster(texts);
        int ClusterOf(int i) => clusters.Select((c, n) => (c, n)).Single(x => x.c.Members.Contains(i)).n;

        Assert.Equal(6, clusters.Count);
        Assert.Equal(ClusterOf(0), ClusterOf(2));
        Assert.Equal(ClusterOf(0), ClusterOf(4));
        Assert.Equal(ClusterOf(3), ClusterOf(5));
        Assert.Equal(ClusterOf(1), ClusterOf(6));
        Assert.Equal(6, new[] { 0, 1, 3, 7, 8, 9 }.Select(ClusterOf).Distinct().Count());
        Assert.Equal(0, clusters[ClusterOf(0)].Medoid); // the most typical wording of the three
        Assert.Equal(clusters.Select(c => c.Members.Count), TextClustering.Cluster(texts).Select(c => c.Members.Count)); // deterministic
    }

    [Fact]
    public void Points_carry_district_then_partner_codes_in_the_councils_format()
    {
        var report = Build(
        [
            Comment(1, "Evening GP appointments are hard to get for working parents", "SW"),
            Comment(2, "It is hard to get evening GP appointments as a working parent", "T"),
            Comment(3, "GP appointments in the evening are so hard to get for working parents", "SW"),
            Comment(4, "Evening GP appointments are hard to get for working parents", "Da"),
            Comment(5, "Evening GP appointments are hard to get for working parents and carers", "Da", RespondentTypes.Partner, partnerType: "vcse"),
            Comment(6, "Evening GP appointments are hard to get for working parents", "M", RespondentTypes.Partner, partnerType: "pcc"),
            Comment(7, "Evening GP appointments hard to get for working parents", "SW", RespondentTypes.Partner, partnerType: "vcse"),
        ]);

        var section = report.Sections.Single(s => s.Outcome.Id == 5);
        var publicPoint = Assert.Single(Assert.Single(section.PublicFeedback).Points);
        Assert.Equal("(SW)(T)(Da)", publicPoint.CodesText);
        Assert.Equal(4, publicPoint.Count);
        var partnerPoint = Assert.Single(Assert.Single(section.PartnerFeedback).Points);
        Assert.Equal("(Da)(M)(SW)(VCS)(PCC)", partnerPoint.CodesText);
        Assert.Equal(3, partnerPoint.Count);
        Assert.Equal("(SW)(T)(Da)", ReportPoint.FormatCodes(["SW", "T", "Da"]));
    }

    [Fact]
    public void Every_district_a_response_named_is_counted_in_the_codes()
    {
        var report = Build([Comment(1, "Evening GP appointments are hard to get", "SW")],
            districts: new Dictionary<long, IReadOnlyList<string>> { [1] = ["SW", "T", "Da"] });
        var point = AllGroups(report).Single().Points.Single();
        Assert.Equal("(SW)(T)(Da)", point.CodesText);
        Assert.Equal(1, report.Who.ByDistrict.Single(d => d.Key == "T").Count);
    }

    [Fact]
    public void Sections_run_outcomes_one_to_six_then_general_and_themes_are_ranked_by_how_many_raised_them()
    {
        var comments = new List<ReportComment>
        {
            Comment(1, "No bus to the hospital", outcome: 2, theme: "transport"),
            Comment(2, "The strategy is too long", outcome: 0, theme: "general-x"),
        };
        for (var i = 0; i < 3; i++) comments.Add(Comment(10 + i, $"Evening GP appointments impossible {i}", outcome: 5));
        comments.Add(Comment(20, "Ambulance waits are too long", outcome: 5, theme: "ambulance"));

        var report = Build(comments);
        Assert.Equal([1, 2, 3, 4, 5, 6, 0], report.Sections.Select(s => s.Outcome.Id));
        Assert.Equal("General feedback", report.Sections[^1].Heading);
        var outcome5 = report.Sections.Single(s => s.Outcome.Id == 5).PublicFeedback;
        Assert.Equal(["Access to GP appointments", "Ambulance"], outcome5.Select(g => g.ThemeName));
        Assert.Equal([3, 1], outcome5.Select(g => g.Count));
        Assert.Equal(1, report.Sections.Single(s => s.Outcome.Id == 2).Counts.Comments);
    }

    [Fact]
    public void Confirmed_tags_win_over_suggestions_and_spam_and_hidden_are_left_out()
    {
        var report = Build(
        [
            Comment(1, "No bus to the hospital after six", outcome: 5) with { ConfirmedOutcome = 2, ConfirmedTheme = "transport" },
            Comment(2, "Buy cheap watches", status: CommentStatuses.Spam),
            Comment(3, "Something hidden", status: CommentStatuses.Hidden),
        ]);
        Assert.Equal(1, report.Sections.Single(s => s.Outcome.Id == 2).Counts.Comments);
        Assert.Equal(0, report.Sections.Single(s => s.Outcome.Id == 5).Counts.Comments);
        Assert.Equal(2, report.Method.Excluded);
        Assert.Equal(1, report.Method.ConfirmedByPerson);
        Assert.DoesNotContain(report.Comments, c => c.Text.Contains("watches") || c.Text.Contains("hidden"));
    }

    [Fact]
    public void Quotes_come_only_from_consenting_unflagged_comments_without_personal_data()
    {
        var report = Build(
        [
            Comment(1, "Evening GP appointments are hard to get for working parents", "SW", consent: false),
            Comment(2, "Evening GP appointments are hard to get, call me on 07700 900123", "T"),
            Comment(3, "Evening GP appointments are hard to get for working parents in Dover", "D", safeguarding: true),
            Comment(4, "Evening GP appointments are hard to get for working parents too", "M", status: CommentStatuses.Hidden),
            Comment(5, "Evening GP appointments hard to get for us working parents", "A"),
            Comment(6, "Evening GP appointments are really hard to get for working parents", "A"),
            Comment(7, "Evening GP appointments are nearly impossible for working parents", "C"),
        ], options: new ReportOptions { QuotesPerTheme = 3 });

        var quotes = AllGroups(report).SelectMany(g => g.Quotes).ToList();
        Assert.Equal([5, 6, 7], quotes.Select(q => q.CommentId).Order());
        // Spread across districts: Canterbury's comment is picked before a second, more typical, Ashford one.
        var two = Build(
        [
            Comment(5, "Evening GP appointments hard to get for us working parents", "A"),
            Comment(6, "Evening GP appointments are hard to get for us working parents", "A"),
            Comment(8, "Evening GP appointments hard to get for working parents", "A"),
            Comment(7, "Evening GP appointments are nearly impossible for working parents", "C"),
        ]);
        var picked = AllGroups(two).Single().Quotes;
        Assert.Equal(2, picked.Count);
        Assert.Equal(2, picked.Select(q => q.District).Distinct().Count());
    }

    [Fact]
    public void Point_wording_is_redacted_and_never_taken_from_a_safeguarding_flagged_comment()
    {
        var report = Build(
        [
            Comment(1, "My name is Jane Doe and evening GP appointments are impossible for working parents", "SW"),
            Comment(2, "Evening GP appointments are impossible for working parents, ring 07700 900123", "T"),
        ]);
        var point = AllGroups(report).Single().Points.Single();
        Assert.DoesNotContain("Jane", point.Wording);
        Assert.DoesNotContain("07700", point.Wording);
        Assert.DoesNotContain(report.Comments, c => c.Text.Contains("Jane") || c.Text.Contains("07700"));

        var flagged = Build([Comment(1, "Evening GP appointments are impossible and I feel unsafe at home", safeguarding: true)]);
        Assert.DoesNotContain("unsafe", AllGroups(flagged).Single().Points.Single().Wording);
    }

    [Fact]
    public void A_disclosure_the_safeguarding_scan_has_not_read_yet_is_never_quoted_or_used_as_wording()
    {
        const string disclosure = "Evening GP appointments are hard to get for working parents and I want to kill myself";
        var report = Build([Comment(1, disclosure, "SW"), Comment(2, disclosure + " honestly", "T")]);
        var group = AllGroups(report).Single();
        Assert.DoesNotContain("kill", group.Points.Single().Wording);
        Assert.Empty(group.Quotes);

        // Once a person has read it and cleared the flag, the report trusts them.
        var cleared = Build([Comment(1, disclosure, "SW") with { SafeguardingChecked = true }]);
        Assert.Contains("kill", AllGroups(cleared).Single().Points.Single().Wording);
    }

    [Fact]
    public void An_edit_follows_its_comments_when_the_report_is_regenerated()
    {
        List<ReportComment> comments =
        [
            Comment(1, "Evening GP appointments are hard to get for working parents", "SW"),
            Comment(2, "It is hard to get evening GP appointments as a working parent", "T"),
            Comment(3, "The bus to the hospital stopped running after 6pm", "Da", outcome: 5),
        ];
        var first = Build(comments);
        var gp = AllGroups(first).SelectMany(g => g.Points).Single(p => p.CommentIds.Contains(1));
        var bus = AllGroups(first).SelectMany(g => g.Points).Single(p => p.CommentIds.Contains(3));
        PointEdit[] edits =
        [
            new() { Id = 1, ConsultationId = 1, PointKey = gp.Key, Version = 2, Wording = "Working parents cannot get evening GP appointments",
                CommentIds = string.Join(",", gp.CommentIds), EditedBy = "author@example.org", EditedAt = DateTime.UtcNow },
            new() { Id = 2, ConsultationId = 1, PointKey = bus.Key, Version = 1, Hidden = true,
                CommentIds = string.Join(",", bus.CommentIds), EditedBy = "author@example.org", EditedAt = DateTime.UtcNow },
        ];

        comments.Add(Comment(4, "GP appointments in the evening are so hard to get for working parents", "M"));
        var second = Build(comments, edits);

        var points = AllGroups(second).SelectMany(g => g.Points).ToList();
        var edited = Assert.Single(points);
        Assert.Equal("Working parents cannot get evening GP appointments", edited.Wording);
        Assert.True(edited.Edited);
        Assert.Contains(4L, edited.CommentIds);
        Assert.Equal(3, edited.Count);
    }

    [Fact]
    public void Who_we_heard_from_names_under_represented_groups()
    {
        var comments = Enumerable.Range(1, 40).Select(i => Comment(i, "Comment " + i, i % 2 == 0 ? "Med" : "T") with
        {
            AgeBand = i % 4 == 0 ? "75-plus" : "65-74", Sex = "female", EthnicGroup = "white",
        }).ToList();
        var who = Build(comments).Who;

        Assert.Contains("people in Maidstone", who.UnderRepresented);
        Assert.DoesNotContain("people in Thanet", who.UnderRepresented);
        Assert.Contains("men", who.UnderRepresented);
        Assert.Contains("people aged 18 to 24", who.UnderRepresented);
        Assert.DoesNotContain("women", who.UnderRepresented);
        Assert.Contains("fewer responses than expected came from", who.UnderRepresentedSentence);
        Assert.Equal(40, who.Equality.Single(e => e.Question == "Age").Answered);
    }

    [Theory]
    [InlineData("Short one. Second sentence here. Third.", 200, "Short one. Second sentence here.")]
    [InlineData("A first sentence that is already long enough to stand on its own. Then more.", 200, "A first sentence that is already long enough to stand on its own.")]
    [InlineData("one two three four five six seven eight nine ten", 20, "one two three four…")]
    public void Wording_is_trimmed_to_a_sentence_or_two(string text, int max, string expected) =>
        Assert.Equal(expected, ReportBuilder.TrimToSentences(text, max));
}
