using System.Text;
using System.Text.RegularExpressions;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Engagement.Core.Data;
using Engagement.Core.Domain;
using Engagement.Core.Staff;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Engagement.Web.Tests;

/// <summary>
/// One Kestrel site and one Chromium for the whole accessibility suite (starting Chromium is the slow part), with a
/// response that has a suggested theme so the staff queue, detail and report pages have something to show.
/// </summary>
public sealed class AccessibilityFixture : IAsyncLifetime
{
    public const string StaffEmail = "a11y-admin@example.org";
    public EngagementWebFactory Factory { get; } = new();
    public string Root { get; private set; } = "";
    public long CommentId { get; private set; }
    public IBrowser Browser { get; private set; } = null!;
    private IPlaywright? playwright;

    public async Task InitializeAsync()
    {
        var port = BrowserTests.FreePort();
        Factory.UseKestrel(port);
        Factory.StartServer();
        Root = $"http://127.0.0.1:{port}";
        var consultation = await Factory.EnsureConsultationAsync();
        await Factory.Services.GetRequiredService<ThemeStore>().SeedAsync([new ThemeSeed("a11y-gp", "GP access (accessibility test)", 4, "", [], null)]);
        var submission = await Factory.Services.GetRequiredService<SubmissionStore>().CreateAsync(new NewSubmission
        {
            ConsultationId = consultation.Id, RespondentType = RespondentTypes.Resident, District = "T", ConsentToQuote = true,
            Comments = [new NewComment("The GP surgery in Margate never answers the phone before 10am.", 4) { Suggestion = new CommentSuggestion(4, "a11y-gp", 0.4, true, "test") }],
        });
        CommentId = (await Factory.Services.GetRequiredService<CommentStore>().ForSubmissionAsync(submission.SubmissionId))[0].Id;
        // The same letter four times, so the campaign finder has a group to show.
        const string letter = "Keep the minor injuries unit at the cottage hospital open. Closing it would force elderly patients to travel to Margate.";
        foreach (var district in new[] { "T", "SW", "D", "T" })
            await Factory.Services.GetRequiredService<SubmissionStore>().CreateAsync(new NewSubmission
            {
                ConsultationId = consultation.Id, RespondentType = RespondentTypes.Resident, District = district, Comments = [new NewComment(letter, null)],
            });
        await Factory.Services.GetRequiredService<StaffUserStore>().AddOrUpdateAsync(StaffEmail, StaffRoles.Admin, StaffClient.Password);
        playwright = await Playwright.CreateAsync();
        Browser = await BrowserTests.LaunchChromiumAsync(playwright);
    }

    /// <summary>A new page (its own browser context, so its own cookies) signed in as the fixture's admin.</summary>
    public async Task<IPage> SignedInPageAsync(BrowserNewPageOptions? options = null)
    {
        var page = await Browser.NewPageAsync(options);
        await page.GotoAsync(Root + "/staff/sign-in");
        await page.GetByLabel("Email address").FillAsync(StaffEmail);
        await page.GetByLabel("Password").FillAsync(StaffClient.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await PageWaits.ForPageAsync(page, new Regex("^(?!.*/sign-in)"));
        return page;
    }

    public async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        playwright?.Dispose();
        await Factory.DisposeAsync();
    }
}

