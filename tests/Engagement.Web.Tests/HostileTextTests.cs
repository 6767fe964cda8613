using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Dapper;
using Engagement.Core.Data;
using Engagement.Core.Domain;
using Engagement.Core.Staff;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;

namespace Engagement.Web.Tests;

/// <summary>
/// Markup and spreadsheet formulas typed by a resident are stored as typed and are only ever shown as text: on every
/// staff page (found at run time), and in the HTML, CSV, xlsx and docx exports.
/// </summary>
public sealed class HostileTextTests : IClassFixture<EngagementWebFactory>
{
    private const string Slug = "hostile-text";
    private const string Script = "<script>alert(1)</script>";
    private const string Breakout = "\"><img src=x onerror=alert(2)>";
    private const string Reversed = "Parking at the hospital \u202Egnikrap on\u202C costs too much";
    private static readonly string[] Formulas = ["=HYPERLINK(\"http://evil.example\",\"Click\")", "+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0"];

    private readonly EngagementWebFactory factory;
    private readonly (long[] CommentIds, long SubmissionId) seeded;

    public HostileTextTests(EngagementWebFactory factory)
    {
        this.factory = factory;
        seeded = SeedAsync().GetAwaiter().GetResult();
    }

    private async Task<(long[], long)> SeedAsync()
    {
        var consultation = await factory.Services.GetRequiredService<ConsultationStore>().EnsureAsync(new Consultation
        {
            Slug = Slug, Title = $"Hostile text {Script} {Breakout}", Summary = Script, Status = ConsultationStatuses.Open,
            OpensOn = new DateTime(2026, 10, 1, 0, 0, 0, DateTimeKind.Utc), ClosesOn = new DateTime(2027, 1, 31, 0, 0, 0, DateTimeKind.Utc),
        });
        await using var c = await factory.Services.GetRequiredService<Database>().OpenAsync();
        var existing = (await c.QueryAsync<long>("SELECT id FROM comments WHERE consultation_id = @id ORDER BY id", new { id = consultation.Id })).ToArray();
        if (existing.Length > 0) return (existing, await c.ExecuteScalarAsync<long>("SELECT MIN(id) FROM submissions WHERE consultation_id = @id", new { id = consultation.Id }));

        var texts = new[] { $"Buses to the hospital stop too early {Script}", $"GP appointments are hard to get {Breakout}" }.Concat(Formulas).Append(Reversed);
        var result = await factory.Services.GetRequiredService<SubmissionStore>().CreateAsync(new NewSubmission
        {
            ConsultationId = consultation.Id, RespondentType = RespondentTypes.Partner, Organisation = "Org " + Script, PartnerType = "vcse",
            District = "TH", ConsentToQuote = true, Comments = texts.Select(t => new NewComment(t, 5)).ToList(),
        });
        var ids = (await c.QueryAsync<long>("SELECT id FROM comments WHERE submission_id = @id ORDER BY id", new { id = result.SubmissionId })).ToArray();
        return (ids, result.SubmissionId);
    }

    private static void AssertNoRawMarkup(string url, string body)
    {
        Assert.False(body.Contains("<script>alert(1)", StringComparison.OrdinalIgnoreCase), $"{url} has a raw <script> from a resident's text");
        Assert.False(body.Contains("<img src=x", StringComparison.OrdinalIgnoreCase), $"{url} has a raw <img> from a resident's text");
    }

    [Fact]
    public async Task The_text_is_stored_exactly_as_typed()
    {
        await using var c = await factory.Services.GetRequiredService<Database>().OpenAsync();
        var texts = (await c.QueryAsync<string>("SELECT text FROM comments WHERE submission_id = @id", new { id = seeded.SubmissionId })).ToList();
        Assert.Contains($"Buses to the hospital stop too early {Script}", texts);
        Assert.Contains($"GP appointments are hard to get {Breakout}", texts);
        foreach (var f in Formulas) Assert.Contains(f, texts);
    }

    [Fact]
    public async Task Every_staff_page_shows_it_encoded()
    {
        var admin = await StaffClient.ForRoleAsync(factory, StaffRoles.Admin);
        var endpoints = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => (e.RoutePattern.RawText ?? "").TrimStart('/').StartsWith("staff", StringComparison.OrdinalIgnoreCase))
            .GroupBy(e => e.RoutePattern.RawText).Select(g => g.First()).ToList();
        var checkedPages = 0;
        foreach (var endpoint in endpoints)
        {
            foreach (var id in seeded.CommentIds.Take(2))
            {
                var url = Fill(endpoint.RoutePattern, id);
                var response = await admin.GetAsync(url);
                Assert.True((int)response.StatusCode < 500, $"GET {url}: {(int)response.StatusCode}");
                if (response.StatusCode != HttpStatusCode.OK) continue;
                AssertNoRawMarkup(url, await response.Content.ReadAsStringAsync());
                checkedPages++;
                if (endpoint.RoutePattern.Parameters.All(p => p.Name != "id")) break;
            }
        }
        Assert.True(checkedPages >= 8, $"Only {checkedPages} staff pages rendered");

