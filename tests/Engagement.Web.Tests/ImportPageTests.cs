using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using Dapper;
using Engagement.Core.Data;
using Engagement.Core.Staff;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Engagement.Web.Tests;

/// <summary>The import wizard over HTTP with real antiforgery tokens and the real background worker, and in a browser.</summary>
public sealed partial class ImportPageTests(EngagementWebFactory factory) : IClassFixture<EngagementWebFactory>
{
    private const string Password = "a long test password";

    private static string SurveyCsv(string marker) =>
        $"Ref;Your comments;Where;Session\n1;\"{marker}: the bus to the hospital, it stops at 6pm\";Margate;Roadshow\n" +
        $"2;\"{marker}: evening GP\nappointments please\";(TW)(T)(SW);Roadshow\n3;{marker} unknown place;Narnia;\n4;;T;\n";

    private async Task<HttpClient> TeamClientAsync()
    {
        await factory.EnsureConsultationAsync();
        return await StaffClient.ForRoleAsync(factory, StaffRoles.EngagementTeam);
    }

    private static async Task<HttpResponseMessage> UploadAsync(HttpClient client, byte[] content, string fileName, string consultation = EngagementWebFactory.Slug)
    {
        var token = await EngagementWebFactory.TokenFromAsync(await client.GetAsync("/staff/imports"));
        var form = new MultipartFormDataContent
        {
            { new StringContent(token), "__RequestVerificationToken" },
            { new StringContent(consultation), "Consultation" },
        };
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        form.Add(file, "Upload", fileName);
        return await client.PostAsync("/staff/imports", form);
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, string pageUrl, string action, Dictionary<string, string> fields)
    {
        fields["__RequestVerificationToken"] = await EngagementWebFactory.TokenFromAsync(await client.GetAsync(pageUrl));
        return await client.PostAsync(action, new FormUrlEncodedContent(fields));
    }

    private async Task<long> CountAsync(string sql, object? args = null)
    {
        await using var c = await factory.Services.GetRequiredService<Database>().OpenAsync();
        return await c.ExecuteScalarAsync<long>(sql, args);
    }

