using System.Text;
using System.Text.RegularExpressions;
using Engagement.Core.Data;
using Engagement.Core.Domain;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Engagement.Web.Tests;

/// <summary>axe-core (WCAG 2.0/2.1/2.2 A and AA) on each state of the erasure pages, driven in Chromium without shortcuts.</summary>
public sealed class PrivacyAccessibilityTests(AccessibilityFixture site) : IClassFixture<AccessibilityFixture>
{
    private static Task ScanAsync(IPage page, string state, StringBuilder report) => AccessibilityTests.ScanAsync(page, state, report);

    [Fact]
    public async Task Erase_pages_have_no_wcag_violations_in_any_state()
    {
        var consultation = await site.Factory.EnsureConsultationAsync();
        var reference = (await site.Factory.Services.GetRequiredService<SubmissionStore>().CreateAsync(new NewSubmission
        {
            ConsultationId = consultation.Id, RespondentType = RespondentTypes.Resident, Comments = [new NewComment("Please delete my response later", null)],
        })).Reference;
        var page = await site.SignedInPageAsync();
        var report = new StringBuilder();

        await page.GotoAsync(site.Root + "/staff/privacy/erase");
        await ScanAsync(page, "Erase: enter reference", report);
        await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
        await Expect(page).ToHaveTitleAsync(new Regex("^Error:"));
        await ScanAsync(page, "Erase: error", report);
        await page.GetByLabel("Reference number").FillAsync(reference);
        await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("Check before you erase");
        await ScanAsync(page, "Erase: check", report);
        await page.GetByRole(AriaRole.Button, new() { Name = "Erase this response" }).ClickAsync();
        await Expect(page.Locator("h1")).ToContainTextAsync("Response erased");
        await ScanAsync(page, "Erase: done", report);

        Assert.True(report.Length == 0, "axe-core found WCAG violations:\n" + report);
    }
}
