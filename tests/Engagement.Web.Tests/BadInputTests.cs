using System.Net;
using System.Text;
using Dapper;
using Engagement.Core.Data;
using Engagement.Core.Staff;
using Microsoft.Extensions.DependencyInjection;

namespace Engagement.Web.Tests;

/// <summary>
/// Issue #7's bad-input list, posted to the public form (and the relevant ones to staff forms). Each case must end in
/// a clear 4xx or form error with a GOV.UK-style message, or be stored exactly as typed. Never a 500, never a partial row.
/// </summary>
public sealed class BadInputTests : IClassFixture<EngagementWebFactory>
{
    private const int Limit = 5000;
    private readonly EngagementWebFactory factory;

    public BadInputTests(EngagementWebFactory factory)
    {
        this.factory = factory;
        factory.EnsureConsultationAsync().GetAwaiter().GetResult();
    }

    private static string FormUrl => $"/consultations/{EngagementWebFactory.Slug}/respond?handler=Submit";

    public enum Expect { Stored, FormError, BadRequest, TooLarge }

    /// <summary>Comment text cases: what is typed, what must happen, and what is stored or the message shown.</summary>
    public static TheoryData<string, string, Expect, string> TextCases() => new()
    {
        { "empty", "", Expect.FormError, "Enter your comment" },
        { "whitespace only", "  \t \n ", Expect.FormError, "Enter your comment" },
        { "no-break spaces only", "\u00A0\u00A0\u202F", Expect.FormError, "Enter your comment" },
        { "zero-width only", "\u200B\u200C\u200D\u2060\uFEFF", Expect.FormError, "Enter your comment" },
        { "exactly the limit", new string('a', Limit), Expect.Stored, new string('a', Limit) },
        { "one over the limit", new string('a', Limit + 1), Expect.FormError, "Your comment must be 5,000 characters or fewer. It has 5,001" },
        // The count is UTF-16 code units, as the GOV.UK character count script counts (JavaScript's string length).
        { "the limit in emoji", string.Concat(Enumerable.Repeat("😀", Limit / 2)), Expect.Stored, string.Concat(Enumerable.Repeat("😀", Limit / 2)) },
        { "one emoji over", string.Concat(Enumerable.Repeat("😀", Limit / 2 + 1)), Expect.FormError, "5,000 characters or fewer" },
        { "the limit in combining marks", string.Concat(Enumerable.Repeat("e\u0301", Limit / 2)), Expect.Stored, string.Concat(Enumerable.Repeat("e\u0301", Limit / 2)) },
        { "one combining mark over", string.Concat(Enumerable.Repeat("e\u0301", Limit / 2)) + "\u0301", Expect.FormError, "5,000 characters or fewer" },
        // A browser sends a textarea's newline as CRLF; the script counts it as one character, and so does the server.
        { "CRLF counted as one", new string('a', Limit - 2) + "\r\nb", Expect.Stored, new string('a', Limit - 2) + "\nb" },
        // ASP.NET Core's form reader refuses NUL outright; the page says so plainly.
        { "NUL", "before\0after", Expect.BadRequest, "contains a character that cannot be stored" },
        { "other control characters", "tab\tvertical\u000Bform\u000Cescape\u001B", Expect.Stored, "tab\tvertical\u000Bform\u000Cescape\u001B" },
        { "right-to-left override", "abc\u202Edef", Expect.Stored, "abc\u202Edef" },
        { "script tag", "<script>alert(1)</script>", Expect.Stored, "<script>alert(1)</script>" },
        { "attribute breakout", "\"><img src=x onerror=alert(2)>", Expect.Stored, "\"><img src=x onerror=alert(2)>" },
        { "HYPERLINK formula", "=HYPERLINK(\"http://evil.example\",\"Click\")", Expect.Stored, "=HYPERLINK(\"http://evil.example\",\"Click\")" },
        { "DDE command", "+cmd|' /C calc'!A0", Expect.Stored, "+cmd|' /C calc'!A0" },
        { "at-SUM formula", "@SUM(1+1)*cmd|' /C calc'!A0", Expect.Stored, "@SUM(1+1)*cmd|' /C calc'!A0" },
        { "SQL injection", "'; DROP TABLE comments; --", Expect.Stored, "'; DROP TABLE comments; --" },
        { "LIKE wildcards", "100% of_us", Expect.Stored, "100% of_us" },
    };

