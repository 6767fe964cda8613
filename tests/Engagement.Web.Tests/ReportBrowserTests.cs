using Engagement.Core.Data;
using Engagement.Core.Domain;
using Engagement.Core.Staff;
using Microsoft.Extensions.DependencyInjection;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Engagement.Web.Tests;

/// <summary>A strategy author opens the report in Chromium, follows a point to its comments and rewords it.</summary>
public sealed class ReportBrowserTests
{
    [Fact]
    public async Task An_author_opens_the_report_clicks_through_to_a_point_and_rewords_it()
    {
        var port = BrowserTests.FreePort();
        await using var factory = new EngagementWebFactory();
        factory.UseKestrel(port);
        factory.StartServer();
        var consultation = await factory.EnsureConsultationAsync();
        await factory.Services.GetRequiredService<ThemeStore>().SeedAsync([new ThemeSeed("browser-gp", "GP access (browser test)", 5, "", [], null)]);
        foreach (var (text, district) in new[]
                 {
                     ("Evening GP appointments are hard to get for working parents", "SW"),
                     ("It is hard to get evening GP appointments as a working parent", "T"),
                 })
            await factory.Services.GetRequiredService<SubmissionStore>().CreateAsync(new NewSubmission
            {
                ConsultationId = consultation.Id, RespondentType = RespondentTypes.Resident, District = district, ConsentToQuote = true,
                Comments = [new NewComment(text, 5) { Suggestion = new CommentSuggestion(5, "browser-gp", 0.9, false, "test") }],
            });
        await factory.Services.GetRequiredService<StaffUserStore>().AddOrUpdateAsync("browser-author@example.org", StaffRoles.StrategyAuthor, StaffClient.Password);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await BrowserTests.LaunchChromiumAsync(playwright);
        var page = await browser.NewPageAsync();
        var root = $"http://127.0.0.1:{port}";
        await page.GotoAsync(root + "/staff/sign-in");
        await page.GetByLabel("Email address").FillAsync("browser-author@example.org");
        await page.GetByLabel("Password").FillAsync(StaffClient.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await PageWaits.ForPageAsync(page, new Regex("^(?!.*/sign-in)"));

        await page.GotoAsync($"{root}/staff/consultations/{consultation.Slug}/report");
        await Expect(page.Locator("h1")).ToContainTextAsync("Findings from engagement and consultation");
        await Expect(page.GetByRole(AriaRole.Img, new() { Name = "Responses by area of Kent and Medway" })).ToBeVisibleAsync();
        await Expect(page.Locator(".app-tile-map .app-tile")).ToHaveCountAsync(13);
        await Expect(page.GetByRole(AriaRole.Table, new() { Name = "Responses by area" })).ToBeVisibleAsync();

        var point = page.Locator("#outcome-5-public + h4 + ul a").First;
        await Expect(page.Locator("#outcome-5-public + h4 + ul li").First).ToContainTextAsync("(SW)(T)");
        await point.ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("Report point");
        await Expect(page.Locator("#comments ~ form table tbody tr")).ToHaveCountAsync(2);
        await Expect(page.Locator("#comments ~ form table")).ToContainTextAsync("It is hard to get evening GP appointments as a working parent");

        await page.GetByLabel("Wording", new() { Exact = true }).FillAsync("Working parents cannot get evening GP appointments");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save wording" }).ClickAsync();
        await Expect(page.Locator(".govuk-notification-banner")).ToContainTextAsync("Wording saved");
        await Expect(page.Locator("#history ~ table")).ToContainTextAsync("browser-author@example.org");

        await page.GetByRole(AriaRole.Link, new() { Name = "Back to the report" }).ClickAsync();
        await Expect(page.Locator("#outcome-5-public + h4 + ul")).ToContainTextAsync("Working parents cannot get evening GP appointments");
    }
}
