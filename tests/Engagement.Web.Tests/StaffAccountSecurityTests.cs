using System.Net;
using Engagement.Core.Staff;
using Microsoft.Extensions.DependencyInjection;

namespace Engagement.Web.Tests;

/// <summary>Lockout, sign-in rate limit, disabled accounts, returnUrl, and the security log those write to.</summary>
public sealed class StaffAccountSecurityTests : IClassFixture<EngagementWebFactory>
{
    private readonly EngagementWebFactory factory;

    public StaffAccountSecurityTests(EngagementWebFactory factory)
    {
        this.factory = factory;
        factory.EnsureConsultationAsync().GetAwaiter().GetResult();
    }

    private StaffUserStore Users => factory.Services.GetRequiredService<StaffUserStore>();
    private SecurityEventStore Events => factory.Services.GetRequiredService<SecurityEventStore>();

    private static async Task<HttpResponseMessage> PostSignInAsync(HttpClient client, string email, string password, string? returnUrl = null)
    {
        var token = await EngagementWebFactory.TokenFromAsync(await client.GetAsync("/staff/sign-in"));
        var form = new Dictionary<string, string> { ["__RequestVerificationToken"] = token, ["Input.Email"] = email, ["Input.Password"] = password };
        if (returnUrl is not null) form["ReturnUrl"] = returnUrl;
        return await client.PostAsync("/staff/sign-in", new FormUrlEncodedContent(form));
    }

    private async Task<IReadOnlyList<SecurityEvent>> EventsForAsync(string email) =>
        (await Events.ListAsync(null, 500)).Where(e => e.Email == email).ToList();

    private static string NewEmail(string what) => $"{what}-{Guid.NewGuid():N}@example.org";