    [Theory]
    [MemberData(nameof(TextCases))]
    public async Task Comment_text(string name, string typed, Expect expect, string storedOrMessage)
    {
        var (client, answers) = await StartAsync();
        answers["Input.Comments[0].Text"] = typed;
        await AssertOutcomeAsync(name, answers["Input.IdempotencyKey"], await client.PostAsync(FormUrl, new FormUrlEncodedContent(answers)), expect, storedOrMessage);
    }

    public static TheoryData<string, string, string, Expect, string> FieldCases() => new()
    {
        { "district 999", "Input.District", "999", Expect.FormError, "Select an area from the list" },
        { "district path", "Input.District", "../x", Expect.FormError, "Select an area from the list" },
        { "district NUL", "Input.District", "SW\0", Expect.BadRequest, "contains a character that cannot be stored" },
        { "outcome out of range", "Input.Comments[0].Outcome", "99", Expect.FormError, "Select what your comment is mainly about" },
        { "respondent type made up", "Input.RespondentType", "admin", Expect.FormError, "Select who you are responding as" },
        { "consent made up", "Input.ConsentToQuote", "maybe", Expect.FormError, "Select yes if we can quote" },
        { "age band made up", "Input.AgeBand", "'; DROP TABLE submissions; --", Expect.FormError, "Select an option from the list" },
        { "comment index far out", "Input.Comments[5000].Text", "sneaky", Expect.Stored, "A comment typed at the limit of patience." },
    };

    [Theory]
    [MemberData(nameof(FieldCases))]
    public async Task Fixed_fields(string name, string field, string value, Expect expect, string storedOrMessage)
    {
        var (client, answers) = await StartAsync();
        answers[field] = value;
        await AssertOutcomeAsync(name, answers["Input.IdempotencyKey"], await client.PostAsync(FormUrl, new FormUrlEncodedContent(answers)), expect, storedOrMessage);
    }

    [Theory]
    [InlineData(200, true)]
    [InlineData(201, false)]
    public async Task Organisation_name_at_and_over_its_limit(int length, bool stored)
    {
        var (client, answers) = await StartAsync();
        var name = "Ø" + new string('o', length - 1); // a two-byte UTF-8 letter first: the limit is characters, not bytes
        answers["Input.RespondentType"] = "partner";
        answers["Input.PartnerType"] = "vcse";
        answers["Input.Organisation"] = name;
        var response = await client.PostAsync(FormUrl, new FormUrlEncodedContent(answers));
        if (stored)
        {
            await AssertOutcomeAsync("organisation 200", answers["Input.IdempotencyKey"], response, Expect.Stored, "A comment typed at the limit of patience.");
            await using var c = await factory.Services.GetRequiredService<Database>().OpenAsync();
            Assert.Equal(name, await c.ExecuteScalarAsync<string>("SELECT organisation FROM submissions WHERE idempotency_key = @key", new { key = answers["Input.IdempotencyKey"] }));
        }
        else await AssertOutcomeAsync("organisation 201", answers["Input.IdempotencyKey"], response, Expect.FormError, "Organisation name must be 200 characters or fewer");
    }

    [Fact]
    public async Task Lone_surrogate_bytes_are_stored_as_received_and_never_as_broken_text()
    {
        var (client, answers) = await StartAsync();
        answers["Input.Comments[0].Text"] = "before after";
        // %ED%A0%80 is a UTF-16 surrogate half encoded as UTF-8: not valid UTF-8, so it can only be decoded as U+FFFD.
        var body = Encode(answers).Replace("before+after", "before%ED%A0%80after", StringComparison.Ordinal);
        var response = await client.PostAsync(FormUrl, new StringContent(body, Encoding.ASCII, "application/x-www-form-urlencoded"));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        // ASP.NET Core's form decoder leaves bytes that are not UTF-8 percent-encoded, so no half-surrogate reaches the
        // app or the database: what arrived is stored exactly, as valid text.
        var stored = await StoredTextAsync(answers["Input.IdempotencyKey"]);
        Assert.Equal("before%ED%A0%80after", stored);
        Assert.DoesNotContain(stored, char.IsSurrogate);
    }

