using System.Globalization;
using Engagement.Core.Domain;

namespace Engagement.Core.Triage;

/// <summary>Why a comment is kept out of the evidence: spam, abusive or off-topic.</summary>
public static class FlagKinds
{
    public const string Spam = "spam";
    public const string Abusive = "abusive";
    public const string OffTopic = "off-topic";

    public static readonly IReadOnlyList<string> All = [Spam, Abusive, OffTopic];

    public static bool IsValid(string? kind) => kind is not null && All.Contains(kind);

    /// <summary>Spam keeps its own status; abusive and off-topic comments are hidden from reports.</summary>
    public static string StatusFor(string kind) => kind == Spam ? CommentStatuses.Spam : CommentStatuses.Hidden;

    public static string LabelOf(string? kind) => kind switch
    {
        Spam => "Spam",
        Abusive => "Abusive",
        OffTopic => "Off-topic",
        _ => "–",
    };
}

public enum QueueOrder { LeastCertain, Newest }

/// <summary>Bands of the model's confidence, for filtering the queue.</summary>
public static class ConfidenceBands
{
    public const string None = "none";
    public const string Low = "low";
    public const string Medium = "medium";
    public const string High = "high";

    public const double MediumFrom = 0.5;
    public const double HighFrom = 0.8;

    public static readonly IReadOnlyList<Choice> All =
    [
        new(None, "No suggestion"),
        new(Low, "Low (under 50%)"),
        new(Medium, "Medium (50% to 79%)"),
        new(High, "High (80% or more)"),
    ];

    public static bool IsValid(string? band) => All.Any(b => b.Value == band);
}

public sealed record QueueFilter
{
    public string? District { get; init; }
    public string? RespondentType { get; init; }
    public string? Channel { get; init; }
    public int? SuggestedOutcome { get; init; }
    public string? Band { get; init; }
}

/// <summary>
/// Where the next page starts. "Least certain first" pages on (confidence, id) with NULL confidence first;
/// "newest first" pages on id. Encoded into the page link so paging stays fast at any depth.
/// </summary>
public sealed record QueueCursor(bool HasConfidence, double Confidence, long Id)
{
    public string Encode() => HasConfidence
        ? "c" + Confidence.ToString("R", CultureInfo.InvariantCulture) + "_" + Id.ToString(CultureInfo.InvariantCulture)
        : "n" + Id.ToString(CultureInfo.InvariantCulture);

    public static QueueCursor? Decode(string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Length < 2) return null;
        if (value[0] == 'n' && long.TryParse(value.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            return new QueueCursor(false, 0, id);
        if (value[0] != 'c') return null;
        var parts = value[1..].Split('_');
        if (parts.Length == 2
            && double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var conf) && double.IsFinite(conf)
            && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var after))
            return new QueueCursor(true, conf, after);
        return null;
    }
}

/// <summary>A comment with everything triage shows and changes. RowVersion guards against overwriting someone else's change.</summary>
public sealed record TriageItem
{
    public long Id { get; init; }
    public long SubmissionId { get; init; }
    public long ConsultationId { get; init; }
    public string Text { get; init; } = "";
    public int? ChosenOutcome { get; init; }
    public int? SuggestedOutcome { get; init; }
    public string? SuggestedTheme { get; init; }
    public double? SuggestedConfidence { get; init; }
    public string? SuggestionModelVersion { get; init; }
    public int? ConfirmedOutcome { get; init; }
    public string? ConfirmedTheme { get; init; }
    public string? SecondaryTheme { get; init; }
    public string Status { get; init; } = CommentStatuses.New;
    public string? FlagKind { get; init; }
    public bool Safeguarding { get; init; }
    public string? SafeguardingReason { get; init; }
    public string? RedactedText { get; init; }
    public string? RedactionConfirmedBy { get; init; }
    public DateTime? RedactionConfirmedAt { get; init; }
    public string? ConfirmedBy { get; init; }
    public DateTime? ConfirmedAt { get; init; }
    public string? District { get; init; }
    public string RespondentType { get; init; } = "";
    public string Channel { get; init; } = "";
    public string Reference { get; init; } = "";
    public DateTime CreatedAt { get; init; }
    public int RowVersion { get; init; }
}

