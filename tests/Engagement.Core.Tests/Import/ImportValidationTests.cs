using System.Text;
using Engagement.Core.Import;

namespace Engagement.Core.Tests.Import;

public class DistrictParserTests
{
    [Theory]
    [InlineData("(TW)(T)(SW)", new[] { "TW", "T", "SW" })]
    [InlineData(" (Da) (D) ", new[] { "Da", "D" })]
    [InlineData("SW;T;Da", new[] { "SW", "T", "Da" })]
    [InlineData("Thanet, Swale", new[] { "T", "SW" })]
    [InlineData("Thanet and Swale", new[] { "T", "SW" })]
    [InlineData("Tonbridge and Malling", new[] { "TMBC" })]
    [InlineData("Folkestone & Hythe", new[] { "FH" })]
    [InlineData("tunbridge wells", new[] { "TW" })]
    [InlineData("Tunbridge Wels", new[] { "TW" })]
    [InlineData("Maidstne", new[] { "M" })]
    [InlineData("Canterbery", new[] { "C" })]
    [InlineData("Folkstone", new[] { "FH" })]
    [InlineData("Shepway", new[] { "FH" })]
    [InlineData("Margate", new[] { "T" })]
    [InlineData("Chatham", new[] { "Med" })]
    [InlineData("med", new[] { "Med" })]
    [InlineData("DA", new[] { "Da" })]
    [InlineData("D", new[] { "D" })]
    [InlineData("Da", new[] { "Da" })]
    [InlineData("E07000116", new[] { "TW" })]
    [InlineData("Kent-wide", new[] { "KW" })]
    [InlineData("T;T;Thanet", new[] { "T" })]
    [InlineData("", new string[0])]
    public void Recognises_codes_names_misspellings_and_lists(string value, string[] expected)
    {
        var parsed = DistrictParser.Parse(value);
        Assert.Empty(parsed.Unknown);
        Assert.Equal(expected, parsed.Codes);
    }

    [Theory]
    [InlineData("Narnia", "Narnia")]
    [InlineData("(TW)(XX)", "XX")]
    [InlineData("T;Atlantis", "Atlantis")]
    [InlineData("ME4 4TR", "ME4 4TR")]
    public void Reports_what_it_cannot_recognise(string value, string unknown)
    {
        var parsed = DistrictParser.Parse(value);
        Assert.Equal([unknown], parsed.Unknown);
    }

    [Fact]
    public void Every_district_name_and_code_round_trips()
    {
        foreach (var d in Engagement.Core.Domain.Districts.All)
        {
            Assert.Equal(d.Code, DistrictParser.Resolve(d.Code));
            Assert.Equal(d.Code, DistrictParser.Resolve(d.Name));
            Assert.Equal(d.Code, DistrictParser.Resolve(d.Name.ToUpperInvariant()));
        }
    }
}

public class ImportValidationTests
{
    private static ImportTable Csv(string csv) => ImportTable.Read("x.csv", Encoding.UTF8.GetBytes(csv));

    [Fact]
    public void Guesses_columns_from_everyday_headers()
    {
        var mapping = ImportMapping.Guess(["Ref", "Please give your comments", "Where do you live?", "Responding as", "Organisation name",
            "Event", "Date received", "Age group", "Gender", "Ethnicity", "Consent to quote"]);

        Assert.Equal("Please give your comments", mapping.ColumnFor(ImportField.Text));
        Assert.Equal("Where do you live?", mapping.ColumnFor(ImportField.District));
        Assert.Equal("Responding as", mapping.ColumnFor(ImportField.RespondentType));
        Assert.Equal("Organisation name", mapping.ColumnFor(ImportField.Organisation));
        Assert.Equal("Event", mapping.ColumnFor(ImportField.EventName));
        Assert.Equal("Date received", mapping.ColumnFor(ImportField.Date));
        Assert.Equal("Age group", mapping.ColumnFor(ImportField.AgeBand));
        Assert.Equal("Gender", mapping.ColumnFor(ImportField.Sex));
        Assert.Equal("Ethnicity", mapping.ColumnFor(ImportField.EthnicGroup));
        Assert.Equal("Consent to quote", mapping.ColumnFor(ImportField.ConsentToQuote));
        Assert.Null(mapping.ColumnFor(ImportField.Channel));
    }

