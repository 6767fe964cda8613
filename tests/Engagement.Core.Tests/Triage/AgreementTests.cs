using Engagement.Core.Triage;

namespace Engagement.Core.Tests.Triage;

public sealed class AgreementTests
{
    /// <summary>
    /// Hand-checked: 50 items coded yes/no by two coders. Both yes 20, A yes/B no 5, A no/B yes 10, both no 15.
    /// Observed agreement (20+15)/50 = 0.70. A says yes 25/50 = 0.5, B says yes 30/50 = 0.6, so chance agreement is
    /// 0.5×0.6 + 0.5×0.4 = 0.50, and kappa = (0.70 − 0.50) / (1 − 0.50) = 0.40.
    /// </summary>
    [Fact]
    public void Kappa_matches_the_hand_computed_two_by_two_example()
    {
        var a = new List<string>();
        var b = new List<string>();
        void Add(string x, string y, int n) { for (var i = 0; i < n; i++) { a.Add(x); b.Add(y); } }
        Add("yes", "yes", 20);
        Add("yes", "no", 5);
        Add("no", "yes", 10);
        Add("no", "no", 15);

        var k = Agreement.CohensKappa(a, b);
        Assert.Equal(50, k.Count);
        Assert.Equal(0.70, k.ObservedAgreement, 10);
        Assert.Equal(0.50, k.ExpectedAgreement, 10);
        Assert.Equal(0.40, k.Kappa, 10);
        Assert.Equal("Fair", k.Interpretation);
    }

    /// <summary>
    /// Three themes, 10 comments. Agreements on the diagonal: 3 + 2 + 2 = 7, so po = 0.7.
    /// Coder 1 marginals: a 4, b 3, c 3. Coder 2 marginals: a 3, b 4, c 3.
    /// pe = (4×3 + 3×4 + 3×3) / 100 = 0.33; kappa = (0.7 − 0.33) / 0.67 = 0.552239…
    /// </summary>
    [Fact]
    public void Kappa_on_three_categories()
    {
        string[] first = ["a", "a", "a", "a", "b", "b", "b", "c", "c", "c"];
        string[] second = ["a", "a", "a", "b", "b", "b", "c", "c", "c", "b"];
        var k = Agreement.CohensKappa(first, second);
        Assert.Equal(0.7, k.ObservedAgreement, 10);
        Assert.Equal(0.33, k.ExpectedAgreement, 10);
        Assert.Equal(0.37 / 0.67, k.Kappa, 10);
    }

    [Fact]
    public void Kappa_edge_cases()
    {
        Assert.Equal(0, Agreement.CohensKappa(Array.Empty<int>(), Array.Empty<int>()).Count);
        Assert.Equal(1, Agreement.CohensKappa([1, 1, 1], [1, 1, 1]).Kappa);
        Assert.Equal(1, Agreement.CohensKappa([1, 2, 3], [1, 2, 3]).Kappa, 10);
        Assert.True(Agreement.CohensKappa([1, 2, 1, 2], [2, 1, 2, 1]).Kappa < 0);
        Assert.Throws<ArgumentException>(() => Agreement.CohensKappa([1], [1, 2]));
    }

    [Fact]
    public void Agreement_report_has_per_outcome_scores_confusion_and_weeks()
    {
        var monday = new DateTime(2026, 11, 2, 9, 0, 0, DateTimeKind.Utc);
        ConfirmedDecision D(int suggested, int confirmed, int day) => new()
        {
            SuggestedOutcome = suggested, SuggestedTheme = "t" + suggested, ConfirmedOutcome = confirmed, ConfirmedTheme = "t" + confirmed,
            ConfirmedAt = monday.AddDays(day),
        };
        var report = Agreement.Build([D(1, 1, 0), D(1, 2, 1), D(2, 2, 6), D(2, 2, 7), new ConfirmedDecision { ConfirmedOutcome = 3, ConfirmedTheme = "t3" }], []);

        Assert.Equal((5, 4), (report.Confirmed, report.WithSuggestion));
        Assert.Equal(0.75, report.Outcomes.Accuracy, 10);
        var one = report.Outcomes.PerClass.Single(c => c.Label == "1");
        var two = report.Outcomes.PerClass.Single(c => c.Label == "2");
        Assert.Equal((0.5, 1.0), (one.Precision, one.Recall));
        Assert.Equal((1.0, 2.0 / 3), (two.Precision, two.Recall));
        Assert.Equal(7, report.Outcomes.Labels.Count); // every outcome, 0 to 6
        Assert.Equal(1, report.Outcomes.Confusion[2][1]); // confirmed 2, suggested 1
        Assert.Equal([new DateOnly(2026, 11, 2), new DateOnly(2026, 11, 9)], report.Weekly.Select(w => w.WeekStarting));
        Assert.Equal((3, 2), (report.Weekly[0].Confirmed, report.Weekly[0].OutcomeAgreed));
        Assert.Equal(0, report.ThemeKappa.Count);
    }
}
