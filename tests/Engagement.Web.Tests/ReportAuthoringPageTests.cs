using System.Net;
using System.Text.RegularExpressions;
using Engagement.Core.Data;
using Engagement.Core.Domain;
using Engagement.Core.Staff;
using Microsoft.Extensions.DependencyInjection;

namespace Engagement.Web.Tests;

/// <summary>Strategy authors edit report points through plain form posts (no JavaScript), with real antiforgery tokens.</summary>
public sealed partial class ReportAuthoringPageTests : IClassFixture<EngagementWebFactory>
{
    private const string Password = "a long test password";
    private readonly EngagementWebFactory factory;

    public ReportAuthoringPageTests(EngagementWebFactory factory) => this.factory = factory;

    private Task<HttpClient> SignedInClientAsync(string email, string role) => StaffClient.ForUserAsync(factory, email, role);

    /// <summary>A consultation of its own, one response per text, all suggested as GP access (outcome 5).</summary>
    private async Task<Consultation> SeedAsync(params (string Text, string District)[] rows)
    {
        await factory.EnsureConsultationAsync();
        var consultation = await factory.Services.GetRequiredService<ConsultationStore>().EnsureAsync(new Consultation
        {
            Slug = "authoring-" + Guid.NewGuid().ToString("N")[..8], Title = "Authoring test", Summary = "", Status = ConsultationStatuses.Open,
            OpensOn = new DateTime(2026, 10, 1, 0, 0, 0, DateTimeKind.Utc), ClosesOn = new DateTime(2027, 1, 31, 0, 0, 0, DateTimeKind.Utc),
        });
        await factory.Services.GetRequiredService<ThemeStore>().SeedAsync([new ThemeSeed("test-report-gp", "GP access (report test)", 5, "", [], null)]);
        var submissions = factory.Services.GetRequiredService<SubmissionStore>();
        foreach (var (text, district) in rows)
            await submissions.CreateAsync(new NewSubmission
            {
                ConsultationId = consultation.Id, RespondentType = RespondentTypes.Resident, District = district, ConsentToQuote = true,
                Comments = [new NewComment(text, 5) { Suggestion = new CommentSuggestion(5, "test-report-gp", 0.9, false, "test") }],
            });
        return consultation;
    }