/// <summary>
/// axe-core (WCAG 2.0, 2.1 and 2.2 A and AA rules) on every public and staff page in each state a person meets, plus the
/// checks axe cannot make: focus, keyboard-only use, reflow at 320 px and the form without JavaScript.
/// </summary>
public sealed class AccessibilityTests : IClassFixture<AccessibilityFixture>
{
    private static readonly AxeRunOptions WcagRules = new()
    {
        RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] },
        ResultTypes = [ResultType.Violations],
    };

    private readonly AccessibilityFixture site;
    public AccessibilityTests(AccessibilityFixture site) => this.site = site;

    private string Respond => $"{site.Root}/consultations/{EngagementWebFactory.Slug}/respond";

    /// <summary>Runs axe on the page once it has loaded (styles applied, scripts run) and adds one line per failing element to the report.</summary>
    internal static async Task ScanAsync(IPage page, string state, StringBuilder report)
    {
        await PageWaits.LoadedAsync(page);
        var result = await page.RunAxe(WcagRules);
        foreach (var violation in result.Violations)
            foreach (var node in violation.Nodes)
                report.AppendLine($"{state} ({page.Url}): {violation.Id} at {node.Target}: {violation.Help} [{node.Html}]");
    }

    internal static async Task FillValidAnswersAsync(IPage page)
    {
        await page.GetByLabel("A resident or member of the public").CheckAsync();
        await page.GetByLabel("Where do you live?").SelectOptionAsync(new SelectOptionValue { Label = "Thanet" });
        await page.Locator("#comments-0-outcome").CheckAsync();
        await page.GetByLabel("Your comment", new() { Exact = true }).FillAsync("Buses to the QEQM hospital stop too early in the evening.");
        await page.Locator("#consent").CheckAsync();
    }

    [Fact]
    public async Task Every_public_page_and_form_state_has_no_wcag_violations()
    {
        var page = await site.Browser.NewPageAsync();
        var report = new StringBuilder();

        await page.GotoAsync(site.Root + "/");
        await ScanAsync(page, "Consultation list", report);
        await page.GotoAsync($"{site.Root}/consultations/{EngagementWebFactory.Slug}");
        await ScanAsync(page, "Start page", report);
        await page.GotoAsync(Respond);
        await ScanAsync(page, "Empty form", report);
        await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
        await Expect(page.Locator(".govuk-error-summary")).ToBeVisibleAsync();
        await ScanAsync(page, "Form after errors", report);
        await page.GetByLabel("On behalf of an organisation").CheckAsync();
        Assert.True(await page.GetByLabel("Name of your organisation").IsVisibleAsync(), "Choosing a partner organisation should reveal its questions.");
        await ScanAsync(page, "Form with the organisation questions shown", report);
        await FillValidAnswersAsync(page);
        Assert.False(await page.GetByLabel("Name of your organisation").IsVisibleAsync(), "Choosing a resident should hide the organisation questions.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
        await Expect(page.Locator("h1")).ToContainTextAsync("Check your answers");
        await ScanAsync(page, "Check answers", report);
        await page.GetByRole(AriaRole.Button, new() { Name = "Send response" }).ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("Response sent");
        await ScanAsync(page, "Confirmation", report);
        await page.GotoAsync(site.Root + "/accessibility");
        await ScanAsync(page, "Accessibility statement", report);
        await page.GotoAsync(site.Root + "/privacy");
        await ScanAsync(page, "Privacy notice", report);
        await page.GotoAsync(site.Root + "/staff/sign-in");
        await ScanAsync(page, "Staff sign-in", report);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page).ToHaveTitleAsync(new Regex("^Error:"));
        await ScanAsync(page, "Staff sign-in after errors", report);

        Assert.True(report.Length == 0, "axe-core found WCAG violations:\n" + report);
    }

    [Fact]
    public async Task Every_step_of_a_file_import_has_no_wcag_violations()
    {
        var page = await site.SignedInPageAsync();
        var report = new StringBuilder();
        await page.GotoAsync(site.Root + "/staff/imports");
        await page.GetByRole(AriaRole.Button, new() { Name = "Upload and preview" }).ClickAsync();
        await Expect(page).ToHaveTitleAsync(new Regex("^Error:"));
        await ScanAsync(page, "Import upload after errors", report);

        var csv = "Ref,Your comments,Where\n1,The bus to the hospital stops at 6pm,Margate\n2,,Narnia\n";
        await page.Locator("#consultation").SelectOptionAsync(EngagementWebFactory.Slug);
        await page.Locator("#upload").SetInputFilesAsync(new FilePayload { Name = "roadshow.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(csv) });
        await page.GetByRole(AriaRole.Button, new() { Name = "Upload and preview" }).ClickAsync();
        await PageWaits.ForPageAsync(page, new Regex(@"/staff/imports/\d+/map$"));
        await ScanAsync(page, "Import column mapping", report);
        await page.GetByRole(AriaRole.Button, new() { Name = "Check the rows" }).ClickAsync();
        await PageWaits.ForPageAsync(page, new Regex(@"/staff/imports/\d+/validate$"));
        await ScanAsync(page, "Import validation", report);
        await page.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Import the") }).ClickAsync();
        await PageWaits.ForPageAsync(page, new Regex(@"/staff/imports/\d+$"));
        await ScanAsync(page, "Import progress", report);

        Assert.True(report.Length == 0, "axe-core found WCAG violations:\n" + report);
    }

    [Fact]
    public async Task Every_staff_page_has_no_wcag_violations()
    {
        var page = await site.SignedInPageAsync();
        var report = new StringBuilder();

        var consultation = $"/staff/consultations/{EngagementWebFactory.Slug}";
        foreach (var (name, path) in new[]
                 {
                     ("Staff index", "/staff"),
                     ("Responses list", consultation + "/responses"),
                     ("Response detail", $"/staff/comments/{site.CommentId}"),
                     ("Triage queue", consultation + "/triage"),
                     ("Triage comment", $"/staff/triage/comments/{site.CommentId}"),
                     ("Report", consultation + "/report"),
                     ("Import upload", "/staff/imports"),
                     ("Campaigns and duplicates", consultation + "/campaigns"),
                     ("Emerging themes", consultation + "/emerging-themes"),
                     ("Safeguarding", consultation + "/safeguarding"),
                     ("Agreement", consultation + "/agreement"),
                     ("Double coding", consultation + "/double-coding"),
                     ("Themes", "/staff/themes"),
                     ("Models", "/staff/models"),
                     ("Security events", "/staff/security-events"),
                     ("Two-factor set-up", "/staff/sign-in/set-up-two-factor"),
                     ("Access denied", "/staff/access-denied"),
                 })
        {
            var response = await page.GotoAsync(site.Root + path);
            // The access-denied page is meant to answer 403.
            Assert.True(response is { Ok: true } || (path == "/staff/access-denied" && response?.Status == 403), $"{name} ({path}) answered {response?.Status}.");
            Assert.NotEqual("/staff/sign-in", new Uri(page.Url).AbsolutePath);
            await ScanAsync(page, name, report);
        }

        // A campaign group, found the way the team finds one.
        await page.GotoAsync(site.Root + consultation + "/campaigns");
        await page.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Look for campaigns") }).ClickAsync();
        var group = page.Locator("main a[href*='/campaigns/']").First;
        Assert.True(await group.CountAsync() > 0, "The campaign finder found no group.");
        await group.ClickAsync();
        await PageWaits.ForPageAsync(page, new Regex(@"/campaigns/\d+$"));
        await ScanAsync(page, "Campaign group", report);

        // A point in the report, reached the way an author does, by following it from the report.
        await page.GotoAsync(site.Root + consultation + "/report");
        var point = page.Locator("a[href*='/report/points/']").First;
        Assert.True(await point.CountAsync() > 0, "The report has no point to follow.");
        await point.ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("Report point");
        await ScanAsync(page, "Report point", report);

        Assert.True(report.Length == 0, "axe-core found WCAG violations:\n" + report);
    }

    [Fact]
    public async Task The_scan_does_report_a_violation_when_a_page_has_one()
    {
        var page = await site.Browser.NewPageAsync();
        await page.SetContentAsync("<!DOCTYPE html><html lang=\"en\"><head><title>Broken</title></head><body><main><h1>Broken</h1><img src=\"/favicon.svg\"><input type=\"text\"></main></body></html>");
        var report = new StringBuilder();
        await ScanAsync(page, "Deliberately broken page", report);
        Assert.Contains("image-alt", report.ToString());
        Assert.Contains("label", report.ToString());
    }

    [Fact]
    public async Task After_a_failed_submit_focus_is_on_the_error_summary_and_the_title_starts_with_Error()
    {
        var page = await site.Browser.NewPageAsync();
        await page.GotoAsync(Respond);
        Assert.DoesNotMatch("^Error:", await page.TitleAsync());
        await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();

        await Expect(page).ToHaveTitleAsync(new Regex("^Error:"));
        await page.WaitForFunctionAsync("() => document.activeElement && document.activeElement.classList.contains('govuk-error-summary')",
            null, new() { Timeout = 5000 });
        // Each error in the summary links to its field.
        await page.Locator(".govuk-error-summary__list a").First.ClickAsync();
        Assert.Equal("respondent-type", await page.EvaluateAsync<string>("document.activeElement.id"));
    }

    /// <summary>Presses Tab until the focused element matches, the way a keyboard user moves through the page.</summary>
    internal static async Task TabToAsync(IPage page, string selector, int maxPresses = 60)
    {
        for (var i = 0; i < maxPresses; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            if (await page.EvaluateAsync<bool>("s => document.activeElement !== null && document.activeElement.matches(s)", selector)) return;
        }
        Assert.Fail($"Tab never reached {selector} within {maxPresses} presses.");
    }

    [Fact]
    public async Task The_form_can_be_filled_in_and_sent_with_the_keyboard_alone()
    {
        var page = await site.Browser.NewPageAsync();
        await page.GotoAsync(Respond);

        await TabToAsync(page, "#respondent-type");
        await page.Keyboard.PressAsync("Space");
        await TabToAsync(page, "#district");
        await page.Keyboard.TypeAsync("Thanet");
        Assert.Equal("T", await page.Locator("#district").InputValueAsync());
        await TabToAsync(page, "#comments-0-outcome");
        await page.Keyboard.PressAsync("Space");
        await TabToAsync(page, "#comments-0-text");
        await page.Keyboard.TypeAsync("Keyboard only: the pharmacy in Ramsgate closes too early.");
        await TabToAsync(page, "#consent");
        await page.Keyboard.PressAsync("Space");
        await TabToAsync(page, "button.govuk-button:not(.govuk-button--secondary)");
        Assert.Equal("Continue", (await page.EvaluateAsync<string>("document.activeElement.textContent")).Trim());
        await page.Keyboard.PressAsync("Enter");

        await page.WaitForSelectorAsync("h1:has-text('Check your answers')");
        await TabToAsync(page, "button[formaction*='handler=Submit'], button.govuk-button");
        Assert.Equal("Send response", (await page.EvaluateAsync<string>("document.activeElement.textContent")).Trim());
        await page.Keyboard.PressAsync("Enter");

        await page.WaitForSelectorAsync("#reference");
        Assert.Equal("Response sent", (await page.Locator("h1").InnerTextAsync()).Trim());
    }

    /// <summary>Adds a line to <paramref name="widths"/> if the page, once loaded, is wider than its 320 px viewport.</summary>
    internal static async Task MeasureReflowAsync(IPage page, string state, List<string> widths)
    {
        await PageWaits.LoadedAsync(page);
        var scrollWidth = await page.EvaluateAsync<int>("document.documentElement.scrollWidth");
        if (scrollWidth > 320) widths.Add($"{state} ({page.Url}): scrollWidth {scrollWidth}");
    }

    [Fact]
    public async Task At_320_pixels_wide_the_start_page_and_form_do_not_scroll_sideways()
    {
        await using var context = await site.Browser.NewContextAsync(new() { ViewportSize = new ViewportSize { Width = 320, Height = 640 } });
        var page = await context.NewPageAsync();
        var widths = new List<string>();

        await page.GotoAsync($"{site.Root}/consultations/{EngagementWebFactory.Slug}");
        await MeasureReflowAsync(page, "Start page", widths);
        await page.GotoAsync(Respond);
        await MeasureReflowAsync(page, "Empty form", widths);
        // The empty form is complete already: measure the page the server sent back, not the one just measured.
        await PageWaits.ForNewDocumentAsync(page, () => page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync());
        await MeasureReflowAsync(page, "Form after errors", widths);

        Assert.True(widths.Count == 0, "Pages scroll sideways at 320 px: " + string.Join("; ", widths));
    }

    [Fact]
    public async Task With_JavaScript_off_the_form_goes_through_to_the_confirmation()
    {
        await using var context = await site.Browser.NewContextAsync(new() { JavaScriptEnabled = false });
        var page = await context.NewPageAsync();
        await page.GotoAsync(Respond);
        // Proof JavaScript really is off: GOV.UK Frontend's body class is set by an inline script.
        Assert.DoesNotContain("govuk-frontend-supported", await page.Locator("body").GetAttributeAsync("class") ?? "");

        await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
        await Expect(page).ToHaveTitleAsync(new Regex("^Error:"));
        await FillValidAnswersAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
        await Expect(page.Locator("h1")).ToContainTextAsync("Check your answers");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send response" }).ClickAsync();

        await Expect(page.Locator("h1")).ToHaveTextAsync("Response sent");
        await Expect(page.Locator("#reference")).ToHaveTextAsync(new Regex(@"^\s*KM-[0-9A-Z]{4}-[0-9A-Z]{4}\s*$"));
    }

    [Fact]
    public async Task The_accessibility_statement_is_linked_from_every_page_footer_and_is_a_full_statement()
    {
        var page = await site.Browser.NewPageAsync();
        await page.GotoAsync($"{site.Root}/consultations/{EngagementWebFactory.Slug}");
        await page.Locator("footer").GetByRole(AriaRole.Link, new() { Name = "Accessibility statement" }).ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("Accessibility statement");

        var headings = await page.Locator("main h2, main h3").AllInnerTextsAsync();
        foreach (var required in new[] { "Compliance status", "Non-accessible content", "Reporting accessibility problems", "Enforcement procedure", "How we tested this service" })
            Assert.Contains(headings, h => h.Contains(required, StringComparison.OrdinalIgnoreCase));
        var text = await page.Locator("main").InnerTextAsync();
        Assert.Contains("1 December 2026", text);
        Assert.Contains("Equality Advisory and Support Service", text);
    }
}