public sealed record QueuePage(IReadOnlyList<TriageItem> Items, long Total, string? NextCursor);

public enum TriageActionKind { Accept, SetTheme, SetSecondaryTheme, Flag, SetSafeguarding, ConfirmRedaction, AddNote, ReturnToQueue }

/// <summary>One change a triager asks for. ExpectedRowVersion is the version they were looking at.</summary>
public sealed record TriageCommand
{
    public required long CommentId { get; init; }
    public required int ExpectedRowVersion { get; init; }
    public required TriageActionKind Kind { get; init; }
    public string? ThemeId { get; init; }
    public string? FlagKind { get; init; }
    public bool Safeguarding { get; init; }
    public string? Text { get; init; }
}

public enum TriageOutcomeKind { Saved, Conflict, NotFound, Invalid }

/// <summary>What happened. On a conflict, Current holds the comment as someone else left it; nothing was written.</summary>
public sealed record TriageResult(TriageOutcomeKind Kind, TriageItem? Current, string? Message = null)
{
    public bool Saved => Kind == TriageOutcomeKind.Saved;
}

public sealed record AuditEntry
{
    public long Id { get; init; }
    public long CommentId { get; init; }
    public string ChangedBy { get; init; } = "";
    public DateTime ChangedAt { get; init; }
    public string Field { get; init; } = "";
    public string? OldValue { get; init; }
    public string? NewValue { get; init; }
}

public sealed record CommentNote
{
    public long Id { get; init; }
    public long CommentId { get; init; }
    public string Author { get; init; } = "";
    public DateTime CreatedAt { get; init; }
    public string Text { get; init; } = "";
}

/// <summary>A (comment, row version) pair from a checkbox selection.</summary>
public sealed record SelectedComment(long CommentId, int RowVersion)
{
    public string Encode() => CommentId.ToString(CultureInfo.InvariantCulture) + ":" + RowVersion.ToString(CultureInfo.InvariantCulture);

    public static SelectedComment? Decode(string? value)
    {
        var parts = value?.Split(':');
        return parts is { Length: 2 }
            && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var v)
            ? new SelectedComment(id, v) : null;
    }
}

public sealed record BulkResult(IReadOnlyList<long> Saved, IReadOnlyList<long> Conflicts, IReadOnlyList<long> Skipped);

public sealed class TriageOptions
{
    public const string Section = "Triage";

    /// <summary>Share of confirmed comments (whole percent) offered blind to a second coder.</summary>
    public int DoubleCodingPercent { get; set; } = 10;

    /// <summary>Share of confirmed comments (whole percent) held back from retraining to evaluate on.</summary>
    public int HeldBackPercent { get; set; } = 20;

    /// <summary>Folder for retrained model files. Empty: the "models" folder inside Database:DataDirectory (App_Data/models).</summary>
    public string ModelDirectory { get; set; } = "";

    /// <summary>Base corpus for retraining (train.csv and test.csv).</summary>
    public string TrainingDataDir { get; set; } = "data-samples/training";

    /// <summary>
    /// Cross-validation folds during retraining: the out-of-fold scores calibrate confidence and pick the review threshold.
    /// Each fold is one more fit, so fewer is faster; 3 keeps a retrain on the corpus plus 10,000 confirmed comments well
    /// inside two minutes (docs/triage.md) while every row still gets an out-of-fold score.
    /// </summary>
    public int RetrainFolds { get; set; } = 3;

    /// <summary>Seconds between background safeguarding scans of newly stored comments.</summary>
    public int SafeguardingScanSeconds { get; set; } = 5;

    /// <summary>
    /// Seconds between checks that this instance serves the active model version. With several instances, one that did
    /// not handle a promotion (or rollback) serves the new version within this long plus one scan. The model files must
    /// be on storage every instance can read (Triage:ModelDirectory): see docs/operations.md.
    /// </summary>
    public int ModelSyncSeconds { get; set; } = 30;
}
