using System.Net;
using Engagement.Core.Data;
using Engagement.Core.Staff;
using Microsoft.Extensions.DependencyInjection;

namespace Engagement.Web.Tests;

/// <summary>
/// The site stopped and started again on the same database (or a second instance beside the first): cookies and
/// antiforgery tokens issued before are still accepted, because the Data Protection keys live in the database.
/// </summary>
public sealed class RestartTests
{
    private const string FormUrl = EngagementWebFactory.FormUrl;

    [Fact]
    public async Task After_a_restart_staff_stay_signed_in_and_an_open_form_still_submits()
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "engagement-web-tests", $"restart-{Guid.NewGuid():N}");
        var staffCookies = new CookieContainer();
        var residentCookies = new CookieContainer();
        try
        {
            string token;
            await using (var before = new EngagementWebFactory { DataDirectory = dataDirectory })
            {
                await before.EnsureConsultationAsync();
                var email = $"restart-{Guid.NewGuid():N}@example.org";
                await before.Services.GetRequiredService<StaffUserStore>().AddOrUpdateAsync(email, StaffRoles.EngagementTeam, StaffClient.Password);
                var staff = await StaffClient.SignInAsync(before.CreateBrowserClient(staffCookies), email);
                Assert.Equal(HttpStatusCode.OK, (await staff.GetAsync("/staff")).StatusCode);

                // The resident opens the form, then the site restarts before they send it.
                token = await EngagementWebFactory.TokenFromAsync(await before.CreateBrowserClient(residentCookies).GetAsync(FormUrl));
            }

            await using var after = new EngagementWebFactory { DataDirectory = dataDirectory };

            var staffPage = await after.CreateBrowserClient(staffCookies).GetAsync("/staff");
            Assert.True(staffPage.StatusCode == HttpStatusCode.OK,
                $"The staff session did not survive the restart: {(int)staffPage.StatusCode} {staffPage.Headers.Location}");

            var submit = await after.CreateBrowserClient(residentCookies).PostAsync(FormUrl + "?handler=Submit",
                new FormUrlEncodedContent(EngagementWebFactory.ResidentAnswers(token, "Sent after the site restarted")));
            Assert.True(submit.StatusCode == HttpStatusCode.Redirect, $"The open form was refused after the restart: {(int)submit.StatusCode}");
            var location = submit.Headers.Location!.ToString();
            Assert.Contains($"/consultations/{EngagementWebFactory.Slug}/confirmation/", location);
            var reference = location[(location.LastIndexOf('/') + 1)..];
            Assert.NotNull(await after.Services.GetRequiredService<SubmissionStore>().FindByReferenceAsync(reference));

            // One key, made by the first run and read from the database by the second (not a per-machine key folder).
            Assert.Single(after.Services.GetRequiredService<DataProtectionKeyStore>().GetAllElements());
        }
        finally
        {
            try { Directory.Delete(dataDirectory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    [Fact]
    public async Task Two_instances_on_one_database_accept_each_others_cookies_and_tokens()
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "engagement-web-tests", $"two-instances-{Guid.NewGuid():N}");
        var staffCookies = new CookieContainer();
        var residentCookies = new CookieContainer();
        try
        {
            await using var first = new EngagementWebFactory { DataDirectory = dataDirectory };
            await using var second = new EngagementWebFactory { DataDirectory = dataDirectory };
            await first.EnsureConsultationAsync();
            _ = second.Services; // both running at once, as behind a load balancer

            // Signed in through the first, the next request lands on the second.
            var email = $"two-{Guid.NewGuid():N}@example.org";
            await first.Services.GetRequiredService<StaffUserStore>().AddOrUpdateAsync(email, StaffRoles.Admin, StaffClient.Password);
            await StaffClient.SignInAsync(first.CreateBrowserClient(staffCookies), email);
            Assert.Equal(HttpStatusCode.OK, (await second.CreateBrowserClient(staffCookies).GetAsync("/staff")).StatusCode);

            // The form from the second, sent to the first.
            var token = await EngagementWebFactory.TokenFromAsync(await second.CreateBrowserClient(residentCookies).GetAsync(FormUrl));
            var check = await first.CreateBrowserClient(residentCookies).PostAsync(FormUrl + "?handler=Check",
                new FormUrlEncodedContent(EngagementWebFactory.ResidentAnswers(token, "Sent to the other instance")));
            Assert.Equal(HttpStatusCode.OK, check.StatusCode);
        }
        finally
        {
            try { Directory.Delete(dataDirectory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}