    [Fact]
    public void Mapping_json_round_trips_and_unknown_fields_are_an_error()
    {
        var mapping = ImportMapping.FromJson("""{"text": "Comment", "district": "Area", "event_name": "Session", "default_channel": "workshop"}""");
        Assert.Equal("Comment", mapping.ColumnFor(ImportField.Text));
        Assert.Equal("Session", mapping.ColumnFor(ImportField.EventName));
        Assert.Equal("workshop", mapping.DefaultChannel);
        Assert.Equal(mapping.Columns, ImportMapping.FromJson(mapping.ToJson()).Columns);

        var ex = Assert.Throws<ImportFileException>(() => ImportMapping.FromJson("""{"txet": "Comment"}"""));
        Assert.Contains("unknown field 'txet'", ex.Message);
        Assert.Throws<ImportFileException>(() => ImportMapping.FromJson("{not json"));
    }

    [Fact]
    public void A_mapping_to_a_missing_column_stops_the_import_with_its_name()
    {
        var table = Csv("Comment,Area\nhello,T\n");
        var ex = Assert.Throws<ImportFileException>(() => ImportValidator.Validate(table,
            new ImportMapping().With(ImportField.Text, "Comment").With(ImportField.District, "Ward"), "import:x"));
        Assert.Contains("no column called 'Ward'", ex.Message);
    }

    [Fact]
    public void Every_rejected_row_has_its_line_and_reason_and_the_report_downloads_as_safe_csv()
    {
        var table = Csv("""
            text,district,respondent_type,channel,outcome,date,age_band,event_name,organisation
            Fine,(TW)(T)(SW),resident,event,3,14/03/2026,34,Margate roadshow,
            ,T,resident,,,,,,
            Narnia row,Narnia,resident,,,,,,
            Bad type,T,alien,,,,,,
            Bad channel,T,resident,carrier pigeon,,,,,
            Bad outcome,T,resident,,9,,,,
            Bad date,T,resident,,,31/02/2026,,,
            Bad age,T,resident,,,,ancient,,
            Partner ok,Medway,organisation,,not sure,2026-03-01,,,Age UK Medway
            "=cmd()",Postcode ME4 4TR,resident,,,,,,
            """);
        var result = ImportValidator.Validate(table, ImportMapping.ByName(table.Headers), "import:abc");

        Assert.Equal([2, 10], result.Valid.Select(r => r.Line));
        var first = result.Valid[0];
        Assert.Equal(["TW", "T", "SW"], first.Districts);
        Assert.Equal("TW", first.Submission.District);
        Assert.Equal("event", first.Submission.Channel);
        Assert.Equal(3, first.Submission.Comments[0].ChosenOutcome);
        Assert.Equal(new DateTime(2026, 3, 14, 0, 0, 0, DateTimeKind.Utc), first.Submission.SubmittedAt);
        Assert.Equal("25-34", first.Submission.AboutYou.AgeBand);
        Assert.Equal("Margate roadshow", first.EventName);
        Assert.Equal("import:abc:2", first.Submission.SourceRef);
        var partner = result.Valid[1].Submission;
        Assert.Equal("partner", partner.RespondentType);
        Assert.Equal("vcse", partner.PartnerType);
        Assert.Null(partner.Comments[0].ChosenOutcome);

        var reasons = result.Rejected.ToDictionary(r => r.Line, r => r.Message);
        Assert.Equal([3, 4, 5, 6, 7, 8, 9, 11], reasons.Keys);
        Assert.Equal("text is empty", reasons[3]);
        Assert.Equal("unknown district 'Narnia'", reasons[4]);
        Assert.Contains("respondent type 'alien'", reasons[5]);
        Assert.Equal("unknown channel 'carrier pigeon'", reasons[6]);
        Assert.Contains("outcome '9'", reasons[7]);
        Assert.Contains("is not a date (use 2026-03-14 or 14/03/2026)", reasons[8]);
        Assert.Contains("age 'ancient'", reasons[9]);
        Assert.DoesNotContain("ME4 4TR", reasons[11]); // reasons never echo personal data

        var csv = result.RejectedCsv();
        Assert.StartsWith("line,reason\r\n3,\"text is empty\"\r\n", csv);
        Assert.Equal(result.Rejected.Count + 1, csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Equal("\"'=SUM(A1)\"", ImportValues.CsvCell("=SUM(A1)"));
    }

    [Fact]
    public void Default_channel_applies_to_rows_without_one()
    {
        var table = Csv("text,channel\nfrom the form,online\nno channel given,\n");
        var result = ImportValidator.Validate(table, ImportMapping.ByName(table.Headers) with { DefaultChannel = "paper" }, "import:x");
        Assert.Equal(["online", "paper"], result.Valid.Select(r => r.Submission.Channel));
    }
}
