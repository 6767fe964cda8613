using Engagement.Core.Domain;

namespace Engagement.Core.Reports;

public sealed record LabelledCount(string Key, string Label, int Count);

/// <summary>Counts for one outcome (or the whole report): comments, residents against partners, channels.</summary>
public sealed record SectionCounts(int Comments, int Residents, int Partners, int Staff, IReadOnlyList<LabelledCount> ByChannel);

/// <summary>
/// One point: near-duplicate comments merged. Wording is redacted; Codes are the district then partner codes of
/// everyone who raised it, printed by the council as "(SW)(T)(Da)".
/// </summary>
public sealed record ReportPoint
{
    public required string Key { get; init; }
    public required string Wording { get; init; }
    public required IReadOnlyList<string> Codes { get; init; }
    public int Count { get; init; }
    public required IReadOnlyList<long> CommentIds { get; init; }
    /// <summary>True when a strategy author has saved an edit to this point (wording, order, merge, split or hiding).</summary>
    public bool Edited { get; init; }
    /// <summary>The version of the latest saved edit (0 when never edited); edits are checked against it.</summary>
    public int Version { get; init; }
    /// <summary>The author's own wording, when they reworded the point (Wording shows it redacted).</summary>
    public string? AuthorWording { get; init; }
    /// <summary>Hidden points stay linked to their comments but are left out of the narrative and the downloads' report text.</summary>
    public bool Hidden { get; init; }
    public int? SortOrder { get; init; }

    public string CodesText => FormatCodes(Codes);

    public static string FormatCodes(IEnumerable<string> codes) => string.Concat(codes.Select(c => "(" + c + ")"));
}

public sealed record ReportQuote(long CommentId, string Text, string? District, string Place);

public sealed record ThemeGroup
{
    public required string ThemeId { get; init; }
    public required string ThemeName { get; init; }
    /// <summary>How many responses raised the theme.</summary>
    public int Count { get; init; }
    public required IReadOnlyList<ReportPoint> Points { get; init; }
    /// <summary>Points beyond those shown (raised by fewer people); they are in the spreadsheet.</summary>
    public int MorePoints { get; init; }
    /// <summary>Those further points themselves, for the staff page (authors can move one up into the report).</summary>
    public IReadOnlyList<ReportPoint> FurtherPoints { get; init; } = [];
    /// <summary>Points a strategy author hid; kept so they can be shown again.</summary>
    public IReadOnlyList<ReportPoint> HiddenPoints { get; init; } = [];
    public required IReadOnlyList<ReportQuote> Quotes { get; init; }
}

public sealed record OutcomeSection
{
    public required Outcome Outcome { get; init; }
    public required SectionCounts Counts { get; init; }
    public required IReadOnlyList<ThemeGroup> PartnerFeedback { get; init; }
    public required IReadOnlyList<ThemeGroup> PublicFeedback { get; init; }

    public bool IsGeneral => Outcome.Id == Outcomes.General;
    public string Heading => IsGeneral ? "General feedback" : $"Outcome {Outcome.Id}: {Outcome.Name}";
}

public sealed record EqualityBreakdown(string Question, IReadOnlyList<LabelledCount> Answers, int Answered);

public sealed record WhoWeHeardFrom
{
    public required IReadOnlyList<LabelledCount> ByDistrict { get; init; }
    public required IReadOnlyList<LabelledCount> ByRespondentType { get; init; }
    public required IReadOnlyList<LabelledCount> ByChannel { get; init; }
    public required IReadOnlyList<LabelledCount> ByPartnerType { get; init; }
    public required IReadOnlyList<EqualityBreakdown> Equality { get; init; }
    public required IReadOnlyList<string> UnderRepresented { get; init; }
    public required string UnderRepresentedSentence { get; init; }
}

public sealed record MethodSummary
{
    public DateTime OpensOn { get; init; }
    public DateTime ClosesOn { get; init; }
    public DateTime? FirstResponse { get; init; }
    public DateTime? LastResponse { get; init; }
    public int Responses { get; init; }
    public int Comments { get; init; }
    public int Excluded { get; init; }
    public int ConfirmedByPerson { get; init; }
    public int ClassifiedNow { get; init; }
    public required IReadOnlyList<string> Channels { get; init; }
    public required IReadOnlyList<string> ModelVersions { get; init; }
    public double ConfirmedShare => Comments == 0 ? 0 : (double)ConfirmedByPerson / Comments;
}

/// <summary>One row of the comment-level exports (xlsx, csv): redacted text plus its tags.</summary>
public sealed record ReportCommentRow
{
    public long CommentId { get; init; }
    public required string Reference { get; init; }
    public DateTime SubmittedAt { get; init; }
    public required string RespondentType { get; init; }
    public string? Organisation { get; init; }
    public string? PartnerCode { get; init; }
    public required string Districts { get; init; }
    public required string Channel { get; init; }
    public int Outcome { get; init; }
    public required string OutcomeName { get; init; }
    public required string ThemeId { get; init; }
    public required string ThemeName { get; init; }
    public required string TaggedBy { get; init; }
    public double? Confidence { get; init; }
    public required string Status { get; init; }
    public string? PointKey { get; init; }
    public required string Text { get; init; }
    /// <summary>Flagged for safeguarding: never quoted or used as wording; not written to the exports' columns either.</summary>
    public bool Safeguarding { get; init; }
    /// <summary>Neither the safeguarding scan nor a person has read it yet (the report checks such comments only where it uses their words).</summary>
    public bool SafeguardingUnchecked { get; init; }
}

public sealed record ConsultationReport : IReportPoints
{
    public required Consultation Consultation { get; init; }
    public DateTime GeneratedAt { get; init; }
    public required SectionCounts Totals { get; init; }
    /// <summary>Outcomes 1 to 6 in order, then General feedback.</summary>
    public required IReadOnlyList<OutcomeSection> Sections { get; init; }
    public required WhoWeHeardFrom Who { get; init; }
    public required MethodSummary Method { get; init; }
    public required IReadOnlyList<LabelledCount> ByOutcome { get; init; }
    public required IReadOnlyList<ReportCommentRow> Comments { get; init; }
    /// <summary>Every point, including those not shown in the narrative, for the Points sheet.</summary>
    public required IReadOnlyList<PointRow> AllPoints { get; init; }
}

/// <summary>A point with where it sits in the report, for the Points sheet and the authoring pages.</summary>
public sealed record PointRow(int OutcomeId, string OutcomeName, string Audience, string ThemeName, ReportPoint Point)
{
    public string ThemeId { get; init; } = "";

    /// <summary>Points in the same outcome, audience and theme can be merged and reordered together.</summary>
    public bool SameGroupAs(PointRow other) => OutcomeId == other.OutcomeId && Audience == other.Audience && ThemeId == other.ThemeId;
}
