using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using Dapper;
using Engagement.Core.Data;
using Engagement.Core.Staff;
using Engagement.Core.Tests.Data;
using Microsoft.Extensions.DependencyInjection;

namespace Engagement.Web.Tests;

/// <summary>
/// What residents and staff see when the database is locked by another writer or full: the public form waits out a
/// short lock, and otherwise answers 503 with the answers kept; nothing partial is stored and the site keeps running.
/// </summary>
public sealed partial class DatabaseFaultPageTests
{
    private static string FormUrl => EngagementWebFactory.FormUrl;

    private static Dictionary<string, string> Answers(string token, string marker) => new()
    {
        ["__RequestVerificationToken"] = token,
        ["Input.IdempotencyKey"] = Guid.NewGuid().ToString("N"),
        ["Input.RespondentType"] = "partner",
        ["Input.Organisation"] = "Medway Carers' Forum",
        ["Input.PartnerType"] = "vcse",
        ["Input.District"] = "Med",
        ["Input.Comments[0].Outcome"] = "4",
        ["Input.Comments[0].Text"] = "Respite for carers " + marker,
        ["Input.ConsentToQuote"] = "yes",
        ["Input.AgeBand"] = "35-44",
        ["Input.UnpaidCarer"] = "yes",
    };

    private static async Task<(EngagementWebFactory Factory, HttpClient Client, string Token)> StartAsync(Dictionary<string, string>? settings = null)
    {
        var factory = new EngagementWebFactory { Settings = settings ?? [] };
        await factory.EnsureConsultationAsync();
        var client = factory.CreateBrowserClient();
        var token = await EngagementWebFactory.TokenFromAsync(await client.GetAsync(FormUrl));
        return (factory, client, token);
    }

    private static async Task<(long Submissions, long Comments)> CountAsync(EngagementWebFactory factory, string marker)
    {
        await using var c = await factory.Services.GetRequiredService<Database>().OpenAsync();
        return (await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM submissions WHERE organisation = 'Medway Carers'' Forum'"),
            await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM comments WHERE text LIKE @p", new { p = "%" + marker + "%" }));
    }

    [Fact]
    public async Task A_submission_succeeds_while_another_writer_holds_the_lock_for_five_seconds()
    {
        var (factory, client, token) = await StartAsync();
        await using var _ = factory;
        var marker = Guid.NewGuid().ToString("N");

        var writer = await SqliteWriteLock.TakeAsync(factory.Services.GetRequiredService<Database>().ConnectionString);
        var release = Task.Delay(TimeSpan.FromSeconds(5)).ContinueWith(_ => writer.Release(), TaskScheduler.Default);
        var clock = Stopwatch.StartNew();
        var response = await client.PostAsync(FormUrl + "?handler=Submit", new FormUrlEncodedContent(Answers(token, marker)));
        await release;

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith($"/consultations/{EngagementWebFactory.Slug}/confirmation", response.Headers.Location!.OriginalString);
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(4.5), $"Answered after {clock.Elapsed}: the lock was not in the way.");
        Assert.Equal((1L, 1L), await CountAsync(factory, marker));
    }

    [Fact]
    public async Task A_lock_held_past_the_busy_timeout_gets_a_503_that_keeps_the_answers_and_a_later_retry_stores_once()
    {
        var (factory, client, token) = await StartAsync(new() { ["Database:BusyTimeoutSeconds"] = "1" });
        await using var _ = factory;
        var marker = Guid.NewGuid().ToString("N");
        var answers = Answers(token, marker);

        HttpResponseMessage refused;
        using (var writer = await SqliteWriteLock.TakeAsync(factory.Services.GetRequiredService<Database>().ConnectionString))
        {
            var held = Task.Delay(TimeSpan.FromSeconds(3));
            refused = await client.PostAsync(FormUrl + "?handler=Submit", new FormUrlEncodedContent(answers));
            await held;
        }

        var page = await AssertAnswersKeptAsync(refused, answers);
        Assert.Equal((0L, 0L), await CountAsync(factory, marker));

        // Sending the page again, as the resident's browser would, stores the response once however often it is sent.
        var retry = await client.PostAsync(FormUrl + "?handler=Submit", new FormUrlEncodedContent(page));
        var again = await client.PostAsync(FormUrl + "?handler=Submit", new FormUrlEncodedContent(page));
        Assert.Equal(HttpStatusCode.Redirect, retry.StatusCode);
        Assert.Equal(retry.Headers.Location, again.Headers.Location);
        Assert.Equal((1L, 1L), await CountAsync(factory, marker));
    }

