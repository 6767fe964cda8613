using System.Globalization;
using Engagement.Core.Domain;
using Engagement.Core.Privacy;

namespace Engagement.Core.Import;

/// <summary>A row that passed validation, ready to store. Line is the file's line (CSV) or sheet row (.xlsx).</summary>
public sealed record ImportRow(int Line, NewSubmission Submission, string? EventName, IReadOnlyList<string> Districts)
{
    public string Text => Submission.Comments[0].Text;
}

public sealed record ImportRowError(int Line, string Message);

public sealed record ValidationResult(IReadOnlyList<ImportRow> Valid, IReadOnlyList<ImportRowError> Rejected)
{
    public int RowsRead => Valid.Count + Rejected.Count;

    /// <summary>The validation report as CSV (line,reason), safe to open in Excel.</summary>
    public string RejectedCsv() => ImportValues.RejectedCsv(Rejected);
}

/// <summary>Turns a table and a mapping into valid rows and rejected rows, each rejection with its line and a reason.</summary>
public static class ImportValidator
{
    public const int MaxTextLength = 20_000;

    // Reasons quote what was typed; a postcode or phone number typed in the wrong column must not be echoed.
    private static string Q(string? value) => PersonalDataDetector.Instance.Redact(value ?? "");

    public static ValidationResult Validate(ImportTable table, ImportMapping mapping, string sourcePrefix)
    {
        var problems = mapping.Check(table.Headers);
        if (problems.Count > 0) throw new ImportFileException(string.Join(" ", problems));

        int Index(ImportField f) => mapping.ColumnFor(f) is { } c ? ImportMapping.IndexOf(table.Headers, c) : -1;
        var columns = Enum.GetValues<ImportField>().ToDictionary(f => f, Index);
        var defaultChannel = mapping.DefaultChannel is null ? Channels.Online : ImportValues.Channel(mapping.DefaultChannel)!;

        var valid = new List<ImportRow>(table.Rows.Count);
        var rejected = new List<ImportRowError>();
        foreach (var row in table.Rows)
        {
            var cells = row.Cells;
            string? Field(ImportField f)
            {
                var i = columns[f];
                return i >= 0 && i < cells.Count && !string.IsNullOrWhiteSpace(cells[i]) ? cells[i].Trim() : null;
            }

            var problemsInRow = new List<string>();
            // A long row with something in the extra cells usually means an unquoted delimiter shifted the columns.
            if (cells.Count > table.Headers.Count && cells.Skip(table.Headers.Count).Any(c => !string.IsNullOrWhiteSpace(c)))
                problemsInRow.Add($"the row has {cells.Count} cells but the header has {table.Headers.Count} (is a comma or semicolon in the text unquoted?)");

            var text = Field(ImportField.Text);
            if (text is null) problemsInRow.Add("text is empty");
            else if (text.Length > MaxTextLength) problemsInRow.Add($"text is longer than {MaxTextLength:N0} characters");

            var districts = DistrictParser.Parse(Field(ImportField.District));
            foreach (var unknown in districts.Unknown) problemsInRow.Add($"unknown district '{Q(unknown)}'");

            var typeText = Field(ImportField.RespondentType);
            var respondentType = typeText is null ? RespondentTypes.Resident : ImportValues.RespondentType(typeText);
            if (respondentType is null) problemsInRow.Add($"respondent type '{Q(typeText)}' is not resident, partner or staff");

            var channelText = Field(ImportField.Channel);
            var channel = channelText is null ? defaultChannel : ImportValues.Channel(channelText);
            if (channel is null) problemsInRow.Add($"unknown channel '{Q(channelText)}'");

            int? chosen = null;
            var outcomeText = Field(ImportField.Outcome);
            if (outcomeText is not null && !ImportValues.IsNotSure(outcomeText))
            {
                chosen = ImportValues.Outcome(outcomeText);
                if (chosen is null) problemsInRow.Add($"outcome '{Q(outcomeText)}' is not 0 to 6, an outcome name, blank or 'not sure'");
            }

            DateTime? date = null;
            var dateText = Field(ImportField.Date);
            if (dateText is not null)
            {
                date = ImportValues.Date(dateText);
                if (date is null) problemsInRow.Add($"date '{Q(dateText)}' is not a date (use 2026-03-14 or 14/03/2026)");
            }

            var organisation = Field(ImportField.Organisation);
            if (organisation is { Length: > 200 }) problemsInRow.Add("organisation is longer than 200 characters");
            var eventName = Field(ImportField.EventName);
            if (eventName is { Length: > 200 }) problemsInRow.Add("event name is longer than 200 characters");
            string? partnerType = null;
            if (respondentType == RespondentTypes.Partner)
            {
                var given = Field(ImportField.PartnerType);
                partnerType = MinimalCsvImporter.ResolvePartnerType(given) ?? MinimalCsvImporter.GuessPartnerType(organisation);
                if (given is not null && MinimalCsvImporter.ResolvePartnerType(given) is null) problemsInRow.Add($"unknown partner type '{Q(given)}'");
            }

            string? About(ImportField field, IReadOnlyList<Choice> choices, Func<string, string?>? extra = null)
            {
                var value = Field(field);
                if (value is null) return null;
                var parsed = ImportValues.Choice(choices, value) ?? extra?.Invoke(value);
                if (parsed is null) problemsInRow.Add($"{ImportFields.Info(field).Label.ToLowerInvariant()} '{Q(value)}' is not one of: {string.Join(", ", choices.Select(c => c.Label))}");
                return parsed;
            }
            var about = new AboutYouAnswers(
                About(ImportField.AgeBand, AboutYou.AgeBands, ImportValues.AgeBandFromYears),
                About(ImportField.Sex, AboutYou.Sexes),
                About(ImportField.EthnicGroup, AboutYou.EthnicGroups, ImportValues.EthnicGroupLoose),
                About(ImportField.Disability, AboutYou.YesNo),
                About(ImportField.UnpaidCarer, AboutYou.YesNo));

            if (problemsInRow.Count > 0)
            {
                rejected.Add(new ImportRowError(row.Line, string.Join("; ", problemsInRow)));
                continue;
            }

            valid.Add(new ImportRow(row.Line, new NewSubmission
            {
                ConsultationId = 0,
                RespondentType = respondentType!,
                Organisation = organisation,
                PartnerType = partnerType,
                District = districts.Codes.FirstOrDefault(),
                Channel = channel!,
                ConsentToQuote = ImportValues.IsYes(Field(ImportField.ConsentToQuote)),
                AboutYou = about,
                SourceRef = $"{sourcePrefix}:{row.Line}",
                SubmittedAt = date ?? DateTime.UtcNow,
                Comments = [new NewComment(text!, chosen)],
            }, eventName, districts.Codes));
        }
        return new ValidationResult(valid, rejected);
    }
}

