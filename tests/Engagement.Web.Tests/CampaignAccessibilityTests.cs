using System.Text;
using System.Text.RegularExpressions;
using Engagement.Core.Data;
using Engagement.Core.Domain;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Engagement.Web.Tests;

/// <summary>
/// The campaigns pages (list and group) in Chromium: axe-core in every state the team meets, each reached by clicking the way
/// a person does, plus keyboard reach of the main action and reflow at 320 px. Each test seeds its own consultation, so what
/// one test confirms or dissolves does not change what another sees.
/// </summary>
public sealed class CampaignAccessibilityTests(AccessibilityFixture site) : IClassFixture<AccessibilityFixture>
{
    // The same letter sent by five residents: three word for word, two with a greeting or sign-off of their own.
    private const string Letter = "Keep the minor injuries unit at the cottage hospital open. Closing it would force elderly patients to travel to Margate for a dressing.";
    private static readonly string[] LetterVariants =
        [Letter, Letter, Letter, "Dear council, " + Letter, Letter + " I live in Deal and I do not drive."];
    // The same comment from two respondents: a duplicate, not a campaign. Its pasted address is one long word, which must wrap at 320 px.
    private const string Repeated = "The car park at the QEQM hospital costs far too much for visitors who come every day, see https://www.kentandmedway.icb.nhs.uk/get-involved?utm_source=facebook_group_qeqm_car_parking_charges_petition_2026";

    private static string ListUrl(string slug) => $"/staff/consultations/{slug}/campaigns";

    /// <summary>A consultation of its own: the letter five times, the repeated comment twice and one unrelated comment.</summary>
    private async Task<string> SeedAsync(string slug, bool withGroups = true)
    {
        var consultation = await new ConsultationStore(site.Factory.Services.GetRequiredService<Database>()).EnsureAsync(new Consultation
        {
            Slug = slug, Title = "Community hospitals (" + slug + ")", Summary = "Tell us what you think.", Status = ConsultationStatuses.Open,
            OpensOn = new DateTime(2026, 10, 1, 0, 0, 0, DateTimeKind.Utc), ClosesOn = new DateTime(2027, 1, 31, 0, 0, 0, DateTimeKind.Utc),
        });
        var texts = withGroups ? [.. LetterVariants, Repeated, Repeated, "Buses to the hospital stop too early in the evening for shift workers."]
            : new[] { "Buses to the hospital stop too early in the evening for shift workers." };
        var districts = new[] { "T", "SW", "D", "T", "D", "Med", "G", "T" };
        var submissions = site.Factory.Services.GetRequiredService<SubmissionStore>();
        for (var i = 0; i < texts.Length; i++)
            await submissions.CreateAsync(new NewSubmission
            {
                ConsultationId = consultation.Id, RespondentType = RespondentTypes.Resident, District = districts[i % districts.Length],
                Comments = [new NewComment(texts[i], null)],
            });
        return slug;
    }

    private static ILocator Banner(IPage page) => page.Locator(".govuk-notification-banner");
    private static ILocator ErrorSummary(IPage page) => page.Locator(".govuk-error-summary");
    private static ILocator Button(IPage page, string name) => page.GetByRole(AriaRole.Button, new() { Name = name, Exact = true });

    private static async Task DetectAsync(IPage page)
    {
        await Button(page, "Look for campaigns and duplicates").Or(Button(page, "Look for campaigns and duplicates again")).ClickAsync();
        await PageWaits.ForTextAsync(Banner(page), "Checked ");
    }

    private static async Task OpenGroupAsync(IPage page, string caption)
    {
        await page.Locator($"table:has(caption:text-is('{caption}')) a").First.ClickAsync();
        await PageWaits.ForPageAsync(page, new Regex(@"/campaigns/\d+$"));
    }

