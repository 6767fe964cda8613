using Engagement.Classifier;
using Engagement.Core.Data;
using Engagement.Core.Domain;

namespace Engagement.Core;

/// <summary>Turns classifier output into the suggestion stored on a comment. Returns nothing when the model is unavailable.</summary>
public sealed class SuggestionService(ICommentClassifier classifier, CommentStore comments)
{
    public bool IsAvailable => classifier.IsAvailable;

    public CommentSuggestion? Suggest(string text)
    {
        if (!classifier.IsAvailable) return null;
        return ToSuggestion(classifier.Suggest(text));
    }

    public IReadOnlyList<CommentSuggestion?> SuggestMany(IReadOnlyList<string> texts)
    {
        if (!classifier.IsAvailable || texts.Count == 0) return texts.Select(_ => (CommentSuggestion?)null).ToList();
        return classifier.SuggestMany(texts).Select(ToSuggestion).ToList();
    }

    /// <summary>Fills in suggestions for stored comments that have none (e.g. loaded while the model was missing).</summary>
    public async Task<int> BackfillAsync(long? consultationId, CancellationToken ct = default)
    {
        if (!classifier.IsAvailable) return 0;
        var done = 0;
        while (!ct.IsCancellationRequested)
        {
            var batch = await comments.WithoutSuggestionAsync(consultationId, 2000);
            if (batch.Count == 0) break;
            var suggestions = SuggestMany(batch.Select(b => b.Text).ToList());
            var updates = batch.Zip(suggestions).Where(p => p.Second is not null).Select(p => (p.First.Id, p.Second!)).ToList();
            if (updates.Count == 0) break;
            await comments.SetSuggestionsAsync(updates);
            done += updates.Count;
        }
        return done;
    }

    private CommentSuggestion? ToSuggestion(ThemeSuggestion? s) =>
        s is null ? null : new CommentSuggestion(s.OutcomeId, s.ThemeId, Math.Round(s.Confidence, 4), s.NeedsReview, classifier.ModelVersion);
}
