namespace Engagement.Classifier;

/// <summary>A suggested theme for one comment. The outcome is the one the theme belongs to in the taxonomy.</summary>
public sealed record ThemeSuggestion(
    string ThemeId,
    int OutcomeId,
    float Confidence,
    IReadOnlyList<(string ThemeId, float Score)> Top3,
    IReadOnlyList<string> TopTerms,
    bool NeedsReview);

/// <summary>
/// Serves suggestions from the trained model. When the model file is missing or corrupt the classifier
/// is unavailable rather than failing: callers carry on without suggestions.
/// </summary>
public interface ICommentClassifier
{
    bool IsAvailable { get; }
    string? ModelVersion { get; }
    string? UnavailableReason { get; }
    ThemeSuggestion? Suggest(string text);
    IReadOnlyList<ThemeSuggestion?> SuggestMany(IReadOnlyList<string> texts);
}

public sealed class ClassifierOptions
{
    public const string Section = "Classifier";

    public string ModelPath { get; set; } = "models/outcome-theme-classifier.zip";

    /// <summary>
    /// Suggestions whose (calibrated, outcome-level) confidence is below this are marked "needs review".
    /// 0.8 is the lowest threshold at which accepted suggestions were right at least 85% of the time in
    /// cross-validation; each training run recomputes it (models/outcome-theme-classifier.md, "Needs review").
    /// </summary>
    public float NeedsReviewBelow { get; set; } = 0.8f;
}