    [Fact]
    public async Task Every_campaign_page_state_has_no_wcag_violations()
    {
        var empty = await SeedAsync("a11y-campaigns-none", withGroups: false);
        var slug = await SeedAsync("a11y-campaigns-flow");
        var page = await site.SignedInPageAsync();
        var report = new StringBuilder();

        // Nothing looked for yet, then looked for and nothing found.
        await page.GotoAsync(site.Root + ListUrl(empty));
        await PageWaits.ForTextAsync(page.Locator("main"), "No campaigns or duplicates to show");
        await AccessibilityTests.ScanAsync(page, "Campaigns: never looked for", report);
        await DetectAsync(page);
        await PageWaits.ForTextAsync(page.Locator("main"), "No campaigns found.");
        await PageWaits.ForTextAsync(page.Locator("main"), "No duplicates found.");
        await AccessibilityTests.ScanAsync(page, "Campaigns: none found, with the success banner", report);

        // Found: a campaign and a duplicate pair.
        await page.GotoAsync(site.Root + ListUrl(slug));
        await DetectAsync(page);
        await PageWaits.ForTextAsync(page.Locator("main"), "Campaigns (1)");
        await PageWaits.ForTextAsync(page.Locator("main"), "Duplicates (1)");
        await AccessibilityTests.ScanAsync(page, "Campaigns: groups listed, with the success banner", report);
        await page.ReloadAsync();
        await AccessibilityTests.ScanAsync(page, "Campaigns: groups listed", report);

        await OpenGroupAsync(page, "Duplicate comments");
        await PageWaits.ForTextAsync(page.Locator(".govuk-caption-l"), "Duplicate comments");
        await AccessibilityTests.ScanAsync(page, "Duplicate group", report);

        await page.GotoAsync(site.Root + ListUrl(slug));
        await OpenGroupAsync(page, "Campaigns: the same or template text from 3 or more respondents");
        await PageWaits.ForTextAsync(page.Locator(".govuk-caption-l"), "Campaign");
        Assert.Equal(5, await page.Locator(".govuk-checkboxes__input").CountAsync());
        var groupUrl = page.Url;
        await AccessibilityTests.ScanAsync(page, "Campaign group, suggested", report);

        // Errors: nothing selected to take out, then one comment where a new group needs two.
        await Button(page, "Take selected out of the group").ClickAsync();
        await PageWaits.ForTextAsync(ErrorSummary(page), "Select the comments to take out of the group");
        Assert.StartsWith("Error:", await page.TitleAsync());
        await AccessibilityTests.ScanAsync(page, "Campaign group after an error", report);
        await page.Locator(".govuk-checkboxes__input").Nth(4).CheckAsync();
        await Button(page, "Move selected into a new group").ClickAsync();
        await PageWaits.ForTextAsync(ErrorSummary(page), "Select at least 2 comments to move into a new group");
        Assert.True(await page.Locator(".govuk-checkboxes__input").Nth(4).IsCheckedAsync(), "The error page lost the selection.");
        await AccessibilityTests.ScanAsync(page, "Campaign group after an error, with a selection kept", report);

        // Take one comment out (the one with its own sign-off), confirm with a name, then split two off into a group of their own.
        await Button(page, "Take selected out of the group").ClickAsync();
        await PageWaits.ForTextAsync(Banner(page), "1 comment taken out of the group");
        await PageWaits.ForTextAsync(page.Locator("main"), "Taken out of the group");
        await AccessibilityTests.ScanAsync(page, "Campaign group after taking a comment out", report);

        await page.GetByLabel("Name shown in the report (optional)").FillAsync("Save the minor injuries unit");
        await Button(page, "Confirm group").ClickAsync();
        await PageWaits.ForTextAsync(Banner(page), "Group confirmed");
        await PageWaits.ForTextAsync(page.Locator("h1"), "Save the minor injuries unit");
        await AccessibilityTests.ScanAsync(page, "Campaign group confirmed", report);

        await page.Locator(".govuk-checkboxes__input").Nth(0).CheckAsync();
        await page.Locator(".govuk-checkboxes__input").Nth(1).CheckAsync();
        await Button(page, "Move selected into a new group").ClickAsync();
        await PageWaits.ForTextAsync(Banner(page), "2 comments moved into a new group");
        Assert.NotEqual(groupUrl, page.Url);
        await AccessibilityTests.ScanAsync(page, "New group split off", report);

        // Dissolve the new group: back on the list with a message, and the group's own page says what happened.
        var splitUrl = page.Url;
        await Button(page, "Dissolve the group").ClickAsync();
        await PageWaits.ForPageAsync(page, new Regex(Regex.Escape(ListUrl(slug)) + "$"));
        await PageWaits.ForTextAsync(Banner(page), "Group dissolved");
        await AccessibilityTests.ScanAsync(page, "Campaigns after dissolving a group", report);
        await page.GotoAsync(splitUrl);
        await PageWaits.ForTextAsync(page.Locator("main"), "This group was dissolved");
        await AccessibilityTests.ScanAsync(page, "Dissolved group", report);

        Assert.True(report.Length == 0, "axe-core found WCAG violations:\n" + report);
    }