    [Fact]
    public async Task A_repeated_field_is_refused_rather_than_silently_choosing_one()
    {
        var (client, answers) = await StartAsync();
        var body = Encode(answers) + "&Input.District=TH";
        var response = await client.PostAsync(FormUrl, new StringContent(body, Encoding.ASCII, "application/x-www-form-urlencoded"));
        await AssertOutcomeAsync("repeated", answers["Input.IdempotencyKey"], response, Expect.BadRequest, "more than one answer for the same question");
    }

    [Fact]
    public async Task Over_posting_a_status_channel_or_reference_changes_nothing()
    {
        var (client, answers) = await StartAsync();
        answers["Input.Comments[0].Text"] = "Over-posting check";
        answers["Status"] = "triaged";
        answers["Input.Status"] = "triaged";
        answers["Input.Channel"] = "paper";
        answers["Input.Reference"] = "KM-AAAA-AAAA";
        answers["Input.Comments[0].Status"] = "spam";
        answers["Input.Comments[0].ConfirmedOutcome"] = "1";
        answers["Input.Comments[0].ConfirmedTheme"] = "gp-access";
        var response = await client.PostAsync(FormUrl, new FormUrlEncodedContent(answers));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);

        await using var c = await factory.Services.GetRequiredService<Database>().OpenAsync();
        var row = await c.QuerySingleAsync<(string Channel, string Reference, string Status, long? Confirmed, string? Theme)>("""
            SELECT s.channel, s.reference, c.status, c.confirmed_outcome, c.confirmed_theme
            FROM submissions s JOIN comments c ON c.submission_id = s.id WHERE s.idempotency_key = @key
            """, new { key = answers["Input.IdempotencyKey"] });
        Assert.Equal("online", row.Channel);
        Assert.NotEqual("KM-AAAA-AAAA", row.Reference);
        Assert.Equal("new", row.Status);
        Assert.Null(row.Confirmed);
        Assert.Null(row.Theme);
    }

    [Fact]
    public async Task A_missing_or_altered_antiforgery_token_gets_400_with_a_govuk_page()
    {
        var (client, answers) = await StartAsync();
        var token = answers["__RequestVerificationToken"];
        answers["__RequestVerificationToken"] = (token[5] == 'A' ? "B" : "A") is var c ? token[..5] + c + token[6..] : token;
        await AssertOutcomeAsync("altered token", answers["Input.IdempotencyKey"], await client.PostAsync(FormUrl, new FormUrlEncodedContent(answers)), Expect.BadRequest, "Your form may have expired");

        answers.Remove("__RequestVerificationToken");
        await AssertOutcomeAsync("missing token", answers["Input.IdempotencyKey"], await client.PostAsync(FormUrl, new FormUrlEncodedContent(answers)), Expect.BadRequest, "Your form may have expired");

        // A token from another visitor's session does not work either.
        var (_, other) = await StartAsync();
        answers["__RequestVerificationToken"] = other["__RequestVerificationToken"];
        await AssertOutcomeAsync("someone else's token", answers["Input.IdempotencyKey"], await client.PostAsync(FormUrl, new FormUrlEncodedContent(answers)), Expect.BadRequest, "Your form may have expired");
    }

    [Fact]
    public async Task A_double_submit_stores_one_response_and_gives_one_reference()
    {
        var (client, answers) = await StartAsync();
        var posts = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => client.PostAsync(FormUrl, new FormUrlEncodedContent(answers))));
        Assert.All(posts, p => Assert.Equal(HttpStatusCode.Redirect, p.StatusCode));
        Assert.Single(posts.Select(p => p.Headers.Location!.ToString()).Distinct());
        Assert.Equal(1, await SubmissionCountAsync(answers["Input.IdempotencyKey"]));
    }

    [Fact]
    public async Task A_30_MB_body_is_refused_with_413()
    {
        var (client, answers) = await StartAsync();
        answers["Input.Comments[0].Text"] = new string('a', 30 * 1024 * 1024);
        var response = await client.PostAsync(FormUrl, new FormUrlEncodedContent(answers));
        await AssertOutcomeAsync("30 MB", answers["Input.IdempotencyKey"], response, Expect.TooLarge, "too big");
    }

    [Fact]
    public async Task A_30_MB_body_without_a_length_is_refused_too()
    {
        var (client, answers) = await StartAsync();
        answers["Input.Comments[0].Text"] = new string('a', 30 * 1024 * 1024);
        var bytes = Encoding.ASCII.GetBytes(Encode(answers));
        var content = new StreamContent(new MemoryStream(bytes));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/x-www-form-urlencoded");
        using var request = new HttpRequestMessage(HttpMethod.Post, FormUrl) { Content = content };
        request.Headers.TransferEncodingChunked = true;
        var response = await client.SendAsync(request);
        await AssertOutcomeAsync("30 MB chunked", answers["Input.IdempotencyKey"], response, Expect.TooLarge, "too big");
    }

    [Fact]
    public async Task Over_1024_fields_are_refused_with_400()
    {
        var (client, answers) = await StartAsync();
        for (var i = 0; i < 1025; i++) answers[$"extra{i}"] = "x";
        await AssertOutcomeAsync("1,025 fields", answers["Input.IdempotencyKey"], await client.PostAsync(FormUrl, new FormUrlEncodedContent(answers)), Expect.BadRequest, "more than 1,024 fields");
    }

    [Fact]
    public async Task A_3_KB_field_name_is_refused_with_400()
    {
        var (client, answers) = await StartAsync();
        answers[new string('k', 3 * 1024)] = "x";
        await AssertOutcomeAsync("3 KB name", answers["Input.IdempotencyKey"], await client.PostAsync(FormUrl, new FormUrlEncodedContent(answers)), Expect.BadRequest, "field name longer than");
    }

    [Theory]
    [InlineData("3 KB field name")]
    [InlineData("1,025 fields")]
    [InlineData("NUL and huge email")]
    [InlineData("30 MB")]
    public async Task The_staff_sign_in_form_survives_the_same(string name)
    {
        var client = factory.CreateBrowserClient();
        var token = await EngagementWebFactory.TokenFromAsync(await client.GetAsync("/staff/sign-in"));
        var form = new Dictionary<string, string> { ["__RequestVerificationToken"] = token, ["Input.Email"] = "someone@example.org", ["Input.Password"] = "x" };
        switch (name)
        {
            case "3 KB field name": form[new string('k', 3 * 1024)] = "x"; break;
            case "1,025 fields": for (var i = 0; i < 1025; i++) form[$"f{i}"] = "x"; break;
            case "NUL and huge email": form["Input.Email"] = "a\0b" + new string('e', 100_000) + "@example.org"; break;
            case "30 MB": form["Input.Password"] = new string('p', 30 * 1024 * 1024); break;
        }
        var response = await client.PostAsync("/staff/sign-in", new FormUrlEncodedContent(form));
        Assert.True((int)response.StatusCode is >= 200 and < 500, $"{name}: {(int)response.StatusCode}");
        var html = await response.Content.ReadAsStringAsync();
        Assert.True(html.Contains("govuk-error-summary") || html.Contains("govuk-heading-l"), $"{name}: no GOV.UK message");
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/staff")).StatusCode);
    }

    [Fact]
    public async Task Search_treats_quotes_percent_and_underscore_as_plain_text()
    {
        var marker = Guid.NewGuid().ToString("N")[..8];
        var texts = new[] { $"{marker} costs rose 100% this year", $"{marker} costs rose 1000 this year", $"{marker} the a_b road", $"{marker} the axb road", $"{marker} it's '; DROP TABLE comments; --" };
        foreach (var t in texts)
        {
            var (c, a) = await StartAsync();
            a["Input.Comments[0].Text"] = t;
            Assert.Equal(HttpStatusCode.Redirect, (await c.PostAsync(FormUrl, new FormUrlEncodedContent(a))).StatusCode);
        }
        var staff = await StaffClient.ForRoleAsync(factory, StaffRoles.EngagementTeam);
        async Task<int> MatchesAsync(string q)
        {
            var response = await staff.GetAsync($"/staff/consultations/{EngagementWebFactory.Slug}/responses?Q={Uri.EscapeDataString(q)}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var html = await response.Content.ReadAsStringAsync();
            return texts.Count(t => html.Contains(System.Net.WebUtility.HtmlEncode(t).Replace("&#39;", "&#x27;"), StringComparison.Ordinal));
        }
        Assert.Equal(1, await MatchesAsync($"{marker} costs rose 100%"));
        Assert.Equal(1, await MatchesAsync($"{marker} the a_b"));
        Assert.Equal(1, await MatchesAsync("'; DROP TABLE comments; --"));
        Assert.Equal(1, await MatchesAsync("%"));
        Assert.Equal(1, await MatchesAsync("_"));
        await using var db = await factory.Services.GetRequiredService<Database>().OpenAsync();
        Assert.True(await db.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM comments") >= texts.Length);
    }

    // ---- helpers ----

    private async Task<(HttpClient Client, Dictionary<string, string> Answers)> StartAsync()
    {
        var client = factory.CreateBrowserClient();
        var token = await EngagementWebFactory.TokenFromAsync(await client.GetAsync($"/consultations/{EngagementWebFactory.Slug}/respond"));
        return (client, new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["Input.IdempotencyKey"] = Guid.NewGuid().ToString("N"),
            ["Input.RespondentType"] = "resident",
            ["Input.District"] = "SW",
            ["Input.Comments[0].Outcome"] = "4",
            ["Input.Comments[0].Text"] = "A comment typed at the limit of patience.",
            ["Input.ConsentToQuote"] = "no",
        });
    }

    private static string Encode(Dictionary<string, string> form) =>
        string.Join('&', form.Select(kv => Uri.EscapeDataString(kv.Key) + "=" + Uri.EscapeDataString(kv.Value).Replace("%20", "+")));

    private async Task AssertOutcomeAsync(string name, string key, HttpResponseMessage response, Expect expect, string storedOrMessage)
    {
        var status = (int)response.StatusCode;
        Assert.True(status < 500, $"{name}: {status}");
        var html = await response.Content.ReadAsStringAsync();
        var h1 = System.Text.RegularExpressions.Regex.Match(html, "<h1[^>]*>(.*?)</h1>", System.Text.RegularExpressions.RegexOptions.Singleline).Groups[1].Value;
        name += $" [{status} {h1.Trim()}]";
        switch (expect)
        {
            case Expect.Stored:
                Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"{name}: expected to be stored, got {status}: {Excerpt(html)}");
                Assert.Equal(storedOrMessage, await StoredTextAsync(key));
                return;
            case Expect.FormError:
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"{name}: {status}");
                Assert.Contains("govuk-error-summary", html);
                Assert.Contains("<title>Error: ", html);
                Assert.Contains(storedOrMessage, html);
                break;
            case Expect.BadRequest:
                Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{name}: {status}");
                Assert.Contains("govuk-heading-l", html);
                Assert.True(html.Contains(storedOrMessage), name);
                break;
            case Expect.TooLarge:
                Assert.True(response.StatusCode == HttpStatusCode.RequestEntityTooLarge, $"{name}: {status}");
                Assert.Contains("govuk-heading-l", html);
                Assert.Contains(storedOrMessage, html);
                break;
        }
        Assert.Equal(0, await SubmissionCountAsync(key));
    }

    private static string Excerpt(string html) => html.Length > 400 ? html[..400] : html;

    private async Task<long> SubmissionCountAsync(string key)
    {
        await using var c = await factory.Services.GetRequiredService<Database>().OpenAsync();
        var submissions = await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM submissions WHERE idempotency_key = @key", new { key });
        var orphans = await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM submissions s WHERE NOT EXISTS (SELECT 1 FROM comments c WHERE c.submission_id = s.id)");
        Assert.Equal(0, orphans); // never a partial row: a submission always has its comments
        return submissions;
    }

    private async Task<string> StoredTextAsync(string key)
    {
        await using var c = await factory.Services.GetRequiredService<Database>().OpenAsync();
        return await c.QuerySingleAsync<string>(
            "SELECT c.text FROM comments c JOIN submissions s ON s.id = c.submission_id WHERE s.idempotency_key = @key", new { key });
    }
}
