using System.Net;
using Dapper;
using Engagement.Core.Data;
using Microsoft.Extensions.DependencyInjection;

namespace Engagement.Web.Tests;

public sealed class PublicFormTests : IClassFixture<EngagementWebFactory>
{
    private readonly EngagementWebFactory factory;

    public PublicFormTests(EngagementWebFactory factory)
    {
        this.factory = factory;
        factory.EnsureConsultationAsync().GetAwaiter().GetResult();
    }

    private static string FormUrl => $"/consultations/{EngagementWebFactory.Slug}/respond";

    private static Dictionary<string, string> ValidAnswers(string token, string key, string text = "Evening GP appointments are hard to get for working parents.") => new()
    {
        ["__RequestVerificationToken"] = token,
        ["Input.IdempotencyKey"] = key,
        ["Input.RespondentType"] = "resident",
        ["Input.District"] = "SW",
        ["Input.Comments[0].Outcome"] = "4",
        ["Input.Comments[0].Text"] = text,
        ["Input.ConsentToQuote"] = "yes",
        ["Input.AgeBand"] = "35-44",
    };

    private async Task<long> CountCommentsContainingAsync(string marker)
    {
        var db = factory.Services.GetRequiredService<Database>();
        await using var c = await db.OpenAsync();
        return await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM comments WHERE text LIKE @p", new { p = "%" + marker + "%" });
    }

    [Fact]
    public async Task Start_page_lists_the_six_outcomes_in_plain_english()
    {
        var html = await factory.CreateClient().GetStringAsync($"/consultations/{EngagementWebFactory.Slug}");
        Assert.Contains("Give children and young people the best start in life", html);
        Assert.Contains("Support and grow our workforce", html);
        Assert.Contains("Start now", html);
    }

    [Fact]
    public async Task A_valid_response_is_checked_then_stored_and_shows_a_reference()
    {
        var client = factory.CreateBrowserClient();
        var token = await EngagementWebFactory.TokenFromAsync(await client.GetAsync(FormUrl));
        var marker = Guid.NewGuid().ToString("N");
        var answers = ValidAnswers(token, Guid.NewGuid().ToString("N"), "Evening GP appointments are hard to get " + marker);

        var check = await client.PostAsync(FormUrl + "?handler=Check", new FormUrlEncodedContent(answers));
        var checkHtml = await check.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, check.StatusCode);
        Assert.Contains("Check your answers", checkHtml);
        Assert.Contains("Swale", checkHtml);
        Assert.Equal(0, await CountCommentsContainingAsync(marker));

