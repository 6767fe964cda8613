using System.Net;
using System.Text.RegularExpressions;
using Engagement.Core.Staff;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Engagement.Web.Tests;

public sealed partial class SecurityHeaderTests : IClassFixture<EngagementWebFactory>
{
    private readonly EngagementWebFactory factory;

    public SecurityHeaderTests(EngagementWebFactory factory)
    {
        this.factory = factory;
        factory.EnsureConsultationAsync().GetAwaiter().GetResult();
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/consultations/test-consultation/respond")]
    [InlineData("/staff/sign-in")]
    [InlineData("/no-such-page")]
    [InlineData("/css/site.css")]
    public async Task Every_response_has_the_security_headers(string path)
    {
        var response = await factory.CreateBrowserClient().GetAsync(path);
        var csp = Header(response, "Content-Security-Policy");
        Assert.DoesNotContain("unsafe-inline", csp);
        Assert.DoesNotContain("unsafe-eval", csp);
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.Contains("default-src 'self'", csp);
        Assert.Contains("object-src 'none'", csp);
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        Assert.Equal("DENY", Header(response, "X-Frame-Options"));
        Assert.Equal("same-origin", Header(response, "Referrer-Policy"));
    }

    [Fact]
    public async Task Inline_script_and_style_carry_this_requests_nonce_and_nothing_else_is_inline()
    {
        var client = factory.CreateBrowserClient();
        var first = await client.GetAsync("/consultations/test-consultation/respond");
        var second = await client.GetAsync("/consultations/test-consultation/respond");
        var nonce = NonceIn(Header(first, "Content-Security-Policy"));
        Assert.NotEqual(nonce, NonceIn(Header(second, "Content-Security-Policy")));

        var html = await first.Content.ReadAsStringAsync();
        CspAssert.Clean(html, nonce);
        Assert.Contains($"<script nonce=\"{nonce}\">", html);
        Assert.Contains("govuk-frontend-supported", html);
    }

    [Fact]
    public async Task The_report_page_style_block_has_the_nonce_and_its_charts_have_no_style_attributes()
    {
        await factory.Services.GetRequiredService<StaffUserStore>().AddOrUpdateAsync("headers-admin@example.org", StaffRoles.Admin, "a long test password");
        var client = await StaffClient.SignInAsync(factory, "headers-admin@example.org", "a long test password");
        var response = await client.GetAsync("/staff/consultations/test-consultation/report");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        CspAssert.Clean(html, NonceIn(Header(response, "Content-Security-Policy")));
        Assert.Equal("no-store", Header(response, "Cache-Control"));
    }

    [Fact]
    public async Task Hsts_is_sent_over_https_outside_development()
    {
        // UseHsts leaves out localhost on purpose, so ask for the site by a real-looking name.
        var client = factory.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://engagement.example.org"), AllowAutoRedirect = false });
        var response = await client.GetAsync("/");
        Assert.StartsWith("max-age=31536000", Header(response, "Strict-Transport-Security"));
        Assert.Contains("includeSubDomains", Header(response, "Strict-Transport-Security"));
    }

    [Fact]
    public async Task Hsts_is_not_sent_in_development()
    {
        await using var development = new EngagementWebFactory { Environment = "Development" };
        var client = development.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://engagement.example.org"), AllowAutoRedirect = false });
        var response = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("Strict-Transport-Security"));
        Assert.Contains("frame-ancestors 'none'", Header(response, "Content-Security-Policy"));
    }

    [Fact]
    public async Task Antiforgery_and_staff_cookies_are_host_prefixed_secure_httponly_and_samesite()
    {
        var form = await factory.CreateBrowserClient().GetAsync("/consultations/test-consultation/respond");
        AssertHardened(SetCookies(form).Single(c => c.StartsWith("__Host-engagement-antiforgery=", StringComparison.Ordinal)));

        await factory.Services.GetRequiredService<StaffUserStore>().AddOrUpdateAsync("cookie-check@example.org", StaffRoles.EngagementTeam, "a long test password");
        var client = factory.CreateBrowserClient();
        var token = await EngagementWebFactory.TokenFromAsync(await client.GetAsync("/staff/sign-in"));
        var signIn = await client.PostAsync("/staff/sign-in", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["Input.Email"] = "cookie-check@example.org", ["Input.Password"] = "a long test password",
        }));
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        AssertHardened(SetCookies(signIn).Single(c => c.StartsWith("__Host-engagement-staff=", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Plain_http_is_redirected_to_https_for_reading_and_refused_for_sending()
    {
        // Behind a proxy that forwards X-Forwarded-Proto the site sees https; anything else arriving in clear is not served.
        var client = factory.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("http://localhost"), AllowAutoRedirect = false });
        var get = await client.GetAsync("/consultations/test-consultation/respond?x=1");
        Assert.Equal(HttpStatusCode.PermanentRedirect, get.StatusCode);
        Assert.Equal("https://localhost/consultations/test-consultation/respond?x=1", get.Headers.Location!.ToString());
        Assert.Empty(SetCookies(get));

        var post = await client.PostAsync("/consultations/test-consultation/respond", new FormUrlEncodedContent(new Dictionary<string, string> { ["a"] = "b" }));
        Assert.Equal(HttpStatusCode.BadRequest, post.StatusCode);
        Assert.Contains("https", await post.Content.ReadAsStringAsync());

        Assert.NotEqual(HttpStatusCode.PermanentRedirect, (await client.GetAsync("/health")).StatusCode);
    }

    private static void AssertHardened(string setCookie)
    {
        var attributes = setCookie.Split(';').Skip(1).Select(a => a.Trim().ToLowerInvariant()).ToList();
        Assert.Contains("secure", attributes);
        Assert.Contains("httponly", attributes);
        Assert.Contains("samesite=strict", attributes);
        Assert.Contains("path=/", attributes);
        Assert.DoesNotContain(attributes, a => a.StartsWith("domain=", StringComparison.Ordinal));
    }

    private static IEnumerable<string> SetCookies(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var values) ? values : [];

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
            ? string.Join(", ", values)
            : throw new Xunit.Sdk.XunitException($"{response.RequestMessage?.RequestUri} has no {name} header.");

    private static string NonceIn(string csp) => NoncePattern().Match(csp) is { Success: true } m ? m.Groups[1].Value : throw new Xunit.Sdk.XunitException("No nonce in " + csp);

    [GeneratedRegex("'nonce-([^']+)'")]
    private static partial Regex NoncePattern();
}
