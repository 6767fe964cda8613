using System.Text.Json;
using Engagement.Core.Domain;

namespace Engagement.Core.Import;

/// <summary>What a column can hold. The JSON name (snake case) is what a mapping file and the CLI columns use.</summary>
public enum ImportField
{
    Text, District, RespondentType, Organisation, PartnerType, Channel, EventName, Date, Outcome, ConsentToQuote,
    AgeBand, Sex, EthnicGroup, Disability, UnpaidCarer,
}

public sealed record ImportFieldInfo(ImportField Field, string JsonName, string Label, string Hint, string[] Synonyms);

public static class ImportFields
{
    public static readonly IReadOnlyList<ImportFieldInfo> All =
    [
        new(ImportField.Text, "text", "Comment text", "Required. The comment itself.",
            ["text", "comment", "comments", "response", "feedback", "yourcomments", "whatyousaid", "answer", "verbatim", "opentext", "message", "views"]),
        new(ImportField.District, "district", "District", "A name or code; several separated by ; or written (TW)(T)(SW).",
            ["district", "districts", "area", "districtcode", "location", "where", "borough", "localarea", "wheredoyoulive", "town", "place", "council"]),
        new(ImportField.RespondentType, "respondent_type", "Respondent type", "Resident, partner (an organisation) or staff.",
            ["respondenttype", "respondent", "respondingas", "type", "capacity", "areyouresponding"]),
        new(ImportField.Organisation, "organisation", "Organisation", "The organisation a partner responded for.",
            ["organisation", "organization", "org", "organisationname", "organizationname", "onbehalfof", "company"]),
        new(ImportField.PartnerType, "partner_type", "Partner type", "Council, VCSE, NHS provider and so on.",
            ["partnertype", "organisationtype", "organizationtype", "orgtype"]),
        new(ImportField.Channel, "channel", "Channel", "Online, event, focus group, workshop, email or paper.",
            ["channel", "source", "method", "howreceived", "responsechannel"]),
        new(ImportField.EventName, "event_name", "Event name", "The event, focus group or workshop it came from.",
            ["eventname", "event", "session", "meeting", "workshopname", "venue", "focusgroup"]),
        new(ImportField.Date, "date", "Date", "When it was given, e.g. 2026-03-14 or 14/03/2026.",
            ["date", "submitted", "submittedat", "submittedon", "received", "datereceived", "timestamp", "eventdate", "responsedate"]),
        new(ImportField.Outcome, "outcome", "Outcome", "The respondent's own choice: 0 to 6, an outcome name, or blank.",
            ["outcome", "chosenoutcome", "outcomeid", "outcomenumber"]),
        new(ImportField.ConsentToQuote, "consent_to_quote", "Consent to quote", "Yes or no.",
            ["consenttoquote", "consent", "canwequote", "quoteconsent", "quote"]),
        new(ImportField.AgeBand, "age_band", "Age", "An age band (25 to 34) or an age in years.",
            ["ageband", "age", "agegroup", "agerange"]),
        new(ImportField.Sex, "sex", "Sex", "Female, male or prefer not to say.", ["sex", "gender"]),
        new(ImportField.EthnicGroup, "ethnic_group", "Ethnic group", "White, mixed, Asian, Black, other.",
            ["ethnicgroup", "ethnicity", "ethnic", "ethnicorigin", "ethnicbackground"]),
        new(ImportField.Disability, "disability", "Disability", "Yes, no or prefer not to say.", ["disability", "disabled", "hasdisability"]),
        new(ImportField.UnpaidCarer, "unpaid_carer", "Unpaid carer", "Yes, no or prefer not to say.",
            ["unpaidcarer", "carer", "caringresponsibilities", "areyouacarer"]),
    ];

    public static ImportFieldInfo Info(ImportField field) => All.First(f => f.Field == field);

    public static ImportField? Parse(string name)
    {
        var key = DistrictParser.Key(name);
        return All.FirstOrDefault(f => DistrictParser.Key(f.JsonName) == key || DistrictParser.Key(f.Field.ToString()) == key)?.Field;
    }
}

/// <summary>Which column (by header text) feeds each field, plus the channel for rows that give none.</summary>
public sealed record ImportMapping
{
    public IReadOnlyDictionary<ImportField, string> Columns { get; init; } = new Dictionary<ImportField, string>();

    /// <summary>Channel for rows with no channel value (e.g. every row of a paper-survey file). Null means online.</summary>
    public string? DefaultChannel { get; init; }

    public string? ColumnFor(ImportField field) => Columns.TryGetValue(field, out var c) ? c : null;

