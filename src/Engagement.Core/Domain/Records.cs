namespace Engagement.Core.Domain;

public sealed record Consultation
{
    public long Id { get; init; }
    public required string Slug { get; init; }
    public required string Title { get; init; }
    public string Summary { get; init; } = "";
    public DateTime OpensOn { get; init; }
    public DateTime ClosesOn { get; init; }
    public string Status { get; init; } = ConsultationStatuses.Draft;

    public bool IsOpen => Status == ConsultationStatuses.Open;
}

public static class ConsultationStatuses
{
    public const string Draft = "draft";
    public const string Open = "open";
    public const string Closed = "closed";
    public static bool IsValid(string? s) => s is Draft or Open or Closed;
}

public sealed record Question
{
    public long Id { get; init; }
    public long ConsultationId { get; init; }
    public required string Key { get; init; }
    public required string Prompt { get; init; }
    public int? OutcomeId { get; init; }
    public int SortOrder { get; init; }
}

public sealed record AboutYouAnswers(string? AgeBand, string? Sex, string? EthnicGroup, string? Disability, string? UnpaidCarer)
{
    public static readonly AboutYouAnswers None = new(null, null, null, null, null);
}

/// <summary>What a respondent (or an import row) hands in: one or more comments plus who they are.</summary>
public sealed record NewSubmission
{
    public required long ConsultationId { get; init; }
    public required string RespondentType { get; init; }
    public string? Organisation { get; init; }
    public string? PartnerType { get; init; }
    public string? District { get; init; }
    public string Channel { get; init; } = Channels.Online;
    public bool ConsentToQuote { get; init; }
    public AboutYouAnswers AboutYou { get; init; } = AboutYouAnswers.None;
    public string? IdempotencyKey { get; init; }
    public string? SourceRef { get; init; }
    public DateTime SubmittedAt { get; init; } = DateTime.UtcNow;
    public required IReadOnlyList<NewComment> Comments { get; init; }
}

public sealed record NewComment(string Text, int? ChosenOutcome, long? QuestionId = null)
{
    public CommentSuggestion? Suggestion { get; init; }
}

/// <summary>The classifier's view of a comment, kept apart from what a person confirms.</summary>
public sealed record CommentSuggestion(int OutcomeId, string ThemeId, double Confidence, bool NeedsReview, string? ModelVersion);

public sealed record SubmissionResult(long SubmissionId, string Reference, bool AlreadyExisted);

public sealed record Submission
{
    public long Id { get; init; }
    public long ConsultationId { get; init; }
    public required string Reference { get; init; }
    public required string RespondentType { get; init; }
    public string? Organisation { get; init; }
    public string? PartnerType { get; init; }
    public string? District { get; init; }
    public required string Channel { get; init; }
    public bool ConsentToQuote { get; init; }
    public string? AgeBand { get; init; }
    public string? Sex { get; init; }
    public string? EthnicGroup { get; init; }
    public string? Disability { get; init; }
    public string? UnpaidCarer { get; init; }
    public DateTime SubmittedAt { get; init; }
}

public sealed record CommentRow
{
    public long Id { get; init; }
    public long SubmissionId { get; init; }
    public long ConsultationId { get; init; }
    public required string Text { get; init; }
    public int? ChosenOutcome { get; init; }
    public int? SuggestedOutcome { get; init; }
    public string? SuggestedTheme { get; init; }
    public double? SuggestedConfidence { get; init; }
    public bool SuggestionNeedsReview { get; init; }
    public string? SuggestionModelVersion { get; init; }
    public int? ConfirmedOutcome { get; init; }
    public string? ConfirmedTheme { get; init; }
    public required string Status { get; init; }
    public string? District { get; init; }
    public required string RespondentType { get; init; }
    public required string Channel { get; init; }
    public required string Reference { get; init; }
    public string? Organisation { get; init; }
    public DateTime CreatedAt { get; init; }
    /// <summary>The team's confirmed redaction; null until someone reviews it.</summary>
    public string? RedactedText { get; init; }
    /// <summary>Discloses a risk of harm: withheld from everyone but the engagement team, never quoted.</summary>
    public bool Safeguarding { get; init; }
}

public sealed record Theme
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public int OutcomeId { get; init; }
    public string Description { get; init; } = "";
    public bool Retired { get; init; }
}
