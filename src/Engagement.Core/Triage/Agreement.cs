using System.Globalization;
using Engagement.Classifier;

namespace Engagement.Core.Triage;

/// <summary>Cohen's kappa: agreement between two coders beyond what chance alone would give.</summary>
public sealed record KappaResult(int Count, double ObservedAgreement, double ExpectedAgreement, double Kappa)
{
    /// <summary>Landis and Koch's words for a kappa value.</summary>
    public string Interpretation => Count == 0 ? "No double-coded comments yet" : Kappa switch
    {
        < 0 => "Poor (worse than chance)",
        <= 0.20 => "Slight",
        <= 0.40 => "Fair",
        <= 0.60 => "Moderate",
        <= 0.80 => "Substantial",
        _ => "Almost perfect",
    };
}

public sealed record WeeklyAgreement(DateOnly WeekStarting, int Confirmed, int OutcomeAgreed, int ThemeAgreed)
{
    public double OutcomeRate => Confirmed == 0 ? 0 : (double)OutcomeAgreed / Confirmed;
    public double ThemeRate => Confirmed == 0 ? 0 : (double)ThemeAgreed / Confirmed;
}

/// <summary>A comment a person confirmed, next to what the model had suggested.</summary>
public sealed record ConfirmedDecision
{
    public long Id { get; init; }
    public int? SuggestedOutcome { get; init; }
    public string? SuggestedTheme { get; init; }
    public int ConfirmedOutcome { get; init; }
    public string ConfirmedTheme { get; init; } = "";
    public DateTime? ConfirmedAt { get; init; }
}

/// <summary>A double-coded comment: the first coder's confirmed code and the blind second code.</summary>
public sealed record DoubleCode
{
    public long CommentId { get; init; }
    public int FirstOutcome { get; init; }
    public string FirstTheme { get; init; } = "";
    public int SecondOutcome { get; init; }
    public string SecondTheme { get; init; } = "";
}

public sealed record AgreementReport(
    int Confirmed,
    int WithSuggestion,
    EvaluationResult Outcomes,
    double ThemeAccuracy,
    IReadOnlyList<WeeklyAgreement> Weekly,
    KappaResult OutcomeKappa,
    KappaResult ThemeKappa,
    int DoubleCoded);

public static class Agreement
{
    public static KappaResult CohensKappa<T>(IReadOnlyList<T> first, IReadOnlyList<T> second) where T : notnull
    {
        if (first.Count != second.Count) throw new ArgumentException($"{first.Count} codes from the first coder but {second.Count} from the second.");
        var n = first.Count;
        if (n == 0) return new KappaResult(0, 0, 0, 0);
        var agreed = 0;
        var firstCounts = new Dictionary<T, int>();
        var secondCounts = new Dictionary<T, int>();
        for (var i = 0; i < n; i++)
        {
            if (EqualityComparer<T>.Default.Equals(first[i], second[i])) agreed++;
            firstCounts[first[i]] = firstCounts.GetValueOrDefault(first[i]) + 1;
            secondCounts[second[i]] = secondCounts.GetValueOrDefault(second[i]) + 1;
        }
        var po = (double)agreed / n;
        var pe = firstCounts.Sum(kv => (double)kv.Value / n * secondCounts.GetValueOrDefault(kv.Key) / n);
        // Both coders used one and the same category throughout: agreement is perfect but kappa is undefined; report 1.
        var kappa = pe >= 1 ? 1 : (po - pe) / (1 - pe);
        return new KappaResult(n, po, pe, kappa);
    }

    /// <summary>Monday of the ISO week the moment falls in.</summary>
    public static DateOnly WeekStarting(DateTime at)
    {
        var d = DateOnly.FromDateTime(at);
        var offset = ((int)d.DayOfWeek + 6) % 7;
        return d.AddDays(-offset);
    }

    public static AgreementReport Build(IReadOnlyList<ConfirmedDecision> decisions, IReadOnlyList<DoubleCode> doubles)
    {
        var withSuggestion = decisions.Where(d => d.SuggestedOutcome is not null).ToList();
        var outcomeLabels = Engagement.Core.Domain.Outcomes.All.Select(o => o.Id.ToString(CultureInfo.InvariantCulture));
        var outcomes = Evaluation.Compute(
            withSuggestion.Select(d => d.ConfirmedOutcome.ToString(CultureInfo.InvariantCulture)).ToList(),
            withSuggestion.Select(d => d.SuggestedOutcome!.Value.ToString(CultureInfo.InvariantCulture)).ToList(),
            outcomeLabels);
        var themeAccuracy = withSuggestion.Count == 0 ? 0 : withSuggestion.Count(d => d.SuggestedTheme == d.ConfirmedTheme) / (double)withSuggestion.Count;
        var weekly = withSuggestion.Where(d => d.ConfirmedAt is not null)
            .GroupBy(d => WeekStarting(d.ConfirmedAt!.Value))
            .OrderBy(g => g.Key)
            .Select(g => new WeeklyAgreement(g.Key, g.Count(), g.Count(d => d.SuggestedOutcome == d.ConfirmedOutcome), g.Count(d => d.SuggestedTheme == d.ConfirmedTheme)))
            .ToList();
        return new AgreementReport(
            decisions.Count, withSuggestion.Count, outcomes, themeAccuracy, weekly,
            CohensKappa(doubles.Select(d => d.FirstOutcome).ToList(), doubles.Select(d => d.SecondOutcome).ToList()),
            CohensKappa(doubles.Select(d => d.FirstTheme).ToList(), doubles.Select(d => d.SecondTheme).ToList()),
            doubles.Count);
    }
}
