using System.Globalization;
using System.Text.Json;
using CsvHelper;
using CsvHelper.Configuration;
using Engagement.Classifier;
using Engagement.Core.Data;
using Engagement.Core.Domain;

namespace Engagement.Core.Demo;

/// <summary>Loads the fictional demo consultation from data-samples/demo. Safe to run twice: rows are keyed by response_id.</summary>
public sealed class DemoDataLoader(ConsultationStore consultations, SubmissionStore submissions, SuggestionService suggestions)
{
    public const string DefaultFolder = "data-samples/demo";

    public sealed record Result(string Slug, int SubmissionsAdded, int CommentsRead);

    public async Task<Result> LoadAsync(string? folder = null, CancellationToken ct = default)
    {
        var dir = RepoPaths.Resolve(folder ?? DefaultFolder);
        var consultation = await consultations.EnsureAsync(ReadConsultation(Path.Combine(dir, "consultation.json")));
        var question = await consultations.EnsureQuestionAsync(consultation.Id, "main", "What would you like to tell us about this outcome?");

        var rows = ReadRows(Path.Combine(dir, "responses.csv"));
        var predicted = suggestions.SuggestMany(rows.Select(r => r.Text).ToList());
        var withSuggestions = rows.Zip(predicted, (row, s) => (row, s)).ToList();

        var newSubmissions = withSuggestions.GroupBy(x => x.row.ResponseId).Select(g =>
        {
            var first = g.First().row;
            return new NewSubmission
            {
                ConsultationId = consultation.Id,
                RespondentType = first.RespondentType,
                Organisation = Blank(first.Organisation),
                PartnerType = Blank(first.PartnerType),
                District = Blank(first.District),
                Channel = first.Channel,
                ConsentToQuote = first.ConsentToQuote.Equals("yes", StringComparison.OrdinalIgnoreCase),
                AboutYou = new AboutYouAnswers(Blank(first.AgeBand), Blank(first.Sex), Blank(first.EthnicGroup), Blank(first.Disability), Blank(first.UnpaidCarer)),
                SourceRef = "demo:" + first.ResponseId,
                SubmittedAt = DateTime.Parse(first.SubmittedAt, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal),
                Comments = g.Select(x => new NewComment(x.row.Text, ParseOutcome(x.row.ChosenOutcome), question.Id) { Suggestion = x.s }).ToList(),
            };
        }).ToList();

        var added = await submissions.CreateManyAsync(newSubmissions, ct);
        return new Result(consultation.Slug, added, rows.Count);
    }

    private static Consultation ReadConsultation(string path)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        var root = doc.RootElement;
        return new Consultation
        {
            Slug = root.GetProperty("slug").GetString()!,
            Title = root.GetProperty("title").GetString()!,
            Summary = root.GetProperty("summary").GetString() ?? "",
            OpensOn = DateTime.SpecifyKind(DateTime.Parse(root.GetProperty("opensOn").GetString()!, CultureInfo.InvariantCulture), DateTimeKind.Utc),
            ClosesOn = DateTime.SpecifyKind(DateTime.Parse(root.GetProperty("closesOn").GetString()!, CultureInfo.InvariantCulture), DateTimeKind.Utc),
            Status = root.GetProperty("status").GetString()!,
        };
    }

    private sealed class DemoRow
    {
        public string ResponseId { get; set; } = "";
        public string RespondentType { get; set; } = "";
        public string Organisation { get; set; } = "";
        public string PartnerType { get; set; } = "";
        public string District { get; set; } = "";
        public string Channel { get; set; } = "";
        public string SubmittedAt { get; set; } = "";
        public string ConsentToQuote { get; set; } = "";
        public string AgeBand { get; set; } = "";
        public string Sex { get; set; } = "";
        public string EthnicGroup { get; set; } = "";
        public string Disability { get; set; } = "";
        public string UnpaidCarer { get; set; } = "";
        public string ChosenOutcome { get; set; } = "";
        public string Text { get; set; } = "";
    }

    private static List<DemoRow> ReadRows(string path)
    {
        var config = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            PrepareHeaderForMatch = a => a.Header.Replace("_", "", StringComparison.Ordinal).ToLowerInvariant(),
        };
        using var reader = new StreamReader(path);
        using var csv = new CsvReader(reader, config);
        return csv.GetRecords<DemoRow>().ToList();
    }

    private static string? Blank(string value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static int? ParseOutcome(string value) => int.TryParse(value, out var id) && Outcomes.IsValid(id) ? id : null;
}
