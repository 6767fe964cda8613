using System.Net;
using Engagement.Core.Data;
using Engagement.Core.Domain;
using Engagement.Core.Staff;
using Microsoft.Extensions.DependencyInjection;

namespace Engagement.Web.Tests;

public sealed class ReportPageTests : IClassFixture<EngagementWebFactory>
{
    private const string Password = "a long test password";
    private readonly EngagementWebFactory factory;

    public ReportPageTests(EngagementWebFactory factory) => this.factory = factory;

    private Task<HttpClient> SignedInClientAsync(string email, string role) => StaffClient.ForUserAsync(factory, email, role);

    private async Task<Consultation> SeedAsync()
    {
        var consultation = await factory.EnsureConsultationAsync();
        var submissions = factory.Services.GetRequiredService<SubmissionStore>();
        await submissions.CreateAsync(new NewSubmission
        {
            ConsultationId = consultation.Id, RespondentType = RespondentTypes.Resident, District = "SW", ConsentToQuote = true,
            SourceRef = "report-page-test-1",
            Comments = [new NewComment("Evening GP appointments are hard to get for working parents, my name is Jane Doe <b>bold</b>", 5)],
        });
        await submissions.CreateAsync(new NewSubmission
        {
            ConsultationId = consultation.Id, RespondentType = RespondentTypes.Partner, PartnerType = "vcse", Organisation = "Age UK",
            District = "T", SourceRef = "report-page-test-2",
            Comments = [new NewComment("The bus to the hospital stopped running after six", 2)],
        });
        return consultation;
    }

    [Fact]
    public async Task Report_page_needs_sign_in()
    {
        var response = await factory.CreateBrowserClient().GetAsync($"/staff/consultations/{EngagementWebFactory.Slug}/report");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("https://localhost/staff/sign-in", response.Headers.Location!.ToString());
    }

    [Fact]
    public async Task Strategy_author_sees_the_report_with_charts_and_redacted_text()
    {
        var consultation = await SeedAsync();
        var client = await SignedInClientAsync("author-report@example.org", StaffRoles.StrategyAuthor);

        var response = await client.GetAsync($"/staff/consultations/{consultation.Slug}/report");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Contains("<h1 class=\"govuk-heading-l\">Findings from engagement and consultation</h1>", html);
        Assert.Contains("Outcome 5: Improve health and care services", html);
        Assert.Contains("(SW)", html);
        Assert.Contains("(T)(VCS)", html);
        Assert.Contains("aria-labelledby=\"chart-districts-title chart-districts-desc\"", html);
        Assert.Contains("<caption>Responses by area</caption>", html);
        Assert.DoesNotContain("Jane Doe", html);
        Assert.DoesNotContain("<b>bold</b>", html);
        Assert.Contains("&lt;b&gt;bold&lt;/b&gt;", html);
        Assert.Contains("?handler=Download&amp;format=docx", html);

        var dashboard = await client.GetStringAsync("/staff");
        Assert.Contains($"/staff/consultations/{consultation.Slug}/report", dashboard);
    }

    [Theory]
    [InlineData("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")]
    [InlineData("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")]
    [InlineData("csv", "text/csv")]
    [InlineData("html", "text/html")]
    public async Task Downloads_come_in_each_format(string format, string contentType)
    {
        var consultation = await SeedAsync();
        var client = await SignedInClientAsync("team-report@example.org", StaffRoles.EngagementTeam);
        var response = await client.GetAsync($"/staff/consultations/{consultation.Slug}/report?handler=Download&format={format}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith(contentType, response.Content.Headers.ContentType!.ToString());
        Assert.EndsWith("." + format, response.Content.Headers.ContentDisposition!.FileName!.Trim('"'));
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.NotEmpty(bytes);
        // Rendered whole before the headers go: a failure part way is an error page, never a short file that looks complete.
        Assert.Equal(bytes.Length, response.Content.Headers.ContentLength);
        if (format is "csv" or "html") Assert.DoesNotContain("Jane Doe", System.Text.Encoding.UTF8.GetString(bytes));
    }

    [Fact]
    public async Task Unknown_consultation_or_format_is_not_found()
    {
        var client = await SignedInClientAsync("author-404@example.org", StaffRoles.StrategyAuthor);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/staff/consultations/no-such-thing/report")).StatusCode);
        await factory.EnsureConsultationAsync();
        Assert.Equal(HttpStatusCode.NotFound,
            (await client.GetAsync($"/staff/consultations/{EngagementWebFactory.Slug}/report?handler=Download&format=pdf")).StatusCode);
    }
}
