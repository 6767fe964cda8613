using System.Text;
using Engagement.Core.Data;
using Engagement.Core.Domain;
using Engagement.Core.Emerging;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Engagement.Web.Tests;

/// <summary>
/// The Emerging themes page in Chromium with axe-core in each state it can be in. The states are set in the database
/// (another instance's lease, a stored failure, an older and a current result), so no clustering has to be waited for.
/// </summary>
public sealed class EmergingThemeAccessibilityTests(AccessibilityFixture site) : IClassFixture<AccessibilityFixture>
{
    private static readonly string[][] Topics =
    [
        ["hearing", "aids", "audiology", "batteries", "deaf", "ears"],
        ["parking", "car", "charges", "spaces", "badge", "ticket"],
    ];

    [Fact]
    public async Task Every_emerging_themes_page_state_has_no_wcag_violations()
    {
        var services = site.Factory.Services;
        var consultation = await new ConsultationStore(services.GetRequiredService<Database>()).EnsureAsync(new Consultation
        {
            Slug = "a11y-emerging", Title = "Hearing and parking (emerging themes)", Summary = "Tell us what you think.", Status = ConsultationStatuses.Open,
            OpensOn = new DateTime(2026, 10, 1, 0, 0, 0, DateTimeKind.Utc), ClosesOn = new DateTime(2027, 1, 31, 0, 0, 0, DateTimeKind.Utc),
        });
        var random = new Random(5);
        for (var n = 0; n < 30; n++)
        {
            var topic = Topics[n % 2];
            await services.GetRequiredService<SubmissionStore>().CreateAsync(new NewSubmission
            {
                ConsultationId = consultation.Id, RespondentType = RespondentTypes.Resident, District = n % 3 == 0 ? "T" : "SW",
                Comments = [new NewComment("The " + string.Join(' ', Enumerable.Range(0, 6).Select(_ => topic[random.Next(topic.Length)])) + " problem in town.", null)
                    { Suggestion = new CommentSuggestion(4, "a11y-gp", 0.1, true, "test") }],
            });
        }
        var store = services.GetRequiredService<EmergingThemeStore>();
        var unfitted = await store.UnfittedAsync(consultation.Id);
        var fingerprint = EmergingThemeStore.Fingerprint(unfitted);
        var result = EmergingThemeFinder.Find(unfitted, store.Options);
        // Another instance is working on it, so this one never starts its own computation during the test.
        var leases = services.GetRequiredService<JobLeaseStore>();
        Assert.True(await leases.TryAcquireAsync(EmergingThemeJob.LeaseName(consultation.Id), "another-instance", TimeSpan.FromMinutes(10)));
        try
        {
            var page = await site.SignedInPageAsync();
            var report = new StringBuilder();
            var url = site.Root + "/staff/consultations/a11y-emerging/emerging-themes";
            var main = page.Locator("main");

            await page.GotoAsync(url);
            await PageWaits.ForTextAsync(main, "Finding emerging themes in 30 comments");
            await AccessibilityTests.ScanAsync(page, "Emerging themes: being worked out", report);

            await store.SaveFailureAsync(consultation.Id, fingerprint, DateTime.UtcNow, "InvalidOperationException: test");
            await page.GotoAsync(url);
            await PageWaits.ForTextAsync(main, "The emerging themes could not be worked out.");
            await AccessibilityTests.ScanAsync(page, "Emerging themes: failed", report);

            await store.SaveResultAsync(consultation.Id, "an older set", DateTime.UtcNow.AddHours(-1), result);
            await page.GotoAsync(url);
            await PageWaits.ForTextAsync(main, "These groups were worked out on");
            await AccessibilityTests.ScanAsync(page, "Emerging themes: older result", report);

            await store.SaveResultAsync(consultation.Id, fingerprint, DateTime.UtcNow, result);
            await page.GotoAsync(url);
            await PageWaits.ForTextAsync(main, "groups (chosen as the number of groups");
            await AccessibilityTests.ScanAsync(page, "Emerging themes: current result", report);

            await page.Locator("#cluster-1 summary").ClickAsync();
            await page.Locator("#cluster-1").GetByRole(AriaRole.Button, new() { Name = "Create theme and confirm these comments" }).ClickAsync();
            await PageWaits.ForTextAsync(page.Locator(".govuk-error-summary"), "Enter a name for the new theme");
            await AccessibilityTests.ScanAsync(page, "Emerging themes: promote with errors", report);

            Assert.True(report.Length == 0, "axe-core found WCAG violations:\n" + report);
        }
        finally
        {
            await leases.ReleaseAsync(EmergingThemeJob.LeaseName(consultation.Id), "another-instance");
        }
    }
}
