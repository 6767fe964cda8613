using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Dapper;
using Engagement.Core.Data;
using Engagement.Web.Infrastructure;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Engagement.Web.Tests;

/// <summary>
/// The public form's blank page is cut into a template once and then filled in per visitor (BlankFormTemplates). These
/// tests pin what must never change because of that: each visitor's nonce, antiforgery token and idempotency key are
/// their own and work, the rest of the page is what Razor renders, staff never get (or leave behind) a template, and a
/// changed or closed consultation stops being offered.
/// </summary>
public sealed partial class BlankFormTemplateTests : IClassFixture<EngagementWebFactory>
{
    private readonly EngagementWebFactory factory;

    public BlankFormTemplateTests(EngagementWebFactory factory)
    {
        this.factory = factory;
        factory.EnsureConsultationAsync().GetAwaiter().GetResult();
    }

    private static readonly FormValues Values = new("0123456789ABCDEF0123456789ABCDEF", "CfDJ8token-value_with-base64url", "fedcba9876543210fedcba9876543210");

    private static byte[] Page(string html) => Encoding.UTF8.GetBytes(html);

    [Fact]
    public void A_template_gives_back_the_page_it_was_cut_from_and_fills_in_new_values()
    {
        var html = $"<html><script nonce=\"{Values.Nonce}\">x</script><p>Café – £5</p><input value=\"{Values.IdempotencyKey}\"><input value=\"{Values.RequestToken}\"></html>";
        var template = FormTemplate.Cut(Page(html), Values)!;

        Assert.Equal(html, template.Render(Values));
        var other = new FormValues("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "CfDJ8another-token-of-other-size", "11111111111111111111111111111111");
        var expected = html.Replace(Values.Nonce, other.Nonce).Replace(Values.IdempotencyKey, other.IdempotencyKey).Replace(Values.RequestToken, other.RequestToken);
        Assert.Equal(expected, template.Render(other));
        Assert.Equal(Encoding.UTF8.GetByteCount(expected), template.LengthWith(other));
    }

    [Theory]
    [InlineData("missing nonce", "<p>{key} {token}</p>")]
    [InlineData("nonce twice", "<p>{nonce} {nonce} {key} {token}</p>")]
    [InlineData("token twice", "<p>{nonce} {key} {token} {token}</p>")]
    [InlineData("missing key", "<p>{nonce} {token}</p>")]
    public void A_page_without_each_value_exactly_once_is_not_made_a_template(string because, string shape)
    {
        var html = shape.Replace("{nonce}", Values.Nonce).Replace("{key}", Values.IdempotencyKey).Replace("{token}", Values.RequestToken);
        Assert.True(FormTemplate.Cut(Page(html), Values) is null, because);
    }

    [Fact]
    public void Values_that_would_need_encoding_or_are_too_short_to_be_unique_are_refused()
    {
        var html = $"<p>{Values.Nonce} {Values.IdempotencyKey} {Values.RequestToken}</p>";
        Assert.Null(FormTemplate.Cut(Page(html), Values with { RequestToken = "short" }));
        var accented = Values with { RequestToken = "CfDJ8token-valué_with-base64url" };
        Assert.Null(FormTemplate.Cut(Page(html.Replace(Values.RequestToken, accented.RequestToken)), accented));
    }

    [Fact]
    public async Task Every_visitor_gets_the_same_form_with_their_own_nonce_token_and_key()
    {
        var visits = new List<Visit>();
        for (var i = 0; i < 3; i++) visits.Add(await VisitAsync(factory.CreateBrowserClient()));

        Assert.True(factory.Services.GetRequiredService<BlankFormTemplates>().HasTemplate(EngagementWebFactory.Slug),
            "After the first visit the blank form should be served from its template.");
        Assert.Single(visits.Select(v => v.Shape).Distinct());
        Assert.Equal(3, visits.Select(v => v.Nonce).Distinct().Count());
        Assert.Equal(3, visits.Select(v => v.Token).Distinct().Count());
        Assert.Equal(3, visits.Select(v => v.Key).Distinct().Count());
        foreach (var visit in visits)
        {
            Assert.Contains($"'nonce-{visit.Nonce}'", visit.Response.Headers.GetValues("Content-Security-Policy").Single());
            Assert.Contains(visit.Response.Headers.GetValues("Set-Cookie"), c => c.StartsWith(SecureCookies.HostPrefix + SecureCookies.Antiforgery + "=", StringComparison.Ordinal));
            Assert.Contains("no-store", visit.Response.Headers.CacheControl!.ToString());
            Assert.Equal(Encoding.UTF8.GetByteCount(visit.Html), visit.Response.Content.Headers.ContentLength);
        }
    }

    [Fact]
    public async Task A_form_served_from_the_template_can_be_sent_with_its_token_and_key()
    {
        await VisitAsync(factory.CreateBrowserClient());
        var client = factory.CreateBrowserClient();
        var visit = await VisitAsync(client);
        Assert.True(factory.Services.GetRequiredService<BlankFormTemplates>().HasTemplate(EngagementWebFactory.Slug));

        var marker = Guid.NewGuid().ToString("N");
        var answers = EngagementWebFactory.ResidentAnswers(visit.Token, "Template-served form " + marker);
        answers["Input.IdempotencyKey"] = visit.Key;
        var sent = await client.PostAsync(EngagementWebFactory.FormUrl + "?handler=Submit", new FormUrlEncodedContent(answers));

        Assert.Equal(HttpStatusCode.Redirect, sent.StatusCode);
        await using var c = await factory.Services.GetRequiredService<Database>().OpenAsync();
        Assert.Equal(visit.Key, await c.ExecuteScalarAsync<string>(
            "SELECT s.idempotency_key FROM submissions s JOIN comments m ON m.submission_id = s.id WHERE m.text LIKE @p", new { p = "%" + marker }));
    }

    [Fact]
    public async Task A_token_from_another_visitor_is_refused()
    {
        var first = await VisitAsync(factory.CreateBrowserClient());
        var second = factory.CreateBrowserClient();
        await VisitAsync(second);

        var sent = await second.PostAsync(EngagementWebFactory.FormUrl + "?handler=Submit",
            new FormUrlEncodedContent(EngagementWebFactory.ResidentAnswers(first.Token, "Someone else's token")));

        Assert.Equal(HttpStatusCode.BadRequest, sent.StatusCode);
    }

    [Fact]
    public async Task Staff_get_the_form_rendered_for_them_and_residents_never_see_staff_parts()
    {
        var staff = await StaffClient.ForRoleAsync(factory, Core.Staff.StaffRoles.EngagementTeam);
        var staffHtml = await (await staff.GetAsync(EngagementWebFactory.FormUrl)).Content.ReadAsStringAsync();
        Assert.Contains("Signed in as", staffHtml);

        var resident = await VisitAsync(factory.CreateBrowserClient());
        Assert.DoesNotContain("Signed in as", resident.Html);
        Assert.DoesNotContain("/staff/sign-out", resident.Html);
        Assert.Single(TokenPattern().Matches(resident.Html));
    }

    [Fact]
    public async Task A_head_request_is_answered_and_does_not_stop_the_template()
    {
        using var site = new EngagementWebFactory();
        await site.EnsureConsultationAsync();
        var client = site.CreateBrowserClient();

        foreach (var _ in new[] { "first (cuts the template)", "second (from the template)" })
        {
            var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, EngagementWebFactory.FormUrl));
            Assert.Equal(HttpStatusCode.OK, head.StatusCode);
            Assert.Equal("text/html", head.Content.Headers.ContentType?.MediaType);
        }
        Assert.False(site.Services.GetRequiredService<BlankFormTemplates>().HasTemplate(EngagementWebFactory.Slug), "HEAD should be rendered, not cut.");
        await VisitAsync(site.CreateBrowserClient());
        Assert.True(site.Services.GetRequiredService<BlankFormTemplates>().HasTemplate(EngagementWebFactory.Slug));
    }

    [Fact]
    public async Task A_changed_or_closed_consultation_stops_being_offered_once_the_remembered_row_is_old()
    {
        var clock = new ManualClock();
        using var site = new EngagementWebFactory().WithWebHostBuilder(b => b.ConfigureTestServices(services =>
            services.AddSingleton(sp => new RecentConsultations(sp.GetRequiredService<ConsultationStore>(), clock))));
        var database = site.Services.GetRequiredService<Database>();
        await EngagementWebFactory.EnsureConsultationAsync(database);
        var client = site.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = true, BaseAddress = EngagementWebFactory.BaseAddress });

        Assert.Contains("Refresh of the Integrated Care Strategy", (await VisitAsync(client)).Html);
        await ExecuteAsync(database, "UPDATE consultations SET title = 'Renamed strategy consultation' WHERE slug = @slug");
        clock.Advance(RecentConsultations.MaxAge);
        var renamed = await VisitAsync(client);
        Assert.Contains("Renamed strategy consultation", renamed.Html);
        Assert.DoesNotContain("Refresh of the Integrated Care Strategy", renamed.Html);

        await ExecuteAsync(database, "UPDATE consultations SET status = 'closed' WHERE slug = @slug");
        // Sending is checked against the database at once, even while the form is still offered.
        var sent = await client.PostAsync(EngagementWebFactory.FormUrl + "?handler=Submit",
            new FormUrlEncodedContent(EngagementWebFactory.ResidentAnswers(renamed.Token, "Sent after closing")));
        Assert.Equal(HttpStatusCode.NotFound, sent.StatusCode);
        clock.Advance(RecentConsultations.MaxAge);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(EngagementWebFactory.FormUrl)).StatusCode);
    }

    private static async Task ExecuteAsync(Database database, string sql)
    {
        await using var c = await database.OpenAsync();
        await c.ExecuteAsync(sql, new { slug = EngagementWebFactory.Slug });
    }

    private sealed record Visit(HttpResponseMessage Response, string Html, string Nonce, string Token, string Key)
    {
        /// <summary>The page with this visitor's own values blanked out: what every visitor should share.</summary>
        public string Shape => Html.Replace(Nonce, "{nonce}").Replace(Token, "{token}").Replace(Key, "{key}");
    }

    private static async Task<Visit> VisitAsync(HttpClient client)
    {
        var response = await client.GetAsync(EngagementWebFactory.FormUrl);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        var nonce = NoncePattern().Match(html).Groups[1].Value;
        var key = KeyPattern().Match(html).Groups[1].Value;
        var token = WebUtility.HtmlDecode(TokenPattern().Match(html).Groups[1].Value);
        Assert.False(string.IsNullOrEmpty(nonce) || string.IsNullOrEmpty(key) || string.IsNullOrEmpty(token), "The form lacks a nonce, key or token.");
        return new Visit(response, html, nonce, token, key);
    }

    [GeneratedRegex("<script nonce=\"([0-9A-F]+)\">")]
    private static partial Regex NoncePattern();

    [GeneratedRegex("name=\"Input.IdempotencyKey\" value=\"([0-9a-f]{32})\"")]
    private static partial Regex KeyPattern();

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();

    private sealed class ManualClock : TimeProvider
    {
        private long ticks = TimeSpan.TicksPerDay;
        public override long TimestampFrequency => TimeSpan.TicksPerSecond;
        public override long GetTimestamp() => Interlocked.Read(ref ticks);
        public void Advance(TimeSpan by) => Interlocked.Add(ref ticks, by.Ticks);
    }
}
