using System.Text;
using System.Text.RegularExpressions;
using Engagement.Core.Data;
using Engagement.Core.Tests.Data;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Engagement.Web.Tests;

/// <summary>The 503 "could not save" page in a real browser: accessible, focus on the message, and one click sends it again.</summary>
public sealed class DatabaseFaultBrowserTests
{
    [Fact]
    public async Task A_resident_locked_out_by_another_writer_gets_an_accessible_page_and_sends_again_with_one_click()
    {
        await using var site = new EngagementWebFactory { Settings = new Dictionary<string, string> { ["Database:BusyTimeoutSeconds"] = "1" } };
        var port = BrowserTests.FreePort();
        site.UseKestrel(port);
        site.StartServer();
        await site.EnsureConsultationAsync();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await BrowserTests.LaunchChromiumAsync(playwright);
        var page = await browser.NewPageAsync();
        var db = site.Services.GetRequiredService<Database>();

        await page.GotoAsync($"http://127.0.0.1:{port}/consultations/{EngagementWebFactory.Slug}/respond");
        await AccessibilityTests.FillValidAnswersAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
        using (await SqliteWriteLock.TakeAsync(db.ConnectionString))
        {
            var response = await page.RunAndWaitForResponseAsync(
                () => page.GetByRole(AriaRole.Button, new() { Name = "Send response" }).ClickAsync(), r => r.Request.Method == "POST");
            Assert.Equal(503, response.Status);
        }

        // The 503 has arrived, but the page it carries may not have replaced the check page yet.
        await Expect(page).ToHaveTitleAsync(new Regex("^Error:"));
        await Expect(page.Locator(".govuk-error-summary")).ToContainTextAsync("We could not save your response just now");
        await page.WaitForFunctionAsync("() => document.activeElement && document.activeElement.classList.contains('govuk-error-summary')",
            null, new() { Timeout = 5000 });
        var report = new StringBuilder();
        await AccessibilityTests.ScanAsync(page, "Check answers after the database was busy", report);
        Assert.True(report.Length == 0, "axe-core found WCAG violations:\n" + report);
        await page.Locator(".govuk-error-summary__list a").First.ClickAsync();
        Assert.Equal("send-response", await page.EvaluateAsync<string>("document.activeElement.id"));

        await page.Keyboard.PressAsync("Enter");
        await PageWaits.ForPageAsync(page, new Regex("/confirmation"));
        await Expect(page.Locator("h1")).ToHaveTextAsync("Response sent");
    }
}
