using Engagement.Classifier;

namespace Engagement.Classifier.Tests;

/// <summary>The model shipped in models/ loads and gets plain cases right.</summary>
public class CommittedModelTests
{
    private static readonly string ModelPath = RepoPaths.Resolve(new ClassifierOptions().ModelPath);

    [Theory]
    [InlineData("I can never get a GP appointment, the phone line at 8am is always engaged", 4)]
    [InlineData("We need more NHS dentists taking on new patients in Sheerness", 4)]
    [InlineData("Waited 14 months for my hip operation", 5)]
    [InlineData("Our flat has black mould and the landlord will not fix it", 2)]
    [InlineData("Not enough staff on the wards, nurses are leaving for agency work", 6)]
    [InlineData("My son has waited two years for an EHCP and his school can't meet his SEND needs", 1)]
    public void Classifies_plain_comments(string text, int outcome)
    {
        // Before the first `engage train` there is no model to check; once models/ holds one, it must work.
        if (!File.Exists(ModelPath)) return;
        var classifier = new PooledCommentClassifier(new ClassifierOptions());

        Assert.True(classifier.IsAvailable, classifier.UnavailableReason);
        var s = classifier.Suggest(text)!;
        Assert.Equal(outcome, s.OutcomeId);
        Assert.NotEmpty(s.TopTerms);
        Assert.False(string.IsNullOrEmpty(classifier.ModelVersion));
    }

    [Fact]
    public void Held_out_accuracy_rises_with_confidence()
    {
        // Confidence should mean agreement with the truth: on the fixed test split (never trained on), the most confident
        // third of suggestions must be right more often than the middle third, and that more often than the least confident.
        if (!File.Exists(ModelPath)) return;
        var classifier = new PooledCommentClassifier(new ClassifierOptions());
        var test = LabelledData.Read(RepoPaths.Resolve("data-samples/training/test.csv")).Where(r => r.Text.Length > 0).ToList();
        var suggestions = classifier.SuggestMany(test.Select(r => r.Text).ToList());
        var ranked = test.Select((r, i) => (suggestions[i]!.Confidence, Right: suggestions[i]!.OutcomeId == r.Outcome))
            .OrderBy(x => x.Confidence).ToList();
        var third = ranked.Count / 3;
        double Accuracy(IEnumerable<(float, bool Right)> xs) => xs.Average(x => x.Right ? 1.0 : 0.0);
        var low = Accuracy(ranked.Take(third));
        var mid = Accuracy(ranked.Skip(third).Take(third));
        var high = Accuracy(ranked.Skip(2 * third));

        Assert.True(low < mid && mid < high, $"accuracy by confidence third: {low:0.000}, {mid:0.000}, {high:0.000}");
    }
}
