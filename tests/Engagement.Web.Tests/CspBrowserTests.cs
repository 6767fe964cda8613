using Engagement.Core.Data;
using Engagement.Core.Domain;
using Engagement.Core.Staff;
using Microsoft.Extensions.DependencyInjection;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Engagement.Web.Tests;

/// <summary>Chromium enforces the Content-Security-Policy for real: nothing on the pages may be refused.</summary>
public sealed class CspBrowserTests
{
    [Fact]
    public async Task Chromium_reports_no_policy_violations_and_the_govuk_body_class_script_runs()
    {
        var port = BrowserTests.FreePort();
        await using var factory = new EngagementWebFactory();
        factory.UseKestrel(port);
        factory.StartServer();
        var consultation = await factory.EnsureConsultationAsync();
        await factory.Services.GetRequiredService<SubmissionStore>().CreateAsync(new NewSubmission
        {
            ConsultationId = consultation.Id, RespondentType = RespondentTypes.Resident, District = "TH",
            Comments = [new NewComment("Buses to the QEQM hospital in Margate stop too early in the evening.", 5)],
        });
        await factory.Services.GetRequiredService<StaffUserStore>().AddOrUpdateAsync("csp-admin@example.org", StaffRoles.Admin, StaffClient.Password);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await BrowserTests.LaunchChromiumAsync(playwright);
        var page = await browser.NewPageAsync();
        var violations = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase)) violations.Add(page.Url + ": " + message.Text);
        };

        var root = $"http://127.0.0.1:{port}";
        foreach (var path in new[] { "/", $"/consultations/{EngagementWebFactory.Slug}", $"/consultations/{EngagementWebFactory.Slug}/respond", "/staff/sign-in" })
        {
            await page.GotoAsync(root + path);
            Assert.Contains("govuk-frontend-supported", await page.EvaluateAsync<string>("document.body.className"));
        }

        await page.GetByLabel("Email address").FillAsync("csp-admin@example.org");
        await page.GetByLabel("Password").FillAsync(StaffClient.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await PageWaits.ForPageAsync(page, new Regex("^(?!.*/sign-in)"));
        await page.GotoAsync($"{root}/staff/consultations/{EngagementWebFactory.Slug}/report");
        await Expect(page.Locator("h1")).ToContainTextAsync("Findings from engagement and consultation");
        // The report's nonce-carrying style block applied: the chart pair is laid out as flex.
        Assert.Equal("flex", await page.Locator(".app-chart-pair").First.EvaluateAsync<string>("e => getComputedStyle(e).display"));

        Assert.Empty(violations);
    }
}
