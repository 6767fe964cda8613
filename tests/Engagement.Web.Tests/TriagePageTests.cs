using System.Net;
using System.Text.RegularExpressions;
using Engagement.Core.Data;
using Engagement.Core.Domain;
using Engagement.Core.Staff;
using Engagement.Core.Triage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Engagement.Web.Tests;

/// <summary>The triage workspace over HTTP, without JavaScript: real antiforgery tokens, real sign-in, form posts.</summary>
public sealed class TriagePageTests : IClassFixture<EngagementWebFactory>
{
    private const string Password = "a long test password";
    private readonly EngagementWebFactory factory;

    public TriagePageTests(EngagementWebFactory factory) => this.factory = factory;

    private Task<HttpClient> SignedInClientAsync(string email, string role) => StaffClient.ForUserAsync(factory, email, role);

    /// <summary>A new response with one comment per text, each with a suggestion (gp-access, outcome 4). Returns the comment ids.</summary>
    private async Task<IReadOnlyList<long>> AddCommentsAsync(params string[] texts)
    {
        var consultation = await factory.EnsureConsultationAsync();
        await factory.Services.GetRequiredService<ThemeStore>().SeedAsync(
        [
            new ThemeSeed("test-gp-access", "GP access", 4, "", [], null),
            new ThemeSeed("test-housing", "Housing (test)", 2, "", [], null),
        ]);
        var result = await factory.Services.GetRequiredService<SubmissionStore>().CreateAsync(new NewSubmission
        {
            ConsultationId = consultation.Id, RespondentType = RespondentTypes.Resident, District = "T",
            Comments = texts.Select(t => new NewComment(t, 4) { Suggestion = new CommentSuggestion(4, "test-gp-access", 0.01, true, "test") }).ToList(),
        });
        return (await factory.Services.GetRequiredService<CommentStore>().ForSubmissionAsync(result.SubmissionId)).Select(c => c.Id).ToList();
    }

