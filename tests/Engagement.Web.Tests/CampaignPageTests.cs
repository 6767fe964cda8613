using System.Net;
using System.Text.RegularExpressions;
using Dapper;
using Engagement.Core.Campaigns;
using Engagement.Core.Data;
using Engagement.Core.Domain;
using Engagement.Core.Staff;
using Microsoft.Extensions.DependencyInjection;

namespace Engagement.Web.Tests;

/// <summary>The campaigns pages over HTTP without JavaScript: real sign-in, real antiforgery tokens, form posts.</summary>
public sealed partial class CampaignPageTests : IClassFixture<EngagementWebFactory>
{
    private const string Password = "a long test password";
    private readonly EngagementWebFactory factory;

    public CampaignPageTests(EngagementWebFactory factory) => this.factory = factory;

    private static string List => $"/staff/consultations/{EngagementWebFactory.Slug}/campaigns";

    private Task<HttpClient> SignedInClientAsync(string email, string role) => StaffClient.ForUserAsync(factory, email, role);

    /// <summary>One response per text from the given districts; returns the comment ids.</summary>
    private async Task<List<long>> AddAsync(string[] districts, params string[] texts)
    {
        var consultation = await factory.EnsureConsultationAsync();
        var submissions = factory.Services.GetRequiredService<SubmissionStore>();
        var ids = new List<long>();
        for (var i = 0; i < texts.Length; i++)
        {
            var result = await submissions.CreateAsync(new NewSubmission
            {
                ConsultationId = consultation.Id, RespondentType = RespondentTypes.Resident, District = districts[i % districts.Length],
                Comments = [new NewComment(texts[i], null)],
            });
            ids.AddRange((await factory.Services.GetRequiredService<CommentStore>().ForSubmissionAsync(result.SubmissionId)).Select(c => c.Id));
        }
        return ids;
    }