    [Fact]
    public async Task Five_wrong_passwords_lock_the_account_even_for_the_right_password_and_are_logged()
    {
        var email = NewEmail("lockout");
        await Users.AddOrUpdateAsync(email, StaffRoles.EngagementTeam, StaffClient.Password);
        var client = factory.CreateBrowserClient();
        for (var i = 0; i < StaffUserStore.MaxFailedSignIns; i++)
            Assert.Equal(HttpStatusCode.OK, (await PostSignInAsync(client, email, "wrong password " + i)).StatusCode);

        var right = await PostSignInAsync(client, email, StaffClient.Password);
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.Contains("Your account is locked", await right.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/staff")).StatusCode);

        var kinds = (await EventsForAsync(email)).Select(e => e.Kind).ToList();
        Assert.Equal(4, kinds.Count(k => k == SecurityEventKinds.SignInFailed));
        Assert.Equal(2, kinds.Count(k => k == SecurityEventKinds.LockedOut));
        Assert.DoesNotContain(SecurityEventKinds.SignedIn, kinds);
    }

    [Fact]
    public async Task Sign_in_attempts_are_rate_limited_with_429_retry_after_and_a_govuk_page()
    {
        await using var limited = new EngagementWebFactory { SignInAttemptsPerWindow = 3 };
        var client = limited.CreateBrowserClient();
        var token = await EngagementWebFactory.TokenFromAsync(await client.GetAsync("/staff/sign-in"));
        HttpResponseMessage? last = null;
        for (var i = 0; i < 4; i++)
        {
            last = await client.PostAsync("/staff/sign-in", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = token, ["Input.Email"] = "guess@example.org", ["Input.Password"] = "guess " + i,
            }));
            if (i < 3) Assert.Equal(HttpStatusCode.OK, last.StatusCode);
        }
        Assert.Equal(HttpStatusCode.TooManyRequests, last!.StatusCode);
        Assert.True(last.Headers.RetryAfter?.Delta is { TotalSeconds: > 0 and <= 60 }, "Retry-After: " + last.Headers.RetryAfter);
        var html = await last.Content.ReadAsStringAsync();
        Assert.Contains("govuk-heading-l", html);
        Assert.Contains("Wait a minute and try again", html);
        // Reading the sign-in page is never limited.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/staff/sign-in")).StatusCode);
        Assert.Contains(await limited.Services.GetRequiredService<SecurityEventStore>().ListAsync(SecurityEventKinds.RateLimited, 10),
            e => e.Path == "/staff/sign-in");
    }

    [Theory]
    [InlineData("https://evil.example.com/staff")]
    [InlineData("//evil.example.com/staff")]
    [InlineData("/\\evil.example.com")]
    [InlineData("javascript:alert(1)")]
    [InlineData("http:/evil.example.com")]
    public async Task A_return_url_to_another_site_is_refused(string returnUrl)
    {
        var email = NewEmail("redirect");
        await Users.AddOrUpdateAsync(email, StaffRoles.EngagementTeam, StaffClient.Password);
        var response = await PostSignInAsync(factory.CreateBrowserClient(), email, StaffClient.Password, returnUrl);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/staff", response.Headers.Location!.ToString());
    }

    [Fact]
    public async Task A_local_return_url_is_followed()
    {
        var email = NewEmail("local-redirect");
        await Users.AddOrUpdateAsync(email, StaffRoles.EngagementTeam, StaffClient.Password);
        var response = await PostSignInAsync(factory.CreateBrowserClient(), email, StaffClient.Password, "/staff/consultations/test-consultation/responses?District=FH");
        Assert.Equal("/staff/consultations/test-consultation/responses?District=FH", response.Headers.Location!.ToString());
    }

    [Fact]
    public async Task Disabling_an_account_ends_its_session_at_the_next_request_and_is_logged()
    {
        var email = NewEmail("disabled");
        var user = await Users.AddOrUpdateAsync(email, StaffRoles.EngagementTeam, StaffClient.Password);
        var client = await StaffClient.SignInAsync(factory, email);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/staff")).StatusCode);

        await Users.SetDisabledAsync(user.Id, true);

        var after = await client.GetAsync("/staff");
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.StartsWith("https://localhost/staff/sign-in", after.Headers.Location!.ToString());
        Assert.Equal(HttpStatusCode.OK, (await PostSignInAsync(client, email, StaffClient.Password)).StatusCode); // refused: stays on the form
        var kinds = (await EventsForAsync(email)).Select(e => e.Kind).ToList();
        Assert.Contains(SecurityEventKinds.SessionEnded, kinds);
        Assert.Contains(SecurityEventKinds.SignInRefusedDisabled, kinds);
    }

    [Fact]
    public async Task Sign_ins_role_denials_and_exports_are_logged_and_admins_can_read_the_log()
    {
        var teamEmail = NewEmail("team");
        await Users.AddOrUpdateAsync(teamEmail, StaffRoles.EngagementTeam, StaffClient.Password);
        var team = await StaffClient.SignInAsync(factory, teamEmail);
        Assert.Equal(HttpStatusCode.Forbidden, (await team.GetAsync("/staff/security-events")).StatusCode);
        var download = await team.GetAsync("/staff/consultations/test-consultation/report?handler=Download&format=csv");
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);

        var events = await EventsForAsync(teamEmail);
        Assert.Contains(events, e => e.Kind == SecurityEventKinds.SignedIn && e.StaffUserId is not null);
        Assert.Contains(events, e => e.Kind == SecurityEventKinds.RoleDenied && e.Path == "/staff/security-events" && e.Detail!.Contains("EngagementTeam"));
        Assert.Contains(events, e => e.Kind == SecurityEventKinds.Export && e.Detail!.Contains(".csv"));

        var admin = await StaffClient.ForRoleAsync(factory, StaffRoles.Admin);
        var page = await admin.GetAsync("/staff/security-events?kind=export");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains(teamEmail, html);
        Assert.DoesNotContain("<td class=\"govuk-table__cell\">signed-in</td>", html);
        Assert.Contains("<td class=\"govuk-table__cell\">export</td>", html);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/staff/security-events?kind=<script>&page=-5")).StatusCode);
    }
}
