using System.Globalization;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using CsvHelper;
using CsvHelper.Configuration;
using Engagement.Core.Data;
using Engagement.Core.Domain;

namespace Engagement.Core.Import;

public sealed record ImportResult(string Slug, bool ConsultationCreated, int RowsRead, int Added, int AlreadyImported,
    int Classified, IReadOnlyList<ImportRowError> Errors);

/// <summary>
/// The minimum CSV import the report needs: one row is one response with one comment.
/// Columns (header names case-insensitive): text (required), district (name or code; several separated by ';'),
/// respondent_type (resident or partner), organisation, partner_type, channel, outcome (0-6, blank or "not sure"),
/// consent_to_quote. Each row's source reference is the file's SHA-256 plus its row number, so importing the
/// same file twice adds nothing.
/// </summary>
public sealed partial class MinimalCsvImporter(ConsultationStore consultations, SubmissionStore submissions, ReportStore reports, SuggestionService suggestions)
{
    public const int BatchSize = 500;

    private sealed record Row(int Line, int Number, NewSubmission Submission, IReadOnlyList<string> Districts);

    public async Task<ImportResult> ImportAsync(string path, string slug, CancellationToken ct = default)
    {
        if (!File.Exists(path)) throw new ImportFileException($"file not found: {path}");
        if (!SlugPattern().IsMatch(slug)) throw new ImportFileException($"'{slug}' is not a valid consultation slug (lower-case letters, digits and hyphens).");

        string hash;
        await using (var stream = File.OpenRead(path)) hash = Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, ct));

        var (rows, errors) = Read(path, hash);

        var existing = await consultations.FindBySlugAsync(slug);
        var consultation = existing ?? await consultations.EnsureAsync(new Consultation
        {
            Slug = slug, Title = TitleFromSlug(slug), Status = ConsultationStatuses.Open,
            OpensOn = DateTime.UtcNow.Date, ClosesOn = DateTime.UtcNow.Date.AddDays(90),
        });

        int added = 0, classified = 0;
        foreach (var batch in rows.Chunk(BatchSize))
        {
            var predicted = suggestions.SuggestMany(batch.Select(r => r.Submission.Comments[0].Text).ToList());
            classified += predicted.Count(p => p is not null);
            var newSubmissions = batch.Zip(predicted, (r, s) => r.Submission with
            {
                ConsultationId = consultation.Id,
                Comments = [r.Submission.Comments[0] with { Suggestion = s }],
            }).ToList();
            added += await submissions.CreateManyAsync(newSubmissions, ct);
            await reports.AddSubmissionDistrictsAsync(consultation.Id,
                batch.Where(r => r.Districts.Count > 1).ToDictionary(r => r.Submission.SourceRef!, r => r.Districts), ct);
        }

        return new ImportResult(consultation.Slug, existing is null, rows.Count + errors.Count, added, rows.Count - added, classified, errors);
    }

    /// <summary>Checks the file can be imported at all (exists, is CSV, has a text column) without touching the database.</summary>
    public static void CheckFile(string path)
    {
        if (!File.Exists(path)) throw new ImportFileException($"file not found: {path}");
        using var reader = new StreamReader(path, detectEncodingFromByteOrderMarks: true);
        using var parser = new CsvParser(reader, new CsvConfiguration(CultureInfo.InvariantCulture) { BadDataFound = null, DetectDelimiter = false });
        try
        {
            if (!parser.Read()) throw new ImportFileException("the file is empty: expected a header row with a 'text' column.");
            if (!parser.Record!.Any(h => h.Trim().Equals("text", StringComparison.OrdinalIgnoreCase)))
                throw new ImportFileException("no 'text' column in the header row.");
        }
        catch (CsvHelperException)
        {
            throw new ImportFileException("the file is not valid CSV.");
        }
    }

    private static (List<Row> Rows, List<ImportRowError> Errors) Read(string path, string hash)
    {
        var rows = new List<Row>();
        var errors = new List<ImportRowError>();
        using var reader = new StreamReader(path, detectEncodingFromByteOrderMarks: true);
        using var parser = new CsvParser(reader, new CsvConfiguration(CultureInfo.InvariantCulture) { BadDataFound = null, DetectDelimiter = false });
        try
        {
            if (!parser.Read()) throw new ImportFileException("the file is empty: expected a header row with a 'text' column.");
            var header = parser.Record!.Select(h => h.Trim().ToLowerInvariant()).ToList();
            int Column(string name) => header.IndexOf(name);
            var text = Column("text");
            if (text < 0) throw new ImportFileException("no 'text' column in the header row.");
            int district = Column("district"), type = Column("respondent_type"), organisation = Column("organisation"),
                partnerType = Column("partner_type"), channel = Column("channel"), outcome = Column("outcome"), consent = Column("consent_to_quote");

            var lastLine = parser.RawRow;
            var number = 0;
            while (parser.Read())
            {
                var line = lastLine + 1;
                lastLine = parser.RawRow;
                var record = parser.Record!;
                string? Field(int index) => index >= 0 && index < record.Length && !string.IsNullOrWhiteSpace(record[index]) ? record[index].Trim() : null;
                if (record.All(string.IsNullOrWhiteSpace)) continue;
                number++;

                var problems = new List<string>();
                var body = Field(text);
                if (body is null) problems.Add("text is empty");

                var districts = new List<string>();
                foreach (var part in (Field(district) ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                {
                    if (ResolveDistrict(part) is { } code) { if (!districts.Contains(code)) districts.Add(code); }
                    else problems.Add($"unknown district '{part}'");
                }

                var respondentType = (Field(type) ?? RespondentTypes.Resident).ToLowerInvariant();
                if (respondentType == "organisation") respondentType = RespondentTypes.Partner;
                if (!RespondentTypes.IsValid(respondentType)) problems.Add($"respondent_type '{Field(type)}' is not resident or partner");

                var channelValue = ResolveChannel(Field(channel));
                if (channelValue is null) problems.Add($"unknown channel '{Field(channel)}'");

                int? chosen = null;
                var outcomeText = Field(outcome);
                if (outcomeText is not null && !IsNotSure(outcomeText))
                {
                    if (int.TryParse(outcomeText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var o) && Outcomes.IsValid(o)) chosen = o;
                    else problems.Add($"outcome '{outcomeText}' is not 0 to 6, blank or 'not sure'");
                }

                var org = Field(organisation);
                string? partner = null;
                if (respondentType == RespondentTypes.Partner)
                {
                    partner = ResolvePartnerType(Field(partnerType)) ?? GuessPartnerType(org);
                    if (Field(partnerType) is { } given && ResolvePartnerType(given) is null) problems.Add($"unknown partner_type '{given}'");
                }

                if (problems.Count > 0)
                {
                    // Messages quote what was typed; a postcode typed as a district must not reach the console.
                    errors.Add(new ImportRowError(line, Privacy.PersonalDataDetector.Instance.Redact(string.Join("; ", problems))));
                    continue;
                }

                rows.Add(new Row(line, number, new NewSubmission
                {
                    ConsultationId = 0,
                    RespondentType = respondentType,
                    Organisation = org,
                    PartnerType = partner,
                    District = districts.FirstOrDefault(),
                    Channel = channelValue!,
                    ConsentToQuote = IsYes(Field(consent)),
                    SourceRef = $"import:{hash}:{number}",
                    Comments = [new NewComment(body!, chosen)],
                }, districts));
            }
        }
        catch (CsvHelperException ex)
        {
            throw new ImportFileException($"the file is not valid CSV near line {ex.Context?.Parser?.RawRow ?? 0}.");
        }
        return (rows, errors);
    }

    public static string TitleFromSlug(string slug)
    {
        var words = slug.Replace('-', ' ').Replace('_', ' ').Trim();
        return words.Length == 0 ? slug : char.ToUpperInvariant(words[0]) + words[1..];
    }

    /// <summary>A district code (exact case first, then any case if unambiguous) or a district name, any case.</summary>
    public static string? ResolveDistrict(string value)
    {
        var v = value.Trim();
        if (Districts.FindByCode(v) is { } exact) return exact.Code;
        var byName = Districts.All.FirstOrDefault(d => string.Equals(d.Name, v, StringComparison.OrdinalIgnoreCase)
            || string.Equals(d.Name.Replace(" and ", " & ", StringComparison.Ordinal), v, StringComparison.OrdinalIgnoreCase));
        if (byName is not null) return byName.Code;
        var byCode = Districts.All.Where(d => string.Equals(d.Code, v, StringComparison.OrdinalIgnoreCase)).ToList();
        return byCode.Count == 1 ? byCode[0].Code : null;
    }

    public static string? ResolveChannel(string? value)
    {
        if (value is null) return Channels.Online;
        var v = value.Trim();
        return Channels.All.FirstOrDefault(c => string.Equals(c.Value, v, StringComparison.OrdinalIgnoreCase)
            || string.Equals(c.Label, v, StringComparison.OrdinalIgnoreCase)
            || string.Equals(c.Value.Replace('-', ' '), v, StringComparison.OrdinalIgnoreCase))?.Value;
    }

    public static string? ResolvePartnerType(string? value)
    {
        if (value is null) return null;
        var v = value.Trim();
        return PartnerTypes.All.FirstOrDefault(c => string.Equals(c.Value, v, StringComparison.OrdinalIgnoreCase)
            || string.Equals(c.Code, v, StringComparison.OrdinalIgnoreCase)
            || string.Equals(c.Label, v, StringComparison.OrdinalIgnoreCase))?.Value;
    }

    /// <summary>When a partner row gives no partner_type, the organisation's name usually says what it is.</summary>
    public static string GuessPartnerType(string? organisation)
    {
        var o = organisation ?? "";
        bool Has(string s) => o.Contains(s, StringComparison.OrdinalIgnoreCase);
        if (Has("police and crime commissioner") || Has("PCC") || Has("police")) return "pcc";
        if (Has("county council") || Has("Medway Council") || Has("unitary")) return "local-authority";
        if (Has("borough council") || Has("district council") || Has("city council") || Has("town council") || Has("parish council")) return "district-council";
        if (Has("health and care partnership") || Has("HCP")) return "hcp";
        if (Has("NHS") || Has("trust") || Has("hospital")) return "nhs-provider";
        if (Has("charity") || Has("voluntary") || Has("community") || Has("CIC") || Has("foundation") || Has("association") || Has("network")
            || Has("healthwatch") || Has("age uk") || Has("carers")) return "vcse";
        return "other";
    }

    private static bool IsNotSure(string v) => v.Replace('-', ' ').Replace('_', ' ').Trim().ToLowerInvariant() is "not sure" or "notsure" or "unsure" or "don't know";

    private static bool IsYes(string? v) => v?.Trim().ToLowerInvariant() is "yes" or "y" or "true" or "1";

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,99}$")]
    private static partial Regex SlugPattern();
}