        var submit = await client.PostAsync(FormUrl + "?handler=Submit", new FormUrlEncodedContent(answers));
        Assert.Equal(HttpStatusCode.Redirect, submit.StatusCode);
        var confirmation = await client.GetStringAsync(submit.Headers.Location);
        Assert.Contains("Response sent", confirmation);
        Assert.Matches("KM-[0-9A-Z]{4}-[0-9A-Z]{4}", confirmation);
        Assert.Equal(1, await CountCommentsContainingAsync(marker));
    }

    [Fact]
    public async Task An_invalid_response_shows_the_error_summary_and_keeps_every_answer()
    {
        var client = factory.CreateBrowserClient();
        var token = await EngagementWebFactory.TokenFromAsync(await client.GetAsync(FormUrl));
        var answers = ValidAnswers(token, Guid.NewGuid().ToString("N"));
        answers["Input.RespondentType"] = "partner";
        answers["Input.Organisation"] = "Thanet Community Pantry";
        answers["Input.District"] = "";
        answers["Input.Comments[0].Text"] = " \u00A0\u200B ";

        var response = await client.PostAsync(FormUrl + "?handler=Check", new FormUrlEncodedContent(answers));
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("<title>Error: ", html);
        Assert.Contains("There is a problem", html);
        Assert.Contains("href=\"#district\"", html);
        Assert.Contains("Select the area you live in", html);
        Assert.Contains("Enter your comment", html);
        Assert.Contains("Select the type of organisation", html);
        Assert.Contains("value=\"Thanet Community Pantry\"", html);
        Assert.Contains("value=\"35-44\" checked", html);
    }

    [Fact]
    public async Task An_over_long_comment_gets_a_clear_error_and_nothing_is_stored()
    {
        var client = factory.CreateBrowserClient();
        var token = await EngagementWebFactory.TokenFromAsync(await client.GetAsync(FormUrl));
        var marker = Guid.NewGuid().ToString("N");
        var answers = ValidAnswers(token, Guid.NewGuid().ToString("N"), marker + new string('a', 5001 - marker.Length));

        var response = await client.PostAsync(FormUrl + "?handler=Submit", new FormUrlEncodedContent(answers));
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Your comment must be 5,000 characters or fewer", html);
        Assert.Equal(0, await CountCommentsContainingAsync(marker));

        // Exactly the limit is fine.
        answers["Input.Comments[0].Text"] = marker + new string('a', 5000 - marker.Length);
        var ok = await client.PostAsync(FormUrl + "?handler=Submit", new FormUrlEncodedContent(answers));
        Assert.Equal(HttpStatusCode.Redirect, ok.StatusCode);
        Assert.Equal(1, await CountCommentsContainingAsync(marker));
    }

    [Fact]
    public async Task A_post_without_the_antiforgery_token_is_refused_with_400()
    {
        var client = factory.CreateBrowserClient();
        await client.GetAsync(FormUrl);
        var marker = Guid.NewGuid().ToString("N");
        var answers = ValidAnswers("", Guid.NewGuid().ToString("N"), "No token " + marker);
        answers.Remove("__RequestVerificationToken");

        var response = await client.PostAsync(FormUrl + "?handler=Submit", new FormUrlEncodedContent(answers));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0, await CountCommentsContainingAsync(marker));
    }

    [Fact]
    public async Task A_double_submit_stores_one_response()
    {
        var client = factory.CreateBrowserClient();
        var token = await EngagementWebFactory.TokenFromAsync(await client.GetAsync(FormUrl));
        var marker = Guid.NewGuid().ToString("N");
        var answers = ValidAnswers(token, Guid.NewGuid().ToString("N"), "Double click " + marker);

        var posts = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ =>
            client.PostAsync(FormUrl + "?handler=Submit", new FormUrlEncodedContent(answers))));

        Assert.All(posts, p => Assert.Equal(HttpStatusCode.Redirect, p.StatusCode));
        Assert.Single(posts.Select(p => p.Headers.Location!.ToString()).Distinct());
        Assert.Equal(1, await CountCommentsContainingAsync(marker));
    }

    [Fact]
    public async Task A_partner_can_add_several_comments_without_javascript()
    {
        var client = factory.CreateBrowserClient();
        var token = await EngagementWebFactory.TokenFromAsync(await client.GetAsync(FormUrl));
        var marker = Guid.NewGuid().ToString("N");
        var answers = ValidAnswers(token, Guid.NewGuid().ToString("N"), "Tackle WDH at HCP level " + marker);
        answers["Input.RespondentType"] = "partner";
        answers["Input.Organisation"] = "Swale Borough Council";
        answers["Input.PartnerType"] = "district-council";

        var added = await client.PostAsync(FormUrl + "?handler=AddComment", new FormUrlEncodedContent(answers));
        var html = await added.Content.ReadAsStringAsync();
        Assert.Contains("Comment 2", html);
        Assert.Contains("name=\"Input.Comments[1].Text\"", html);

        answers["Input.Comments[1].Outcome"] = "6";
        answers["Input.Comments[1].Text"] = "More MDT capacity for frailty " + marker;
        var submit = await client.PostAsync(FormUrl + "?handler=Submit", new FormUrlEncodedContent(answers));
        Assert.Equal(HttpStatusCode.Redirect, submit.StatusCode);
        Assert.Equal(2, await CountCommentsContainingAsync(marker));
    }

    [Theory]
    [InlineData("Input.District", "999")]
    [InlineData("Input.District", "../x")]
    [InlineData("Input.Comments[0].Outcome", "9")]
    [InlineData("Input.RespondentType", "admin")]
    [InlineData("Input.AgeBand", "ancient")]
    public async Task Values_outside_the_allowed_lists_are_refused(string field, string value)
    {
        var client = factory.CreateBrowserClient();
        var token = await EngagementWebFactory.TokenFromAsync(await client.GetAsync(FormUrl));
        var marker = Guid.NewGuid().ToString("N");
        var answers = ValidAnswers(token, Guid.NewGuid().ToString("N"), "Allow list " + marker);
        answers[field] = value;

        var response = await client.PostAsync(FormUrl + "?handler=Submit", new FormUrlEncodedContent(answers));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("There is a problem", await response.Content.ReadAsStringAsync());
        Assert.Equal(0, await CountCommentsContainingAsync(marker));
    }

    [Fact]
    public async Task Script_in_a_comment_is_stored_as_typed_and_shown_encoded()
    {
        var client = factory.CreateBrowserClient();
        var token = await EngagementWebFactory.TokenFromAsync(await client.GetAsync(FormUrl));
        var answers = ValidAnswers(token, Guid.NewGuid().ToString("N"), "<script>alert(1)</script>\"><img src=x onerror=alert(2)>");

        var html = await (await client.PostAsync(FormUrl + "?handler=Check", new FormUrlEncodedContent(answers))).Content.ReadAsStringAsync();

        Assert.DoesNotContain("<script>alert(1)", html);
        Assert.DoesNotContain("<img src=x", html);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html);
    }

    [Fact]
    public async Task Health_reports_database_and_model()
    {
        var response = await factory.CreateClient().GetAsync("/health");
        var json = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"database\"", json);
        Assert.Contains("\"model\"", json);
    }
}