        var detail = await admin.GetStringAsync($"/staff/comments/{seeded.CommentIds[0]}");
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", detail);
        var list = await admin.GetStringAsync($"/staff/consultations/{Slug}/responses");
        Assert.Contains("&quot;&gt;&lt;img src=x onerror=alert(2)&gt;", list);
    }

    private string Fill(RoutePattern pattern, long id) => "/" + string.Join('/', pattern.PathSegments.Select(s => string.Concat(s.Parts.Select(p => p switch
    {
        RoutePatternLiteralPart l => l.Content,
        RoutePatternSeparatorPart sep => sep.Content,
        RoutePatternParameterPart { Name: "slug" } => Slug,
        RoutePatternParameterPart { Name: "submissionId" } => seeded.SubmissionId.ToString(),
        RoutePatternParameterPart => id.ToString(),
        _ => "",
    }))));

    [Fact]
    public async Task A_right_to_left_override_in_a_comment_is_isolated_wherever_staff_read_it()
    {
        var admin = await StaffClient.ForRoleAsync(factory, StaffRoles.Admin);
        var reversedId = seeded.CommentIds[^1];
        var pages = new[] { $"/staff/consultations/{Slug}/responses", $"/staff/comments/{reversedId}", $"/staff/comments/{seeded.CommentIds[0]}" };
        foreach (var url in pages)
        {
            var html = await admin.GetStringAsync(url);
            var overrides = Regex.Matches(html, "&#x202E;").Count;
            Assert.True(overrides > 0, $"{url} does not show the comment");
            // Each override sits in a <bdi> or in an element styled unicode-bidi: isolate (.app-comment-text), with no tag between.
            var isolated = Regex.Matches(html, "(<bdi>|class=\"[^\"]*app-comment-text[^\"]*\">)[^<]*&#x202E;").Count;
            Assert.True(overrides == isolated, $"{url}: {overrides - isolated} of {overrides} right-to-left overrides are not isolated");
        }
    }

    [Fact]
    public async Task Csv_export_defuses_formulas_and_keeps_markup_as_text()
    {
        var admin = await StaffClient.ForRoleAsync(factory, StaffRoles.Admin);
        var csv = await admin.GetStringAsync($"/staff/consultations/{Slug}/report?handler=Download&format=csv");
        foreach (var f in Formulas)
        {
            Assert.Contains("\"'" + f.Replace("\"", "\"\""), csv);
            Assert.DoesNotContain("\"" + f.Replace("\"", "\"\""), csv.Replace("\"'" + f.Replace("\"", "\"\""), ""));
        }
        Assert.Contains(Script, csv);
    }

    [Fact]
    public async Task Xlsx_export_holds_formulas_and_markup_as_plain_strings()
    {
        var admin = await StaffClient.ForRoleAsync(factory, StaffRoles.Admin);
        var bytes = await admin.GetByteArrayAsync($"/staff/consultations/{Slug}/report?handler=Download&format=xlsx");
        using var zip = new ZipArchive(new MemoryStream(bytes));
        var sheets = zip.Entries.Where(e => e.FullName.StartsWith("xl/worksheets/", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(sheets);
        XNamespace ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
        var found = new HashSet<string>();
        foreach (var sheet in sheets)
        {
            var xml = XDocument.Load(sheet.Open());
            Assert.Empty(xml.Descendants(ns + "f")); // no cell anywhere is a formula
            foreach (var cell in xml.Descendants(ns + "c"))
            {
                var text = string.Concat(cell.Descendants(ns + "t").Select(t => t.Value));
                foreach (var f in Formulas.Append(Script).Where(text.Contains))
                {
                    Assert.Equal("inlineStr", (string?)cell.Attribute("t"));
                    found.Add(f);
                }
            }
        }
        Assert.Equal(Formulas.Length + 1, found.Count);
    }

    [Fact]
    public async Task Docx_and_html_exports_hold_markup_as_text()
    {
        var admin = await StaffClient.ForRoleAsync(factory, StaffRoles.Admin);
        var html = await admin.GetStringAsync($"/staff/consultations/{Slug}/report?handler=Download&format=html");
        AssertNoRawMarkup("html export", html);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html);

        var bytes = await admin.GetByteArrayAsync($"/staff/consultations/{Slug}/report?handler=Download&format=docx");
        using var zip = new ZipArchive(new MemoryStream(bytes));
        var documentXml = new StreamReader(zip.GetEntry("word/document.xml")!.Open(), Encoding.UTF8).ReadToEnd();
        AssertNoRawMarkup("docx", documentXml);
        XNamespace w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
        var text = string.Concat(XDocument.Parse(documentXml).Descendants(w + "t").Select(t => t.Value));
        Assert.Contains(Script, text); // the consultation's own title and quotes come through as the characters typed
    }
}