    [Fact]
    public async Task A_full_database_gets_a_503_that_keeps_the_answers_the_site_keeps_running_and_works_once_space_is_freed()
    {
        var (factory, client, token) = await StartAsync(new() { ["Database:MaxSizeMegabytes"] = "4" });
        await using var _ = factory;
        var db = factory.Services.GetRequiredService<Database>();
        var marker = Guid.NewGuid().ToString("N");
        var answers = Answers(token, marker);
        answers["Input.Comments[0].Text"] += new string('x', 4500 - marker.Length); // needs a new page, which there is no room for
        await SqliteWriteLock.FillAsync(db);

        var page = await AssertAnswersKeptAsync(await client.PostAsync(FormUrl + "?handler=Submit", new FormUrlEncodedContent(answers)), answers);
        Assert.Equal((0L, 0L), await CountAsync(factory, marker));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(FormUrl)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);

        await SqliteWriteLock.FreeAsync(db);
        Assert.Equal(HttpStatusCode.Redirect, (await client.PostAsync(FormUrl + "?handler=Submit", new FormUrlEncodedContent(page))).StatusCode);
        Assert.Equal((1L, 1L), await CountAsync(factory, marker));
    }

    /// <summary>The 503 is the check-answers page: the message first, every answer on it, ready to send again.</summary>
    private static async Task<Dictionary<string, string>> AssertAnswersKeptAsync(HttpResponseMessage response, Dictionary<string, string> answers)
    {
        var html = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(60), response.Headers.RetryAfter?.Delta);
        Assert.Contains("<title>Error:", html);
        Assert.Contains("govuk-error-summary", html);
        Assert.Contains("We could not save your response just now. Your answers are below. Try sending it again in a few minutes.", html);
        Assert.Contains("href=\"#send-response\"", html);
        Assert.Contains("id=\"send-response\"", html);
        Assert.Contains("Check your answers", html);

        var fields = HiddenFields(html);
        foreach (var (name, value) in answers.Where(a => a.Key != "__RequestVerificationToken"))
            Assert.Equal(value, fields.GetValueOrDefault(name));
        Assert.True(fields.ContainsKey("__RequestVerificationToken"));
        Assert.Contains(WebUtility.HtmlEncode(answers["Input.Comments[0].Text"]), html);
        return fields;
    }

    private static Dictionary<string, string> HiddenFields(string html) =>
        HiddenInput().Matches(html).Select(m => m.Value).ToDictionary(
            tag => WebUtility.HtmlDecode(Attribute(tag, "name")),
            tag => WebUtility.HtmlDecode(Attribute(tag, "value")));

    private static string Attribute(string tag, string name) =>
        Regex.Match(tag, $"\\s{name}=\"([^\"]*)\"") is { Success: true } m ? m.Groups[1].Value : "";

    [GeneratedRegex("<input[^>]*type=\"hidden\"[^>]*>")]
    private static partial Regex HiddenInput();

    public enum Fault { Busy, Full }

    [Theory]
    [InlineData(Fault.Busy)]
    [InlineData(Fault.Full)]
    public async Task A_staff_post_that_meets_a_database_fault_gets_a_clear_503_and_the_site_keeps_running(Fault fault)
    {
        var (factory, _, _) = await StartAsync(new() { ["Database:BusyTimeoutSeconds"] = "1", ["Database:MaxSizeMegabytes"] = "4" });
        await using var _ = factory;
        var db = factory.Services.GetRequiredService<Database>();
        var admin = await StaffClient.ForRoleAsync(factory, StaffRoles.Admin);
        var token = await EngagementWebFactory.TokenFromAsync(await admin.GetAsync("/staff/themes"));
        var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["Input.Name"] = "Faulty theme", ["Input.Outcome"] = "4",
            ["Input.Description"] = new string('d', 4000),
        });

        HttpResponseMessage response;
        if (fault == Fault.Busy)
        {
            using var writer = await SqliteWriteLock.TakeAsync(db.ConnectionString);
            response = await admin.PostAsync("/staff/themes?handler=Add", form);
        }
        else
        {
            await SqliteWriteLock.FillAsync(db);
            response = await admin.PostAsync("/staff/themes?handler=Add", form);
        }

        var html = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(60), response.Headers.RetryAfter?.Delta);
        Assert.Contains("Sorry, the service is busy", html);
        Assert.Contains(fault == Fault.Busy ? "busy with other work" : "run out of storage space", html);
        Assert.DoesNotContain("Exception", html);
        Assert.DoesNotContain("Faulty theme", await admin.GetStringAsync("/staff/themes"));
    }
}
