using Engagement.Classifier;

namespace Engagement.Core.Triage;

/// <summary>
/// Serves whichever model version is active in model_versions, falling back to Classifier:ModelPath when none is.
/// Promotion and rollback swap the underlying <see cref="PooledCommentClassifier"/> without a restart; requests in
/// flight finish on the model they started with.
/// </summary>
public sealed class ActiveModelClassifier : ICommentClassifier
{
    private readonly ClassifierOptions options;
    private readonly Func<string?> activePath;
    private readonly Lock gate = new();
    private volatile PooledCommentClassifier? current;
    private volatile string? activeVersionProblem;
    private (string Path, DateTime Written)? lastFailure;

    /// <param name="activePath">Looks up the active version's file (null when none is recorded); called once, lazily.</param>
    public ActiveModelClassifier(ClassifierOptions options, Func<string?> activePath)
    {
        this.options = options;
        this.activePath = activePath;
    }

    private PooledCommentClassifier Current
    {
        get
        {
            var c = current;
            if (c is not null) return c;
            lock (gate)
            {
                if (current is not null) return current;
                string? path = null;
                try { path = activePath(); } catch (Exception) { /* database not ready: serve the configured model */ }
                var chosen = path is not null ? Load(path) : null;
                current = chosen is { IsAvailable: true } ? chosen : new PooledCommentClassifier(options);
                if (chosen is { IsAvailable: false })
                    activeVersionProblem = $"the active model version could not be loaded, so {current.ModelPath} is served instead: {chosen.UnavailableReason}";
                return current;
            }
        }
    }

    private PooledCommentClassifier Load(string path) =>
        new(new ClassifierOptions { ModelPath = path, NeedsReviewBelow = options.NeedsReviewBelow });

    /// <summary>The file being served.</summary>
    public string ModelPath => Current.ModelPath;

    public ModelInfo? Info => Current.Info;

    /// <summary>Loads and starts serving the model at <paramref name="path"/>. Keeps the old one and returns the reason if it cannot.</summary>
    public string? Switch(string path)
    {
        var next = Load(path);
        if (!next.IsAvailable) return next.UnavailableReason ?? "The model could not be loaded.";
        lock (gate)
        {
            current = next;
            activeVersionProblem = null;
        }
        return null;
    }

    /// <summary>
    /// Set while the version recorded as active cannot be loaded and another model is served in its place, so /health
    /// can say so: suggestions still come, but not from the model people promoted.
    /// </summary>
    public string? ActiveVersionProblem
    {
        get
        {
            _ = Current;
            return activeVersionProblem;
        }
    }

    /// <summary>
    /// Serves the version another instance recorded as active. If its file cannot be loaded the current model stays and
    /// <see cref="ActiveVersionProblem"/> says why; the same unchanged file is not tried again on every sync.
    /// </summary>
    public string? FollowActive(string path)
    {
        var written = File.Exists(path) ? File.GetLastWriteTimeUtc(path) : DateTime.MinValue;
        if (lastFailure == (path, written)) return null;
        var error = Switch(path);
        lastFailure = error is null ? null : (path, written);
        if (error is not null) activeVersionProblem = $"the active model version could not be loaded, so {ModelPath} is still served: {error}";
        return error;
    }

    public bool IsAvailable => Current.IsAvailable;
    public string? ModelVersion => Current.ModelVersion;
    public string? UnavailableReason => Current.UnavailableReason;
    public ThemeSuggestion? Suggest(string text) => Current.Suggest(text);
    public IReadOnlyList<ThemeSuggestion?> SuggestMany(IReadOnlyList<string> texts) => Current.SuggestMany(texts);
}