/// <summary>Lenient readers for the values people type into spreadsheets.</summary>
public static class ImportValues
{
    private static readonly CultureInfo British = CultureInfo.GetCultureInfo("en-GB");

    public static string? RespondentType(string value) => DistrictParser.Key(value) switch
    {
        "resident" or "residents" or "public" or "memberofthepublic" or "amemberofthepublic" or "individual" or "aresidentormemberofthepublic"
            or "person" or "patient" or "local" => Domain.RespondentTypes.Resident,
        "partner" or "partners" or "organisation" or "organization" or "onbehalfofanorganisation" or "onbehalfofanorganization"
            or "stakeholder" or "org" => Domain.RespondentTypes.Partner,
        "staff" or "professional" or "worker" or "healthprofessional" or "asomeonewhoworksinhealthorcareorother"
            or "someonewhoworksinhealthorcare" => Domain.RespondentTypes.Staff,
        _ => null,
    };

    public static string? Channel(string value)
    {
        var key = DistrictParser.Key(value);
        var known = Channels.All.FirstOrDefault(c => DistrictParser.Key(c.Value) == key || DistrictParser.Key(c.Label) == key);
        if (known is not null) return known.Value;
        return key switch
        {
            "web" or "website" or "onlinesurvey" or "survey" or "form" or "internet" => Channels.Online,
            "events" or "roadshow" or "dropin" or "publicmeeting" or "engagementevent" => "event",
            "focusgroups" or "group" => "focus-group",
            "workshops" => "workshop",
            "emails" or "letter" or "mail" => "email",
            "papersurvey" or "post" or "postal" or "papersurveys" or "hardcopy" => "paper",
            _ => null,
        };
    }

    public static bool IsNotSure(string v) => DistrictParser.Key(v) is "notsure" or "unsure" or "dontknow" or "na" or "none";

    public static bool IsYes(string? v) => v is not null && DistrictParser.Key(v) is "yes" or "y" or "true" or "1" or "agreed" or "consent" or "iconsent";

