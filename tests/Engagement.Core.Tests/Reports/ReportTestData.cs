using Engagement.Core.Data;
using Engagement.Core.Domain;
using Engagement.Core.Privacy;
using Engagement.Core.Reports;

namespace Engagement.Core.Tests.Reports;

internal static class ReportTestData
{
    public static readonly Consultation Consultation = new()
    {
        Id = 1, Slug = "k", Title = "Refresh of the Integrated Care Strategy", Status = ConsultationStatuses.Open,
        OpensOn = new DateTime(2026, 10, 1, 0, 0, 0, DateTimeKind.Utc), ClosesOn = new DateTime(2027, 1, 31, 0, 0, 0, DateTimeKind.Utc),
    };

    public static readonly IReadOnlyList<Theme> Themes =
    [
        new() { Id = "gp-access", Name = "Access to GP appointments", OutcomeId = 5 },
        new() { Id = "transport", Name = "Transport to services", OutcomeId = 2 },
        new() { Id = "dentistry", Name = "NHS dentistry", OutcomeId = 4 },
    ];

    public static ReportComment Comment(long id, string text, string? district = "T", string type = RespondentTypes.Resident,
        bool consent = true, string status = CommentStatuses.New, int outcome = 5, string theme = "gp-access", string? partnerType = null,
        bool safeguarding = false, string channel = Channels.Online) => new()
    {
        Id = id, SubmissionId = id, Text = text, SuggestedOutcome = outcome, SuggestedTheme = theme, SuggestedConfidence = 0.8,
        SuggestionModelVersion = "test-model-1", Status = status, District = district, RespondentType = type, Channel = channel,
        Reference = $"KM-TEST-{id:0000}", ConsentToQuote = consent, PartnerType = partnerType, Safeguarding = safeguarding,
        Organisation = type == RespondentTypes.Partner ? "Partner org " + id : null,
        SubmittedAt = new DateTime(2026, 11, 1, 9, 0, 0, DateTimeKind.Utc).AddHours(id),
    };

    public static ConsultationReport Build(IReadOnlyList<ReportComment> comments, IReadOnlyList<PointEdit>? edits = null,
        IReadOnlyDictionary<long, IReadOnlyList<string>>? districts = null, ReportOptions? options = null) =>
        ReportBuilder.Build(Consultation, comments, districts ?? new Dictionary<long, IReadOnlyList<string>>(), Themes, edits ?? [],
            PersonalDataDetector.Instance, options);

    public static IEnumerable<ThemeGroup> AllGroups(ConsultationReport report) =>
        report.Sections.SelectMany(s => s.PartnerFeedback.Concat(s.PublicFeedback));
}