    private static FormUrlEncodedContent Form(string token, params (string Key, string Value)[] fields) =>
        new(fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value)).Append(new("__RequestVerificationToken", token)));

    /// <summary>The point pages linked from the report, in report order, with their link text.</summary>
    private static List<(string Url, string Wording)> PointLinks(string html) =>
        PointLink().Matches(html).Select(m => (WebUtility.HtmlDecode(m.Groups[1].Value), WebUtility.HtmlDecode(m.Groups[2].Value))).ToList();

    [GeneratedRegex("<a class=\"govuk-link\" href=\"(/staff/consultations/[^\"]+/report/points/[^\"]+)\">([^<]*)</a>")]
    private static partial Regex PointLink();

    [Fact]
    public async Task An_author_rewords_splits_merges_hides_and_reorders_points_and_the_history_shows_who()
    {
        var c = await SeedAsync(
            ("Evening GP appointments are hard to get for working parents", "SW"),
            ("It is hard to get evening GP appointments as a working parent", "T"),
            ("GP appointments in the evening are so hard to get for working parents", "Da"),
            ("The GP surgery never answers the phone in the morning", "M"));
        var client = await SignedInClientAsync("author-points@example.org", StaffRoles.StrategyAuthor);
        var reportUrl = $"/staff/consultations/{c.Slug}/report";

        var links = PointLinks(await client.GetStringAsync(reportUrl));
        Assert.Equal(2, links.Count);
        var evening = links.Single(l => l.Wording.Contains("vening")).Url;

        // Clicking through shows the comments the point summarises.
        var page = await client.GetAsync(evening);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("3 comments", html);
        Assert.Contains("It is hard to get evening GP appointments as a working parent", html);
        Assert.Contains("Nobody has edited this point", html);
        var token = await EngagementWebFactory.TokenFromAsync(page);

        // Reword.
        var post = await client.PostAsync(evening + "?handler=Reword", Form(token, ("Input.Version", "0"), ("Input.Wording", "Working parents cannot get evening GP appointments")));
        Assert.Equal(HttpStatusCode.Redirect, post.StatusCode);
        Assert.Equal(evening, post.Headers.Location!.ToString());
        html = await client.GetStringAsync(evening);
        Assert.Contains("Wording saved", html);
        Assert.Contains("author-points@example.org", html);
        Assert.Contains("Reworded", html);
        Assert.Contains("Working parents cannot get evening GP appointments", await client.GetStringAsync(reportUrl));

        // A stale version is refused and nothing typed is lost.
        page = await client.GetAsync(evening);
        token = await EngagementWebFactory.TokenFromAsync(page);
        var stale = await client.PostAsync(evening + "?handler=Reword", Form(token, ("Input.Version", "0"), ("Input.Wording", "Stale wording from another tab")));
        Assert.Equal(HttpStatusCode.OK, stale.StatusCode);
        html = await stale.Content.ReadAsStringAsync();
        Assert.Contains("Someone else changed this point", html);
        Assert.Contains("Stale wording from another tab", html);
        Assert.Contains("govuk-error-summary", html);

        // Empty wording is a clear error.
        var empty = await client.PostAsync(evening + "?handler=Reword", Form(token, ("Input.Version", "1"), ("Input.Wording", "  ")));
        Assert.Contains("Enter the wording for the point", await empty.Content.ReadAsStringAsync());

        // Split one comment off into a new point with its own wording.
        var moving = Regex.Match(html, "name=\"Input.Move\" type=\"checkbox\" value=\"(\\d+)\"").Groups[1].Value;
        var split = await client.PostAsync(evening + "?handler=Split", Form(token, ("Input.Version", "1"), ("Input.Move", moving), ("Input.NewWording", "Parents in Swale want Saturday clinics")));
        Assert.Equal(HttpStatusCode.Redirect, split.StatusCode);
        var newPoint = split.Headers.Location!.ToString();
        Assert.NotEqual(evening, newPoint);
        html = await client.GetStringAsync(newPoint);
        Assert.Contains("1 comment moved to a new point", html);
        Assert.Contains("Split from", html);
        links = PointLinks(await client.GetStringAsync(reportUrl));
        Assert.Equal(3, links.Count);
        Assert.Contains(links, l => l.Wording == "Parents in Swale want Saturday clinics");

        // Merge the new point back into the reworded one.
        page = await client.GetAsync(newPoint);
        token = await EngagementWebFactory.TokenFromAsync(page);
        var eveningKey = evening[(evening.LastIndexOf('/') + 1)..];
        var merge = await client.PostAsync(newPoint + "?handler=Merge", Form(token, ("Input.Version", "1"), ("Input.Into", eveningKey)));
        Assert.Equal(HttpStatusCode.Redirect, merge.StatusCode);
        Assert.Equal(evening, merge.Headers.Location!.ToString());
        Assert.Contains("3 comments", await client.GetStringAsync(evening));
        Assert.Contains("merged into", await client.GetStringAsync(newPoint));

        // Reorder: the phone point moves above the evening point.
        links = PointLinks(await client.GetStringAsync(reportUrl));
        Assert.Equal(evening, links[0].Url);
        var phone = links[1].Url;
        page = await client.GetAsync(phone);
        token = await EngagementWebFactory.TokenFromAsync(page);
        Assert.Equal(HttpStatusCode.Redirect, (await client.PostAsync(phone + "?handler=MoveUp", Form(token, ("Input.Version", "0")))).StatusCode);
        links = PointLinks(await client.GetStringAsync(reportUrl));
        Assert.Equal([phone, evening], links.Select(l => l.Url).Take(2));

        // Hide: gone from the report and its download, still listed for authors under Hidden points.
        page = await client.GetAsync(phone);
        token = await EngagementWebFactory.TokenFromAsync(page);
        Assert.Equal(HttpStatusCode.Redirect, (await client.PostAsync(phone + "?handler=Hide", Form(token, ("Input.Version", "1")))).StatusCode);
        var report = await client.GetStringAsync(reportUrl);
        Assert.Contains("Hidden points (1)", report);
        var download = await client.GetStringAsync(reportUrl + "?handler=Download&format=html");
        Assert.DoesNotContain("never answers the phone", download);
        Assert.Contains("Working parents cannot get evening GP appointments", download);
    }

    [Fact]
    public async Task Only_strategy_authors_and_admins_can_edit_but_everyone_can_click_through()
    {
        var c = await SeedAsync(("Evening GP appointments are hard to get for working parents", "SW"));
        var team = await SignedInClientAsync("team-points@example.org", StaffRoles.EngagementTeam);
        var point = PointLinks(await team.GetStringAsync($"/staff/consultations/{c.Slug}/report")).Single().Url;
        var page = await team.GetAsync(point);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("Evening GP appointments are hard to get", html);
        Assert.DoesNotContain("Save wording", html);
        var token = await EngagementWebFactory.TokenFromAsync(page);
        var post = await team.PostAsync(point + "?handler=Reword", Form(token, ("Input.Version", "0"), ("Input.Wording", "Not allowed")));
        Assert.Equal(HttpStatusCode.Forbidden, post.StatusCode);

        var author = await SignedInClientAsync("author-no-token@example.org", StaffRoles.StrategyAuthor);
        var noToken = await author.PostAsync(point + "?handler=Reword", new FormUrlEncodedContent([new("Input.Version", "0"), new("Input.Wording", "No token")]));
        Assert.Equal(HttpStatusCode.BadRequest, noToken.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await author.GetAsync($"/staff/consultations/{c.Slug}/report/points/c999999999")).StatusCode);
    }
}