    public static int? Outcome(string value)
    {
        var v = value.Trim();
        if (int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n)) return Outcomes.IsValid(n) ? n : null;
        var key = DistrictParser.Key(v.StartsWith("outcome", StringComparison.OrdinalIgnoreCase) ? v[7..] : v);
        if (int.TryParse(key, NumberStyles.Integer, CultureInfo.InvariantCulture, out n)) return Outcomes.IsValid(n) ? n : null;
        return Outcomes.All.FirstOrDefault(o => DistrictParser.Key(o.ShortName) == key || DistrictParser.Key(o.Name) == key)?.Id;
    }

    private static readonly string[] DateFormats =
    [
        "yyyy-MM-dd", "yyyy-MM-ddTHH:mm:ss", "yyyy-MM-ddTHH:mm:ssZ", "yyyy-MM-dd HH:mm", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-ddTHH:mm:ss.fffZ",
        "dd/MM/yyyy", "d/M/yyyy", "dd/MM/yyyy HH:mm", "d/M/yyyy HH:mm", "dd/MM/yyyy HH:mm:ss", "dd/MM/yy", "d/M/yy",
        "dd.MM.yyyy", "d MMM yyyy", "d MMMM yyyy", "dd MMM yyyy", "dd-MM-yyyy",
    ];

    /// <summary>ISO or British (day first) dates; a bare number is an Excel serial date. Times are taken as UTC.</summary>
    public static DateTime? Date(string value)
    {
        var v = value.Trim();
        if (DateTime.TryParseExact(v, DateFormats, British, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var d))
            return DateTime.SpecifyKind(d, DateTimeKind.Utc);
        if (double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var serial) && serial is > 20000 and < 80000)
            return DateTime.SpecifyKind(DateTime.FromOADate(serial), DateTimeKind.Utc);
        return null;
    }

    /// <summary>A choice by its stored value or its label, ignoring case and punctuation ("Prefer not to say", "25-34").</summary>
    public static string? Choice(IReadOnlyList<Choice> choices, string value)
    {
        var key = DistrictParser.Key(value);
        var found = choices.FirstOrDefault(c => DistrictParser.Key(c.Value) == key || DistrictParser.Key(c.Label) == key)?.Value;
        if (found is not null) return found;
        if (key is "pnts" or "prefernottosay" or "notsay" or "declined" or "rathernotsay") return AboutYou.PreferNotToSay;
        if (choices == AboutYou.YesNo) return key switch { "y" or "true" => "yes", "n" or "false" => "no", _ => null };
        if (choices == AboutYou.Sexes) return key switch { "f" or "woman" => "female", "m" or "man" => "male", _ => null };
        return null;
    }

    public static string? AgeBandFromYears(string value)
    {
        var v = value.Trim().TrimEnd('+');
        if (v.Replace(" ", "", StringComparison.Ordinal) is "75plus" or "75over") return "75-plus";
        if (!int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var age) || age is < 0 or > 120) return null;
        if (value.Trim().EndsWith('+') && age >= 75) return "75-plus";
        return age switch
        {
            < 18 => "under-18", < 25 => "18-24", < 35 => "25-34", < 45 => "35-44", < 55 => "45-54", < 65 => "55-64", < 75 => "65-74", _ => "75-plus",
        };
    }

    /// <summary>"White British", "Asian or Asian British: Indian" and the like: the broad group is the first word.</summary>
    public static string? EthnicGroupLoose(string value)
    {
        var key = DistrictParser.Key(value);
        foreach (var (prefix, group) in new[] { ("white", "white"), ("mixed", "mixed"), ("asian", "asian"), ("black", "black"), ("other", "other"), ("any other", "other") })
            if (key.StartsWith(DistrictParser.Key(prefix), StringComparison.Ordinal)) return group;
        return null;
    }

    public static string RejectedCsv(IEnumerable<ImportRowError> rejected)
    {
        var sb = new System.Text.StringBuilder("line,reason\r\n");
        foreach (var e in rejected) sb.Append(e.Line.ToString(CultureInfo.InvariantCulture)).Append(',').Append(CsvCell(e.Message)).Append("\r\n");
        return sb.ToString();
    }

    /// <summary>Quoted, and a leading = + - @ neutralised so a spreadsheet never runs it as a formula.</summary>
    public static string CsvCell(string value) =>
        "\"" + Reports.CsvReportWriter.Safe(value).Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