    [Fact]
    public async Task Upload_preview_map_validate_and_import_in_the_background()
    {
        var client = await TeamClientAsync();
        var marker = "wizard-" + Guid.NewGuid().ToString("N")[..8];
        var content = Encoding.UTF8.GetBytes(SurveyCsv(marker));

        var upload = await UploadAsync(client, content, "roadshow.csv");
        Assert.Equal(HttpStatusCode.Redirect, upload.StatusCode);
        var mapUrl = upload.Headers.Location!.OriginalString;
        var id = long.Parse(IdPattern().Match(mapUrl).Groups[1].Value);
        Assert.Equal($"/staff/imports/{id}/map", mapUrl);

        // Preview: the first rows in a table, the semicolons understood, and the columns guessed from their names.
        var map = await client.GetStringAsync(mapUrl);
        Assert.Contains("semicolon", map);
        Assert.Contains($"{marker}: the bus to the hospital, it stops at 6pm", map);
        Assert.Matches("<option value=\"Your comments\" selected(=\"selected\")?>", map);
        Assert.Matches("<select class=\"govuk-select\" id=\"column-district\"[^>]*>\\s*<option value=\"\">Not in this file</option>\\s*<option value=\"Ref\">Ref</option>\\s*<option value=\"Your comments\">Your comments</option>\\s*<option value=\"Where\" selected", map);

        // Map with no text column: a clear error, nothing saved.
        var noText = await PostAsync(client, mapUrl, mapUrl, new() { ["Columns[district]"] = "Where" });
        Assert.Equal(HttpStatusCode.OK, noText.StatusCode);
        Assert.Contains("Choose the column that holds the comment text", await noText.Content.ReadAsStringAsync());

        var mapped = await PostAsync(client, mapUrl, mapUrl, new()
        {
            ["Columns[text]"] = "Your comments", ["Columns[district]"] = "Where", ["Columns[event_name]"] = "Session", ["DefaultChannel"] = "event",
        });
        Assert.Equal(HttpStatusCode.Redirect, mapped.StatusCode);
        var validateUrl = mapped.Headers.Location!.OriginalString;
        Assert.Equal($"/staff/imports/{id}/validate", validateUrl);

        var validate = await client.GetStringAsync(validateUrl);
        Assert.Contains("Import the 2 valid rows", validate);
        Assert.Contains("<td class=\"govuk-table__cell\">(TW)(T)(SW)</td>", validate); // how the rows will be stored
        Assert.Contains("Event or roadshow: Roadshow", validate);
        Assert.Contains("unknown district &#x27;Narnia&#x27;", validate);
        Assert.Contains("text is empty", validate);
        var report = await client.GetAsync(validateUrl + "?handler=Download");
        Assert.Equal("text/csv", report.Content.Headers.ContentType!.MediaType);
        var csv = await report.Content.ReadAsStringAsync();
        Assert.Contains("line,reason", csv);
        Assert.Contains("5,\"unknown district 'Narnia'\"", csv);
        Assert.Contains("6,\"text is empty\"", csv);

        var started = await PostAsync(client, validateUrl, validateUrl + "?handler=Import", []);
        Assert.Equal(HttpStatusCode.Redirect, started.StatusCode);
        Assert.Equal($"/staff/imports/{id}", started.Headers.Location!.OriginalString);

        // The worker runs in the background; the page (a reload, as without JavaScript) shows where it is up to.
        string progress = "";
        for (var i = 0; i < 100 && !progress.Contains(">Imported<"); i++)
        {
            await Task.Delay(200);
            progress = await client.GetStringAsync($"/staff/imports/{id}");
        }
        Assert.Contains(">Imported<", progress);
        Assert.Contains("2 of 2 valid rows imported (100%)", progress);
        Assert.DoesNotContain("http-equiv=\"refresh\"", progress); // finished: no more refreshing
        var status = await client.GetStringAsync($"/staff/imports/{id}?handler=Status");
        Assert.Contains("\"status\":\"completed\"", status);

        Assert.Equal(2, await CountAsync("SELECT COUNT(*) FROM submissions WHERE import_id = @id AND channel = 'event' AND event_name = 'Roadshow'", new { id }));
        Assert.Equal(3, await CountAsync("SELECT COUNT(*) FROM submission_districts d JOIN submissions s ON s.id = d.submission_id WHERE s.import_id = @id", new { id }));
        Assert.Equal(2, await CountAsync("SELECT COUNT(*) FROM comments m JOIN submissions s ON s.id = m.submission_id WHERE s.import_id = @id AND m.text LIKE @marker", new { id, marker = marker + "%" }));

        // The same bytes again: refused at upload, with the reason.
        var again = await UploadAsync(client, content, "copy.csv");
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Contains("already imported", await again.Content.ReadAsStringAsync());
        Assert.Contains(">Imported<", await client.GetStringAsync("/staff/imports"));
    }