    [Fact]
    public async Task After_a_group_error_focus_is_on_the_summary_and_its_link_reaches_the_first_comment()
    {
        var slug = await SeedAsync("a11y-campaigns-errors");
        var page = await site.SignedInPageAsync();
        await page.GotoAsync(site.Root + ListUrl(slug));
        await DetectAsync(page);
        await OpenGroupAsync(page, "Campaigns: the same or template text from 3 or more respondents");

        await Button(page, "Take selected out of the group").ClickAsync();
        await PageWaits.ForTextAsync(ErrorSummary(page), "Select the comments to take out of the group");
        await page.WaitForFunctionAsync("() => document.activeElement && document.activeElement.classList.contains('govuk-error-summary')",
            null, new() { Timeout = 5000 });
        await ErrorSummary(page).GetByRole(AriaRole.Link).First.ClickAsync();
        var firstId = await page.Locator(".govuk-checkboxes__input").First.GetAttributeAsync("id");
        Assert.Equal(firstId, await page.EvaluateAsync<string>("document.activeElement.id"));
    }

    [Fact]
    public async Task The_main_action_of_each_campaign_page_is_reached_and_used_with_the_keyboard()
    {
        var slug = await SeedAsync("a11y-campaigns-keyboard");
        var page = await site.SignedInPageAsync();
        await page.GotoAsync(site.Root + ListUrl(slug));
        await PageWaits.LoadedAsync(page);

        await AccessibilityTests.TabToAsync(page, "button.govuk-button--secondary");
        Assert.Equal("Look for campaigns and duplicates", (await page.EvaluateAsync<string>("document.activeElement.textContent")).Trim());
        await page.Keyboard.PressAsync("Enter");
        await PageWaits.ForTextAsync(Banner(page), "Checked ");

        // The group is reached from the list by keyboard too, and confirmed with Enter.
        await PageWaits.LoadedAsync(page);
        await AccessibilityTests.TabToAsync(page, "table a[href*='/campaigns/']");
        await page.Keyboard.PressAsync("Enter");
        await PageWaits.ForPageAsync(page, new Regex(@"/campaigns/\d+$"));
        await AccessibilityTests.TabToAsync(page, "#name");
        await page.Keyboard.TypeAsync("Keyboard campaign");
        await AccessibilityTests.TabToAsync(page, "button.govuk-button:not(.govuk-button--secondary):not(.govuk-button--warning)");
        Assert.Equal("Confirm group", (await page.EvaluateAsync<string>("document.activeElement.textContent")).Trim());
        await page.Keyboard.PressAsync("Enter");
        await PageWaits.ForTextAsync(Banner(page), "Group confirmed");
        await PageWaits.ForTextAsync(page.Locator("h1"), "Keyboard campaign");
    }

    [Fact]
    public async Task At_320_pixels_wide_the_campaign_pages_do_not_scroll_sideways()
    {
        var slug = await SeedAsync("a11y-campaigns-reflow");
        var page = await site.SignedInPageAsync(new() { ViewportSize = new ViewportSize { Width = 320, Height = 640 } });
        var widths = new List<string>();

        await page.GotoAsync(site.Root + ListUrl(slug));
        await AccessibilityTests.MeasureReflowAsync(page, "Campaigns: never looked for", widths);
        await DetectAsync(page);
        await AccessibilityTests.MeasureReflowAsync(page, "Campaigns: groups listed", widths);
        await OpenGroupAsync(page, "Campaigns: the same or template text from 3 or more respondents");
        await AccessibilityTests.MeasureReflowAsync(page, "Campaign group", widths);
        await Button(page, "Take selected out of the group").ClickAsync();
        await PageWaits.ForTextAsync(ErrorSummary(page), "Select the comments");
        await AccessibilityTests.MeasureReflowAsync(page, "Campaign group after an error", widths);
        await page.GotoAsync(site.Root + ListUrl(slug));
        await OpenGroupAsync(page, "Duplicate comments");
        await AccessibilityTests.MeasureReflowAsync(page, "Duplicate group with a long web address", widths);

        Assert.True(widths.Count == 0, "Pages scroll sideways at 320 px: " + string.Join("; ", widths));
    }
}