    private static FormUrlEncodedContent Form(string token, params (string Key, string Value)[] fields) =>
        new(fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value)).Append(new("__RequestVerificationToken", token)));

    private static string GroupUrl(string html, string title)
    {
        var match = Regex.Match(html, $"href=\"(/staff/consultations/[^\"]+/campaigns/\\d+)\">{Regex.Escape(title)}");
        Assert.True(match.Success, $"No link to the group '{title}'.");
        return match.Groups[1].Value;
    }

    [Fact]
    public async Task The_team_finds_a_campaign_confirms_it_with_a_name_and_takes_out_a_comment_that_does_not_belong()
    {
        var marker = Guid.NewGuid().ToString("N")[..8];
        var letter = $"Keep ward {marker} open at the cottage hospital. Closing it would force elderly patients to travel to Margate for every stay.";
        var ids = await AddAsync(["T", "SW", "D", "T"], letter, letter, letter + " I live in Deal.", letter);
        var client = await SignedInClientAsync("team-campaigns@example.org", StaffRoles.EngagementTeam);

        var index = await client.GetStringAsync("/staff");
        Assert.Contains($"href=\"{List}\"", index);

        var list = await client.GetAsync(List);
        var token = await EngagementWebFactory.TokenFromAsync(list);
        var detect = await client.PostAsync(List + "?handler=Detect", Form(token));
        Assert.Equal(HttpStatusCode.Redirect, detect.StatusCode);
        Assert.Equal(List, detect.Headers.Location!.ToString());

        var listed = await client.GetStringAsync(List);
        Assert.Contains("Checked ", listed);
        var groupUrl = GroupUrl(listed, $"Keep ward {marker} open at the cottage hospital.");
        Assert.Contains("<caption class=\"govuk-table__caption govuk-table__caption--s\">Campaigns", listed);

        var group = await client.GetAsync(groupUrl);
        var groupHtml = await group.Content.ReadAsStringAsync();
        Assert.Contains("Thanet 2", groupHtml);
        Assert.Contains($"id=\"member-{ids[2]}\"", groupHtml);
        token = await EngagementWebFactory.TokenFromAsync(group);

        // Nothing selected: a clear error, nothing lost.
        var empty = await client.PostAsync(groupUrl + "?handler=Remove", Form(token));
        Assert.Equal(HttpStatusCode.OK, empty.StatusCode);
        var emptyHtml = await empty.Content.ReadAsStringAsync();
        Assert.Contains("Select the comments to take out of the group", emptyHtml);
        Assert.Contains("govuk-error-summary", emptyHtml);

        var remove = await client.PostAsync(groupUrl + "?handler=Remove", Form(token, ("Input.Selected", ids[2].ToString())));
        Assert.Equal(HttpStatusCode.Redirect, remove.StatusCode);
        var confirm = await client.PostAsync(groupUrl + "?handler=Confirm", Form(token, ("Input.Name", $"Keep ward {marker} open")));
        Assert.Equal(HttpStatusCode.Redirect, confirm.StatusCode);

        var after = await client.GetStringAsync(groupUrl);
        Assert.Contains($"<h1 class=\"govuk-heading-l app-comment-text\">Keep ward {marker} open</h1>", after);
        Assert.Contains("Taken out of the group", after);
        Assert.DoesNotContain($"id=\"member-{ids[2]}\"", after);

        var store = factory.Services.GetRequiredService<CampaignStore>();
        var id = long.Parse(groupUrl[(groupUrl.LastIndexOf('/') + 1)..]);
        var stored = await store.GetAsync(id);
        Assert.Equal((DuplicateGroupStatuses.Split, 3, "team-campaigns@example.org"), (stored!.Status, stored.Respondents, stored.ReviewedBy));

        // The report counts it once, under its name.
        var report = await client.GetStringAsync($"/staff/consultations/{EngagementWebFactory.Slug}/report");
        Assert.Contains($"Keep ward {marker} open (campaign, 3 respondents)", report);
    }

    [Fact]
    public async Task A_wrongly_merged_group_is_split_into_two_and_a_non_group_is_dissolved()
    {
        var marker = Guid.NewGuid().ToString("N")[..8];
        var letter = $"Fund the {marker} carers hub properly. Unpaid carers in Swale have nowhere else to turn for respite and advice.";
        var ids = await AddAsync(["SW", "M"], letter, letter, letter, letter + " And reopen the day centre at weekends please.", letter + " And reopen the day centre at weekends please.");
        var client = await SignedInClientAsync("team-split@example.org", StaffRoles.EngagementTeam);
        var token = await EngagementWebFactory.TokenFromAsync(await client.GetAsync(List));
        await client.PostAsync(List + "?handler=Detect", Form(token));
        var groupUrl = GroupUrl(await client.GetStringAsync(List), $"Fund the {marker} carers hub properly.");

        token = await EngagementWebFactory.TokenFromAsync(await client.GetAsync(groupUrl));
        var tooFew = await client.PostAsync(groupUrl + "?handler=SplitOff", Form(token, ("Input.Selected", ids[3].ToString())));
        Assert.Contains("Select at least 2 comments to move into a new group", await tooFew.Content.ReadAsStringAsync());

        var split = await client.PostAsync(groupUrl + "?handler=SplitOff", Form(token, ("Input.Selected", ids[3].ToString()), ("Input.Selected", ids[4].ToString())));
        Assert.Equal(HttpStatusCode.Redirect, split.StatusCode);
        var newUrl = split.Headers.Location!.ToString();
        Assert.NotEqual(groupUrl, newUrl);
        var newGroup = await client.GetAsync(newUrl);
        var newHtml = await newGroup.Content.ReadAsStringAsync();
        Assert.Contains($"id=\"member-{ids[3]}\"", newHtml);
        Assert.DoesNotContain($"id=\"member-{ids[0]}\"", newHtml);

        token = await EngagementWebFactory.TokenFromAsync(newGroup);
        var dissolve = await client.PostAsync(newUrl + "?handler=Dissolve", Form(token));
        Assert.Equal(HttpStatusCode.Redirect, dissolve.StatusCode);
        Assert.Contains("dissolved", await client.GetStringAsync(newUrl));

        var original = await client.GetStringAsync(groupUrl);
        Assert.Contains($"id=\"member-{ids[0]}\"", original);
        Assert.DoesNotContain($"id=\"member-{ids[4]}\"", original);
    }

    [Fact]
    public async Task Posting_without_an_antiforgery_token_is_refused_and_a_strategy_author_gets_403()
    {
        var team = await SignedInClientAsync("team-csrf@example.org", StaffRoles.EngagementTeam);
        var noToken = await team.PostAsync(List + "?handler=Detect", new FormUrlEncodedContent([]));
        Assert.Equal(HttpStatusCode.BadRequest, noToken.StatusCode);

        var author = await SignedInClientAsync("author-campaigns@example.org", StaffRoles.StrategyAuthor);
        Assert.Equal(HttpStatusCode.Forbidden, (await author.GetAsync(List)).StatusCode);
        Assert.DoesNotContain($"href=\"{List}\"", await author.GetStringAsync("/staff"));
    }
}
