using System.Net;
using System.Text.RegularExpressions;
using Engagement.Core.Data;
using Engagement.Core.Domain;
using Engagement.Core.Staff;
using Engagement.Core.Triage;
using Microsoft.Extensions.DependencyInjection;

namespace Engagement.Web.Tests;

/// <summary>The emerging themes page over HTTP without JavaScript: clusters shown to the team, promoted by an Admin.</summary>
public sealed class EmergingThemePageTests : IClassFixture<EngagementWebFactory>
{
    private const string Password = "a long test password";
    private readonly EngagementWebFactory factory;

    public EmergingThemePageTests(EngagementWebFactory factory) => this.factory = factory;

    private static string Page => $"/staff/consultations/{EngagementWebFactory.Slug}/emerging-themes";

    private static readonly string[][] Topics =
    [
        ["hearing", "aids", "audiology", "batteries", "deaf", "ears"],
        ["parking", "car", "charges", "spaces", "badge", "ticket"],
    ];

    private Task<HttpClient> SignedInClientAsync(string email, string role) => StaffClient.ForUserAsync(factory, email, role);

    /// <summary>15 low-confidence comments per planted topic, once per test class.</summary>
    private async Task SeedOnceAsync()
    {
        var consultation = await factory.EnsureConsultationAsync();
        await factory.Services.GetRequiredService<ThemeStore>().SeedAsync([new ThemeSeed("test-gp-access", "GP access", 4, "", [], null)]);
        if ((await factory.Services.GetRequiredService<ConsultationStore>().ListWithCountsAsync()).Single(c => c.Slug == EngagementWebFactory.Slug).Comments > 0) return;
        var random = new Random(5);
        var submissions = factory.Services.GetRequiredService<SubmissionStore>();
        for (var n = 0; n < 30; n++)
        {
            var topic = Topics[n % 2];
            var text = "The " + string.Join(' ', Enumerable.Range(0, 6).Select(_ => topic[random.Next(topic.Length)])) + " problem in town.";
            await submissions.CreateAsync(new NewSubmission
            {
                ConsultationId = consultation.Id, RespondentType = RespondentTypes.Resident, District = n % 3 == 0 ? "T" : "SW",
                Comments = [new NewComment(text, null) { Suggestion = new CommentSuggestion(4, "test-gp-access", 0.1, true, "test") }],
            });
        }
    }

    private static FormUrlEncodedContent Form(string token, params (string Key, string Value)[] fields) =>
        new(fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value)).Append(new("__RequestVerificationToken", token)));

    [Fact]
    public async Task The_team_sees_named_clusters_with_typical_comments_and_districts_but_cannot_promote()
    {
        await SeedOnceAsync();
        var team = await SignedInClientAsync("team-emerging@example.org", StaffRoles.EngagementTeam);
        Assert.Contains($"href=\"{Page}\"", await team.GetStringAsync("/staff"));
        var html = await team.GetStringAsync(Page);
        Assert.Matches("comments in \\d+ groups \\(chosen as the number of groups with the best silhouette", html);
        Assert.Matches("<h2 class=\"govuk-heading-m\" id=\"cluster-1-title\">1\\. [a-z, ]*(hearing|aids|audiology|batteries|deaf|ears|parking|car|charges|spaces|badge|ticket)", html);
        Assert.Contains("Where these comments came from", html);
        Assert.Contains("Swale", html);
        Assert.DoesNotContain("Make this a new theme", html);

        var token = await EngagementWebFactory.TokenFromAsync(await team.GetAsync("/staff"));
        var post = await team.PostAsync(Page + "?handler=Promote", Form(token, ("Input.Cluster", "1"), ("Input.Name", "Sneaky"), ("Input.Outcome", "4")));
        Assert.Equal(HttpStatusCode.Forbidden, post.StatusCode);
    }

    [Fact]
    public async Task An_admin_promotes_a_cluster_to_a_theme_and_its_ticked_comments_are_confirmed_for_retraining()
    {
        await SeedOnceAsync();
        var admin = await SignedInClientAsync("admin-emerging@example.org", StaffRoles.Admin);
        var page = await admin.GetAsync(Page);
        var html = await page.Content.ReadAsStringAsync();
        var token = await EngagementWebFactory.TokenFromAsync(page);
        Assert.Contains("Make this a new theme", html);

        // The comments listed under cluster 1, in the form.
        var ids = Regex.Matches(html, "id=\"comment-1-(\\d+)\"").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(15, ids.Count);

        var missing = await admin.PostAsync(Page + "?handler=Promote", Form(token, ("Input.Cluster", "1"), ("Input.Outcome", "4")));
        var missingHtml = await missing.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, missing.StatusCode);
        Assert.Contains("Enter a name for the new theme", missingHtml);
        Assert.Contains("Select the comments that belong to the new theme", missingHtml);

        var name = "Emerging " + Guid.NewGuid().ToString("N")[..6];
        var fields = ids.Skip(1).Select(id => ("Input.CommentIds", id)).Append(("Input.Cluster", "1")).Append(("Input.Name", name)).Append(("Input.Outcome", "4")).ToArray();
        var post = await admin.PostAsync(Page + "?handler=Promote", Form(token, fields));
        Assert.Equal(HttpStatusCode.Redirect, post.StatusCode);
        var after = await admin.GetStringAsync(Page);
        Assert.Contains($"Theme &#x27;{name}&#x27; created under", after);
        Assert.Contains("14 comments confirmed with it", after);

        var themeId = ThemeAdminStore.IdFromName(name);
        Assert.NotNull(await factory.Services.GetRequiredService<ThemeAdminStore>().GetAsync(themeId));
        var training = await factory.Services.GetRequiredService<TriageStore>().ConfirmedForTrainingAsync();
        Assert.Equal(ids.Skip(1).Select(long.Parse).Order().ToList(), training.Where(t => t.Theme == themeId).Select(t => t.Id).Order().ToList());
        var audit = await factory.Services.GetRequiredService<AuditStore>().ForCommentAsync(long.Parse(ids[1]));
        Assert.Contains(audit, a => a.Field == "confirmed_theme" && a.NewValue == themeId && a.ChangedBy == "admin-emerging@example.org");
    }
}