    [Theory]
    [InlineData(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00 }, "picture.png", "The selected file cannot be read: this is not a CSV or .xlsx file")]
    [InlineData(new byte[] { 0x50, 0x4B, 0x03, 0x04, 0x14, 0x00 }, "broken.xlsx", "not a readable .xlsx workbook")]
    [InlineData(new byte[] { 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1 }, "old.xls", "Excel 97-2003")]
    [InlineData(new byte[] { (byte)'t', (byte)'e', (byte)'x', (byte)'t', (byte)'\n' }, "header-only.csv", "no rows to import")]
    [InlineData(new byte[0], "empty.csv", "Choose a CSV or Excel (.xlsx) file")]
    public async Task A_bad_file_gets_a_clear_error_and_nothing_is_stored(byte[] content, string name, string expected)
    {
        var client = await TeamClientAsync();
        var before = await CountAsync("SELECT COUNT(*) FROM imports");
        var response = await UploadAsync(client, content, name);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("There is a problem", html);
        Assert.Contains(System.Net.WebUtility.HtmlEncode(expected), html);
        Assert.Equal(before, await CountAsync("SELECT COUNT(*) FROM imports"));
    }

    [Fact]
    public async Task Import_nothing_cancels_and_a_missing_consultation_is_an_error()
    {
        var client = await TeamClientAsync();
        var noConsultation = await UploadAsync(client, Encoding.UTF8.GetBytes("text\nhello\n"), "a.csv", consultation: "");
        Assert.Contains("Choose the consultation the responses belong to", await noConsultation.Content.ReadAsStringAsync());

        var upload = await UploadAsync(client, Encoding.UTF8.GetBytes($"text,district\ncancel me {Guid.NewGuid()},T\n"), "cancel.csv");
        var id = long.Parse(IdPattern().Match(upload.Headers.Location!.OriginalString).Groups[1].Value);
        var mapUrl = $"/staff/imports/{id}/map";
        await PostAsync(client, mapUrl, mapUrl, new() { ["Columns[text]"] = "text" });
        var validateUrl = $"/staff/imports/{id}/validate";
        var cancelled = await PostAsync(client, validateUrl, validateUrl + "?handler=Cancel", []);
        Assert.Equal("/staff/imports", cancelled.Headers.Location!.OriginalString);
        Assert.Contains("nothing was imported", await client.GetStringAsync("/staff/imports"));
        Assert.Equal(0, await CountAsync("SELECT COUNT(*) FROM submissions WHERE import_id = @id", new { id }));
        Assert.Equal(0, await CountAsync("SELECT COUNT(*) FROM import_files WHERE import_id = @id", new { id }));
    }

    [Fact]
    public async Task Only_the_engagement_team_and_admins_may_import()
    {
        var author = await StaffClient.ForRoleAsync(factory, StaffRoles.StrategyAuthor);
        Assert.Equal(HttpStatusCode.Forbidden, (await author.GetAsync("/staff/imports")).StatusCode);
        Assert.DoesNotContain("/staff/imports", await author.GetStringAsync("/staff"));
        var admin = await StaffClient.ForRoleAsync(factory, StaffRoles.Admin);
        Assert.Contains("href=\"/staff/imports\"", await admin.GetStringAsync("/staff"));
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/staff/imports")).StatusCode);
        var anonymous = factory.CreateBrowserClient();
        Assert.Equal(HttpStatusCode.Redirect, (await anonymous.GetAsync("/staff/imports")).StatusCode);
    }

    [Fact]
    public async Task Upload_preview_map_and_import_in_a_real_browser()
    {
        var port = BrowserTests.FreePort();
        // Slowed down (one row per batch, a pause after each) so the progress page is seen while the import runs.
        await using var site = new EngagementWebFactory
        {
            Settings = new Dictionary<string, string> { ["Import:BatchSize"] = "1", ["Import:BatchDelayMilliseconds"] = "2500" },
        };
        site.UseKestrel(port);
        site.StartServer();
        await site.EnsureConsultationAsync();
        await site.Services.GetRequiredService<StaffUserStore>().AddOrUpdateAsync("importer@example.org", StaffRoles.EngagementTeam, Password);
        var file = Path.Combine(Path.GetTempPath(), $"browser-import-{Guid.NewGuid():N}.csv");
        await File.WriteAllTextAsync(file, SurveyCsv("browser"), new UTF8Encoding(true));

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await BrowserTests.LaunchChromiumAsync(playwright);
        var page = await browser.NewPageAsync();
        var root = $"http://127.0.0.1:{port}";
        await page.GotoAsync($"{root}/staff/sign-in");
        await page.GetByLabel("Email address").FillAsync("importer@example.org");
        await page.GetByLabel("Password").FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        await page.GetByRole(AriaRole.Link, new() { Name = "Import responses from a CSV or Excel file" }).ClickAsync();
        await page.GetByLabel("Consultation").SelectOptionAsync(EngagementWebFactory.Slug);
        await page.GetByLabel("File").SetInputFilesAsync(file);
        await page.GetByRole(AriaRole.Button, new() { Name = "Upload and preview" }).ClickAsync();

        await page.WaitForSelectorAsync("#preview");
        Assert.Contains("browser: the bus to the hospital", await page.Locator("#preview").InnerTextAsync());
        Assert.Equal("Your comments", await page.GetByLabel("Comment text").InputValueAsync());
        await page.GetByLabel("Event name").SelectOptionAsync("Session");
        await page.GetByLabel("Channel for rows that do not give one").SelectOptionAsync("workshop");
        await page.GetByRole(AriaRole.Button, new() { Name = "Check the rows" }).ClickAsync();

        await page.WaitForSelectorAsync("#rejected");
        Assert.Contains("unknown district 'Narnia'", await page.Locator("#rejected").InnerTextAsync());
        await page.GetByRole(AriaRole.Button, new() { Name = "Import the 2 valid rows" }).ClickAsync();

        // The page opens while the import runs; with JavaScript there is no meta refresh, so only the script's
        // polling (and its reload when done) can bring the page to "Imported".
        Assert.Matches("Waiting to start|Importing", await page.Locator("#import-status").InnerTextAsync());
        await page.WaitForSelectorAsync("#import-status:has-text('Imported')", new() { Timeout = 30_000 });
        Assert.Contains("2 of 2 valid rows imported", await page.Locator("#import-count").InnerTextAsync());
        Assert.Equal(2, await site.Services.GetRequiredService<Database>().OpenAsync().ContinueWith(async t =>
        {
            await using var c = t.Result;
            return await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM submissions WHERE channel = 'workshop' AND event_name = 'Roadshow'");
        }).Unwrap());
        File.Delete(file);
    }

    private static async Task<long> StartImportAsync(HttpClient client, byte[] content)
    {
        var upload = await UploadAsync(client, content, "slow.csv");
        Assert.Equal(HttpStatusCode.Redirect, upload.StatusCode);
        var id = long.Parse(IdPattern().Match(upload.Headers.Location!.OriginalString).Groups[1].Value);
        var mapUrl = $"/staff/imports/{id}/map";
        await PostAsync(client, mapUrl, mapUrl, new() { ["Columns[text]"] = "text", ["Columns[district]"] = "district" });
        var validateUrl = $"/staff/imports/{id}/validate";
        Assert.Equal(HttpStatusCode.Redirect, (await PostAsync(client, validateUrl, validateUrl + "?handler=Import", [])).StatusCode);
        return id;
    }

    private static byte[] Rows(int n) => Encoding.UTF8.GetBytes("text,district\n" + string.Concat(Enumerable.Range(1, n).Select(i => $"slow row {i} {Guid.NewGuid():N},Dover\n")));

    [Fact]
    public async Task Progress_survives_reloads_and_a_site_restart_finishes_the_import_exactly()
    {
        var data = Path.Combine(Path.GetTempPath(), "engagement-import-restart", Guid.NewGuid().ToString("N"));
        const int rows = 60;
        long id;
        await using (var first = new EngagementWebFactory
        {
            Settings = new Dictionary<string, string> { ["Database:DataDirectory"] = data, ["Import:BatchSize"] = "2", ["Import:BatchDelayMilliseconds"] = "300" },
        })
        {
            await first.EnsureConsultationAsync();
            var client = await StaffClient.ForRoleAsync(first, StaffRoles.EngagementTeam);
            id = await StartImportAsync(client, Rows(rows));

            // Reloading mid-way shows the stored progress, and (for browsers without JavaScript) asks to be refreshed.
            var store = first.Services.GetRequiredService<ImportStore>();
            for (var i = 0; i < 100 && (await store.GetAsync(id))!.ImportedRows < 6; i++) await Task.Delay(100);
            var page = await client.GetStringAsync($"/staff/imports/{id}");
            Assert.Contains(">Importing<", page);
            Assert.Contains("<noscript><meta http-equiv=\"refresh\" content=\"3\"></noscript>", page);
            Assert.Matches(@"<progress id=""import-bar"" class=""app-progress"" max=""100"" value=""(\d+)"">", page);
            Assert.Matches(@"([1-9]\d?) of 60 valid rows imported", page);
        } // the site stops part-way through: the import is left 'running'

        var stopped = await ReadImportAsync(data, id);
        Assert.Equal("running", stopped.Status);
        Assert.InRange(stopped.Imported, 6, rows - 1);

        await using var second = new EngagementWebFactory { Settings = new Dictionary<string, string> { ["Database:DataDirectory"] = data } };
        var db = second.Services.GetRequiredService<Database>(); // starting the host starts the worker, which resumes the import
        for (var i = 0; i < 300 && (await ReadImportAsync(data, id)).Status != "completed"; i++) await Task.Delay(200);
        var done = await ReadImportAsync(data, id);
        Assert.Equal(("completed", rows), (done.Status, done.Imported));
        await using var c = await db.OpenAsync();
        Assert.Equal(rows, await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM submissions WHERE import_id = @id", new { id }));
        Assert.Equal(rows, await c.ExecuteScalarAsync<long>("SELECT COUNT(DISTINCT source_ref) FROM submissions WHERE import_id = @id", new { id }));
    }

    private static async Task<(string Status, int Imported)> ReadImportAsync(string dataDirectory, long id)
    {
        await using var c = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(dataDirectory, "engagement.db")};Pooling=False");
        await c.OpenAsync();
        var row = await c.QuerySingleAsync<(string, long)>("SELECT status, imported_rows FROM imports WHERE id = @id", new { id });
        return (row.Item1, (int)row.Item2);
    }

    [Fact]
    public async Task A_file_over_the_size_limit_gets_a_clear_error()
    {
        await using var site = new EngagementWebFactory { Settings = new Dictionary<string, string> { ["Import:MaxUploadMegabytes"] = "1" } };
        await site.EnsureConsultationAsync();
        var client = await StaffClient.ForRoleAsync(site, StaffRoles.EngagementTeam);
        var big = Encoding.UTF8.GetBytes("text\n" + string.Concat(Enumerable.Repeat("a comment that is long enough to fill the file quickly\n", 25_000)));
        var response = await UploadAsync(client, big, "big.csv");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("The file must be smaller than 1 MB", await response.Content.ReadAsStringAsync());
    }

    /// <summary>A workbook whose sheets hold inline-string cells, first row the header.</summary>
    private static byte[] Workbook(params (string Name, string[][] Rows)[] sheets)
    {
        using var stream = new MemoryStream();
        using (var document = DocumentFormat.OpenXml.Packaging.SpreadsheetDocument.Create(stream, DocumentFormat.OpenXml.SpreadsheetDocumentType.Workbook))
        {
            var workbook = document.AddWorkbookPart();
            workbook.Workbook = new DocumentFormat.OpenXml.Spreadsheet.Workbook(new DocumentFormat.OpenXml.Spreadsheet.Sheets());
            uint sheetId = 1;
            foreach (var (name, rows) in sheets)
            {
                var part = workbook.AddNewPart<DocumentFormat.OpenXml.Packaging.WorksheetPart>();
                var data = new DocumentFormat.OpenXml.Spreadsheet.SheetData();
                for (var r = 0; r < rows.Length; r++)
                {
                    var row = new DocumentFormat.OpenXml.Spreadsheet.Row { RowIndex = (uint)(r + 1) };
                    for (var c = 0; c < rows[r].Length; c++)
                        row.Append(new DocumentFormat.OpenXml.Spreadsheet.Cell
                        {
                            CellReference = $"{(char)('A' + c)}{r + 1}", DataType = DocumentFormat.OpenXml.Spreadsheet.CellValues.InlineString,
                            InlineString = new DocumentFormat.OpenXml.Spreadsheet.InlineString(new DocumentFormat.OpenXml.Spreadsheet.Text(rows[r][c])),
                        });
                    data.Append(row);
                }
                part.Worksheet = new DocumentFormat.OpenXml.Spreadsheet.Worksheet(data);
                workbook.Workbook.Sheets!.Append(new DocumentFormat.OpenXml.Spreadsheet.Sheet { Id = workbook.GetIdOfPart(part), SheetId = sheetId++, Name = name });
            }
        }
        return stream.ToArray();
    }

    [Fact]
    public async Task An_xlsx_upload_can_switch_to_another_sheet_before_matching()
    {
        var client = await TeamClientAsync();
        var marker = "sheet-" + Guid.NewGuid().ToString("N")[..8];
        var bytes = Workbook(("Cover", [["About this file"], ["Exported from the survey tool"]]),
            ("Responses", [["Comment", "District", "Age"], [$"{marker} more dentists please", "(D)(Da)", "42"], [$"{marker} fix the buses", "Swale", "prefer not to say"]]));

        var upload = await UploadAsync(client, bytes, "export.xlsx");
        var mapUrl = upload.Headers.Location!.OriginalString;
        var first = await client.GetStringAsync(mapUrl);
        Assert.Contains("About this file", first); // the first sheet by default
        Assert.Contains("<option value=\"Responses\">Responses</option>", first);

        var switched = await PostAsync(client, mapUrl, mapUrl + "?handler=Sheet", new() { ["Sheet"] = "Responses" });
        Assert.Equal(mapUrl, switched.Headers.Location!.OriginalString);
        var map = await client.GetStringAsync(mapUrl);
        Assert.Contains("sheet &#x27;Responses&#x27;", map);
        Assert.Contains($"{marker} more dentists please", map);

        var mapped = await PostAsync(client, mapUrl, mapUrl, new() { ["Columns[text]"] = "Comment", ["Columns[district]"] = "District", ["Columns[age_band]"] = "Age" });
        var validate = await client.GetStringAsync(mapped.Headers.Location!.OriginalString);
        Assert.Contains("Import the 2 valid rows", validate);
    }

    [GeneratedRegex(@"/staff/imports/(\d+)")]
    private static partial Regex IdPattern();
}