    private static FormUrlEncodedContent Form(string token, params (string Key, string Value)[] fields) =>
        new(fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value)).Append(new("__RequestVerificationToken", token)));

    private static string Queue => $"/staff/consultations/{EngagementWebFactory.Slug}/triage";

    [Fact]
    public async Task A_triager_accepts_a_suggestion_and_the_change_is_audited_on_the_comment()
    {
        var marker = Guid.NewGuid().ToString("N");
        var id = (await AddCommentsAsync("The GP surgery never answers the phone " + marker))[0];
        var client = await SignedInClientAsync("team@example.org", StaffRoles.EngagementTeam);

        var queue = await client.GetAsync(Queue);
        var html = await queue.Content.ReadAsStringAsync();
        Assert.Contains(marker, html);
        Assert.Contains($"id=\"item-{id}\"", html);
        Assert.Contains("Accept suggestion", html);
        Assert.Contains("Keyboard shortcuts", html);
        Assert.Contains("<script type=\"module\" src=\"/js/triage.js", html);
        // The stored suggestion (test-gp-access) is not a theme of the served model, so when a model is served the item
        // says what it suggests now. Without a model file there is nothing to say.
        if (factory.Services.GetRequiredService<Engagement.Classifier.ICommentClassifier>().IsAvailable)
            Assert.Contains("data-live-suggestion>The model in use now suggests", html);
        else
            Assert.DoesNotContain("data-live-suggestion", html);
        var token = await EngagementWebFactory.TokenFromAsync(queue);

        var post = await client.PostAsync($"/staff/triage/comments/{id}", Form(token,
            ("Input.Act", "accept"), ("Input.RowVersion", "1"), ("Input.ReturnUrl", Queue)));
        Assert.Equal(HttpStatusCode.Redirect, post.StatusCode);
        Assert.Equal(Queue, post.Headers.Location!.ToString());

        var after = await client.GetStringAsync(Queue);
        Assert.Contains($"Comment {id} confirmed as GP access", after);
        Assert.DoesNotContain(marker, after);

        var stored = await factory.Services.GetRequiredService<TriageStore>().GetAsync(id);
        Assert.Equal((CommentStatuses.Triaged, "test-gp-access", 2), (stored!.Status, stored.ConfirmedTheme, stored.RowVersion));

        var detail = await client.GetStringAsync($"/staff/comments/{id}");
        Assert.Contains($"href=\"/staff/triage/comments/{id}\"", detail);
        Assert.Contains("team@example.org", detail);
        Assert.Contains("triaged", detail);
        // The history names the theme and outcome rather than showing their ids.
        Assert.Contains("<td class=\"govuk-table__cell app-comment-text\">GP access</td>", detail);
        Assert.Contains("<td class=\"govuk-table__cell app-comment-text\">4. ", detail);
    }

    [Fact]
    public async Task A_stale_row_version_shows_the_conflict_message_with_the_current_values()
    {
        var id = (await AddCommentsAsync("Waiting lists for hip operations are too long"))[0];
        var client = await SignedInClientAsync("team2@example.org", StaffRoles.EngagementTeam);
        // Someone else gets there first.
        var first = await factory.Services.GetRequiredService<TriageStore>().ApplyAsync(new TriageCommand
        {
            CommentId = id, ExpectedRowVersion = 1, Kind = TriageActionKind.SetTheme, ThemeId = "test-housing",
        }, "someone.else@example.org");
        Assert.True(first.Saved);

        var token = await EngagementWebFactory.TokenFromAsync(await client.GetAsync($"/staff/triage/comments/{id}"));
        var post = await client.PostAsync($"/staff/triage/comments/{id}", Form(token,
            ("Input.Act", "spam"), ("Input.RowVersion", "1"), ("Input.ReturnUrl", Queue)));
        var html = await post.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Conflict, post.StatusCode);
        Assert.Contains("<title>Error:", html);
        Assert.Contains("Someone else changed this comment while you were looking at it", html);
        Assert.Contains("someone.else@example.org", html);
        Assert.Contains("Housing (test)", html);
        Assert.Contains("name=\"Input.RowVersion\" value=\"2\"", html);
        Assert.Contains("<option value=\"test-housing\" selected=\"selected\">", html); // the theme list starts at the current theme
        var stored = await factory.Services.GetRequiredService<TriageStore>().GetAsync(id);
        Assert.Equal((CommentStatuses.Triaged, "test-housing"), (stored!.Status, stored.ConfirmedTheme));
    }

    [Fact]
    public async Task A_strategy_author_cannot_triage_or_see_the_original_text()
    {
        var marker = Guid.NewGuid().ToString("N");
        var ids = await AddCommentsAsync("Call me on 07700 900123 about the GP " + marker, "My husband hits me and I am scared to go home " + marker);
        var id = ids[0];
        await factory.Services.GetRequiredService<TriageStore>().ScanSafeguardingAsync(SafeguardingDetector.Instance);
        var author = await SignedInClientAsync("author@example.org", StaffRoles.StrategyAuthor);
        var token = await EngagementWebFactory.TokenFromAsync(await author.GetAsync("/staff/comments/" + id));

        var post = await author.PostAsync($"/staff/triage/comments/{id}", Form(token, ("Input.Act", "accept"), ("Input.RowVersion", "1")));
        Assert.Equal(HttpStatusCode.Forbidden, post.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await author.GetAsync(Queue)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await author.PostAsync($"{Queue}?handler=Bulk", Form(token, ("Selected", $"{id}:1"), ("BulkAct", "accept")))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await author.GetAsync("/staff/models")).StatusCode);
        Assert.Equal(1, (await factory.Services.GetRequiredService<TriageStore>().GetAsync(id))!.RowVersion);

        var detail = await author.GetStringAsync("/staff/comments/" + id);
        Assert.DoesNotContain("07700 900123", detail);
        Assert.Contains("[phone removed]", detail);
        Assert.DoesNotContain("scared to go home", detail); // the other comment of the response, listed below

        // The responses list shows authors the redacted text, and withholds the safeguarding disclosure.
        var list = await author.GetStringAsync($"/staff/consultations/{EngagementWebFactory.Slug}/responses?Filter.Q={marker}");
        Assert.Contains("Call me on [phone removed] about the GP", list);
        Assert.DoesNotContain("07700 900123", list);
        Assert.DoesNotContain("scared to go home", list);
        Assert.Contains("withheld", await author.GetStringAsync("/staff/comments/" + ids[1]));

        // Search matches only what the author can read: not the removed phone number, not the withheld disclosure.
        Assert.Contains("<strong>1</strong> comments match", list);
        var byPhone = await author.GetStringAsync($"/staff/consultations/{EngagementWebFactory.Slug}/responses?Filter.Q=07700+900123");
        Assert.DoesNotContain("Call me on", byPhone);
        var byDisclosure = await author.GetStringAsync($"/staff/consultations/{EngagementWebFactory.Slug}/responses?Filter.Q=scared+to+go+home");
        Assert.DoesNotContain("withheld", byDisclosure);
        Assert.Contains("withheld", await author.GetStringAsync($"/staff/consultations/{EngagementWebFactory.Slug}/responses"));

        var team = await SignedInClientAsync("team3@example.org", StaffRoles.EngagementTeam);
        Assert.Contains("07700 900123", await team.GetStringAsync("/staff/comments/" + id));
        var teamList = await team.GetStringAsync($"/staff/consultations/{EngagementWebFactory.Slug}/responses?Filter.Q={marker}");
        Assert.Contains("07700 900123", teamList);
        Assert.Contains("scared to go home", teamList);
        Assert.Equal(HttpStatusCode.Forbidden, (await team.GetAsync("/staff/themes")).StatusCode);
    }

    [Fact]
    public async Task Bulk_accept_works_without_javascript()
    {
        var ids = await AddCommentsAsync("Bulk one about GPs", "Bulk two about GPs", "Bulk three about GPs");
        var client = await SignedInClientAsync("team4@example.org", StaffRoles.EngagementTeam);
        var queue = await client.GetAsync(Queue + "?Q.Order=newest");
        var html = await queue.Content.ReadAsStringAsync();
        Assert.Contains($"value=\"{ids[0]}:1\" form=\"bulk-form\"", html);
        var token = await EngagementWebFactory.TokenFromAsync(queue);

        var post = await client.PostAsync(Queue + "?handler=Bulk", Form(token,
            ("Selected", $"{ids[0]}:1"), ("Selected", $"{ids[1]}:1"), ("BulkAct", "accept"), ("Q.Order", "newest")));
        Assert.Equal(HttpStatusCode.Redirect, post.StatusCode);
        Assert.Contains("Q.Order=newest", post.Headers.Location!.ToString());
        var after = await client.GetStringAsync(post.Headers.Location!.ToString());
        Assert.Contains("2 comments accepted.", after);

        var store = factory.Services.GetRequiredService<TriageStore>();
        Assert.Equal(CommentStatuses.Triaged, (await store.GetAsync(ids[0]))!.Status);
        Assert.Equal(CommentStatuses.Triaged, (await store.GetAsync(ids[1]))!.Status);
        Assert.Equal(CommentStatuses.New, (await store.GetAsync(ids[2]))!.Status);

        var none = await client.PostAsync(Queue + "?handler=Bulk", Form(token, ("BulkAct", "accept")));
        Assert.Contains("Select at least one comment", await none.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Bulk_flags_and_bulk_theme_are_audited_and_a_missing_theme_is_an_error()
    {
        var ids = await AddCommentsAsync("Bulk flag one", "Bulk flag two", "Bulk theme one", "Bulk theme two");
        var client = await SignedInClientAsync("team6@example.org", StaffRoles.EngagementTeam);
        var token = await EngagementWebFactory.TokenFromAsync(await client.GetAsync(Queue));

        var flag = await client.PostAsync(Queue + "?handler=Bulk", Form(token, ("Selected", $"{ids[0]}:1"), ("Selected", $"{ids[1]}:1"), ("BulkAct", "off-topic")));
        Assert.Equal(HttpStatusCode.Redirect, flag.StatusCode);
        Assert.Contains("2 comments marked as off-topic.", await client.GetStringAsync(flag.Headers.Location!.ToString()));

        var missing = await client.PostAsync(Queue + "?handler=Bulk", Form(token, ("Selected", $"{ids[2]}:1"), ("BulkAct", "theme"), ("BulkThemeId", "")));
        var html = await missing.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, missing.StatusCode);
        Assert.Contains("Choose a theme for the selected comments", html);
        Assert.Contains("href=\"#bulk-theme\"", html);

        var theme = await client.PostAsync(Queue + "?handler=Bulk", Form(token,
            ("Selected", $"{ids[2]}:1"), ("Selected", $"{ids[3]}:1"), ("Selected", $"{ids[0]}:1"), ("BulkAct", "theme"), ("BulkThemeId", "test-housing")));
        var after = await client.GetStringAsync(theme.Headers.Location!.ToString());
        Assert.Contains("2 comments given the theme Housing (test).", after);
        Assert.Contains($"someone else changed them while you were looking: comment {ids[0]}", after);

        var store = factory.Services.GetRequiredService<TriageStore>();
        Assert.Equal((CommentStatuses.Hidden, "off-topic"), ((await store.GetAsync(ids[0]))!.Status, (await store.GetAsync(ids[0]))!.FlagKind));
        Assert.Equal(("test-housing", 2), ((await store.GetAsync(ids[3]))!.ConfirmedTheme, (await store.GetAsync(ids[3]))!.ConfirmedOutcome));
        var audit = await factory.Services.GetRequiredService<AuditStore>().ForCommentAsync(ids[3]);
        Assert.Contains(audit, a => a.Field == "confirmed_theme" && a.OldValue is null && a.NewValue == "test-housing" && a.ChangedBy == "team6@example.org");
    }

    [Fact]
    public async Task Personal_data_is_highlighted_and_redaction_confirmed_and_safeguarding_listed()
    {
        var ids = await AddCommentsAsync("Email me at jo.bloggs@example.com about my GP", "My husband hits me and I have nowhere to go");
        var client = await SignedInClientAsync("team5@example.org", StaffRoles.EngagementTeam);

        var page = await client.GetAsync($"/staff/triage/comments/{ids[0]}");
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("<mark class=\"app-personal-data\" title=\"email address\">jo.bloggs@example.com", html);
        Assert.Contains("Email me at [email removed] about my GP</textarea>", html);
        var token = await EngagementWebFactory.TokenFromAsync(page);
        var post = await client.PostAsync($"/staff/triage/comments/{ids[0]}", Form(token,
            ("Input.Act", "redact"), ("Input.RowVersion", "1"), ("Input.Redacted", "Email me at [email removed] about my GP")));
        Assert.Equal(HttpStatusCode.Redirect, post.StatusCode);
        Assert.Equal("Email me at [email removed] about my GP", (await factory.Services.GetRequiredService<TriageStore>().GetAsync(ids[0]))!.RedactedText);

        var safeguarding = await client.GetStringAsync($"/staff/consultations/{EngagementWebFactory.Slug}/safeguarding");
        Assert.Contains("id=\"safeguarding-warning\"", await client.GetStringAsync(Queue)); // the queue points to them
        Assert.Contains("never quoted", safeguarding);
        Assert.Contains($"Comment {ids[1]}", safeguarding);
        Assert.DoesNotContain($"Comment {ids[0]}<", safeguarding);
        Assert.DoesNotContain("nowhere to go", safeguarding); // listed, not quoted
    }

    [Fact]
    public async Task Agreement_double_coding_and_models_pages_render()
    {
        await AddCommentsAsync("Agreement page comment");
        var client = await SignedInClientAsync("admin9@example.org", StaffRoles.Admin);
        Assert.Contains("Agreement between coders", await client.GetStringAsync($"/staff/consultations/{EngagementWebFactory.Slug}/agreement"));
        Assert.Contains("Double coding", await client.GetStringAsync($"/staff/consultations/{EngagementWebFactory.Slug}/double-coding"));
        Assert.Contains("Start retraining", await client.GetStringAsync("/staff/models"));
        Assert.Contains("Add a theme", await client.GetStringAsync("/staff/themes"));
    }

    [Fact]
    public async Task A_triager_accepts_a_suggestion_with_the_keyboard_in_a_real_browser()
    {
        var port = BrowserTests.FreePort();
        await using var site = new EngagementWebFactory();
        site.UseKestrel(port);
        site.StartServer();
        var consultation = await site.EnsureConsultationAsync();
        await site.Services.GetRequiredService<ThemeStore>().SeedAsync([new ThemeSeed("test-gp-access", "GP access", 4, "", [], null)]);
        var submission = await site.Services.GetRequiredService<SubmissionStore>().CreateAsync(new NewSubmission
        {
            ConsultationId = consultation.Id, RespondentType = RespondentTypes.Resident,
            Comments =
            [
                new NewComment("First comment: the GP phone line is always engaged", 4) { Suggestion = new CommentSuggestion(4, "test-gp-access", 0.2, true, "t") },
                new NewComment("Second comment: I waited three weeks for a GP appointment", 4) { Suggestion = new CommentSuggestion(4, "test-gp-access", 0.3, true, "t") },
            ],
        });
        var ids = (await site.Services.GetRequiredService<CommentStore>().ForSubmissionAsync(submission.SubmissionId)).Select(c => c.Id).ToList();
        await site.Services.GetRequiredService<StaffUserStore>().AddOrUpdateAsync("keys@example.org", StaffRoles.EngagementTeam, Password);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await BrowserTests.LaunchChromiumAsync(playwright);
        var page = await browser.NewPageAsync();
        await page.GotoAsync($"http://127.0.0.1:{port}/staff/sign-in");
        await page.GetByLabel("Email address").FillAsync("keys@example.org");
        await page.GetByLabel("Password").FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await PageWaits.ForPageAsync(page, new Regex("^(?!.*/sign-in)"));
        await page.GotoAsync($"http://127.0.0.1:{port}{Queue}");
        await page.WaitForFunctionAsync("document.documentElement.classList.contains('app-triage-js')");

        // j moves to the first comment, j again to the second; a accepts the suggestion for it.
        await page.Keyboard.PressAsync("j");
        await page.Keyboard.PressAsync("j");
        Assert.Equal($"item-{ids[1]}", await page.EvaluateAsync<string>("document.activeElement.id"));
        await page.Keyboard.PressAsync("a");
        await page.WaitForSelectorAsync("#triage-message");
        Assert.Contains($"Comment {ids[1]} confirmed as GP access", await page.Locator("#triage-message").InnerTextAsync());

        var store = site.Services.GetRequiredService<TriageStore>();
        Assert.Equal(CommentStatuses.Triaged, (await store.GetAsync(ids[1]))!.Status);
        Assert.Equal(CommentStatuses.New, (await store.GetAsync(ids[0]))!.Status);

        // Back on the queue the other comment is left: j selects it, b marks it as abusive.
        await page.WaitForFunctionAsync("document.documentElement.classList.contains('app-triage-js')");
        await page.Keyboard.PressAsync("j");
        Assert.Equal($"item-{ids[0]}", await page.EvaluateAsync<string>("document.activeElement.id"));
        await page.Keyboard.PressAsync("b");
        await page.WaitForSelectorAsync($"#triage-message:has-text('Comment {ids[0]} marked as abusive')");
        Assert.Equal((CommentStatuses.Hidden, FlagKinds.Abusive), ((await store.GetAsync(ids[0]))!.Status, (await store.GetAsync(ids[0]))!.FlagKind));
    }
}