    public ImportMapping With(ImportField field, string? column)
    {
        var columns = new Dictionary<ImportField, string>(Columns);
        if (string.IsNullOrWhiteSpace(column)) columns.Remove(field);
        else columns[field] = column;
        return this with { Columns = columns };
    }

    /// <summary>
    /// Guesses each field's column from the header: exact names first ("district", "Respondent type"), then a header
    /// that contains a synonym ("Please give your comments"). A column feeds at most one field.
    /// </summary>
    public static ImportMapping Guess(IReadOnlyList<string> headers)
    {
        var keys = headers.Select(DistrictParser.Key).ToList();
        var taken = new HashSet<int>();
        var columns = new Dictionary<ImportField, string>();
        foreach (var exact in new[] { true, false })
        {
            foreach (var info in ImportFields.All)
            {
                if (columns.ContainsKey(info.Field)) continue;
                foreach (var synonym in info.Synonyms)
                {
                    var index = Enumerable.Range(0, keys.Count).FirstOrDefault(i => !taken.Contains(i) && keys[i].Length > 0
                        && (exact ? keys[i] == synonym : synonym.Length >= 4 && keys[i].Contains(synonym, StringComparison.Ordinal)), -1);
                    if (index < 0) continue;
                    columns[info.Field] = headers[index];
                    taken.Add(index);
                    break;
                }
            }
        }
        return new ImportMapping { Columns = columns };
    }

    /// <summary>
    /// Columns named exactly as the fields' JSON names (case, spaces and underscores ignored: "Respondent type" is
    /// respondent_type). What `engage import` uses without --mapping, so a script never imports a guessed column.
    /// </summary>
    public static ImportMapping ByName(IReadOnlyList<string> headers)
    {
        var columns = new Dictionary<ImportField, string>();
        foreach (var info in ImportFields.All)
        {
            var header = headers.FirstOrDefault(h => DistrictParser.Key(h) == DistrictParser.Key(info.JsonName));
            if (header is not null) columns[info.Field] = header;
        }
        return new ImportMapping { Columns = columns };
    }

    /// <summary>JSON: {"text": "Comment", "district": "Area", ..., "default_channel": "event"}. Unknown keys are an error.</summary>
    public static ImportMapping FromJson(string json)
    {
        Dictionary<string, string?>? values;
        try
        {
            values = JsonSerializer.Deserialize<Dictionary<string, string?>>(json);
        }
        catch (JsonException ex)
        {
            throw new ImportFileException($"the mapping file is not valid JSON: {ex.Message}");
        }
        var columns = new Dictionary<ImportField, string>();
        string? channel = null;
        foreach (var (key, value) in values ?? [])
        {
            if (DistrictParser.Key(key) is "defaultchannel" or "channeldefault") { channel = value; continue; }
            var field = ImportFields.Parse(key) ?? throw new ImportFileException(
                $"the mapping file names an unknown field '{key}'. Fields: {string.Join(", ", ImportFields.All.Select(f => f.JsonName))}, default_channel.");
            if (!string.IsNullOrWhiteSpace(value)) columns[field] = value.Trim();
        }
        return new ImportMapping { Columns = columns, DefaultChannel = channel };
    }

    public string ToJson()
    {
        var values = Columns.OrderBy(c => c.Key).ToDictionary(c => ImportFields.Info(c.Key).JsonName, c => (string?)c.Value);
        if (DefaultChannel is not null) values["default_channel"] = DefaultChannel;
        return JsonSerializer.Serialize(values);
    }

    /// <summary>Problems that stop the whole import: no text column, a column that is not in the file, an unknown channel.</summary>
    public IReadOnlyList<string> Check(IReadOnlyList<string> headers)
    {
        var problems = new List<string>();
        if (ColumnFor(ImportField.Text) is null) problems.Add("choose the column that holds the comment text.");
        foreach (var (field, column) in Columns)
            if (IndexOf(headers, column) < 0)
                problems.Add($"{ImportFields.Info(field).Label}: the file has no column called '{column}'.");
        if (DefaultChannel is not null && ImportValues.Channel(DefaultChannel) is null)
            problems.Add($"'{DefaultChannel}' is not a channel. Use one of: {string.Join(", ", Channels.All.Select(c => c.Value))}.");
        return problems;
    }

    public static int IndexOf(IReadOnlyList<string> headers, string column)
    {
        for (var i = 0; i < headers.Count; i++) if (string.Equals(headers[i], column, StringComparison.Ordinal)) return i;
        for (var i = 0; i < headers.Count; i++) if (string.Equals(headers[i].Trim(), column.Trim(), StringComparison.OrdinalIgnoreCase)) return i;
        return -1;
    }
}
