using System.Net;
using System.Text.RegularExpressions;
using Engagement.Core.Data;
using Engagement.Core.Staff;
using Engagement.Core.Triage;

namespace Engagement.Web.Tests;

/// <summary>
/// Two real web processes on one SQLite file, as two instances behind a load balancer would run on one database: what
/// one instance stores, counts, holds or promotes, the other sees.
/// </summary>
public sealed partial class ScaleOutTests : IDisposable
{
    private const string Email = "scale-out@example.org";
    private static readonly string FormUrl = $"/consultations/{EngagementWebFactory.Slug}/respond";
    private readonly string dataDirectory = Path.Combine(Path.GetTempPath(), "engagement-scale-out-tests", Guid.NewGuid().ToString("N"));

    private static readonly Dictionary<string, string> Settings = new()
    {
        ["RateLimits:PublicPostsPerWindow"] = "5",
        ["Triage:RetrainFolds"] = "2",
        ["Triage:ModelSyncSeconds"] = "1",
    };

    [Fact]
    public async Task Two_instances_on_one_database_share_responses_sessions_rate_limits_the_retrain_lease_and_the_served_model()
    {
        // A first, so it creates the schema; B then starts on an up-to-date database (see docs/operations.md).
        await using var a = await WebProcess.StartAsync(dataDirectory, Settings);
        await using var b = await WebProcess.StartAsync(dataDirectory, Settings);
        await EngagementWebFactory.EnsureConsultationAsync(a.Database);
        await new StaffUserStore(a.Database).AddOrUpdateAsync(Email, StaffRoles.EngagementTeam, StaffClient.Password);

        // A resident's response sent to A (the first of five public posts allowed per window, counted across both).
        var resident = new CookieContainer();
        var reference = await EngagementWebFactory.SubmitResponseAsync(a.CreateClient(resident), "Sent to instance A: the hospital car park is always full.");
        Assert.NotNull(reference);

        // The rate limit is one window for both instances: posts 2 to 5, alternating, go through; the sixth is refused
        // wherever it lands. The form token from A is accepted by B, because the Data Protection keys are shared.
        var token = await EngagementWebFactory.TokenFromAsync(await a.CreateClient(resident).GetAsync(FormUrl));
        var statuses = new List<HttpStatusCode>();
        foreach (var instance in new[] { b, a, b, a, b, a })
        {
            var response = await instance.CreateClient(resident).PostAsync(FormUrl + "?handler=Check",
                new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
                Assert.True(response.Headers.RetryAfter?.Delta is { TotalSeconds: > 0 and <= 60 }, "Retry-After: " + response.Headers.RetryAfter);
        }
        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.OK, 4), HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);

        // A staff member signs in on A; the same session cookie works on B, which shows the response sent to A.
        var staff = new CookieContainer();
        await SignInAsync(a.CreateClient(staff));
        var onB = b.CreateClient(staff);
        var responses = await onB.GetAsync($"/staff/consultations/{EngagementWebFactory.Slug}/responses");
        Assert.True(responses.StatusCode == HttpStatusCode.OK, $"A's staff session was not accepted by B: {(int)responses.StatusCode} {responses.Headers.Location}");
        Assert.Contains(reference, await responses.Content.ReadAsStringAsync());

        // A retrain started on A holds the lease: B says so and refuses to start another.
        var onA = a.CreateClient(staff);
        var modelsOnA = await onA.GetAsync("/staff/models");
        var baseline = Serving(await modelsOnA.Content.ReadAsStringAsync());
        var staffToken = await EngagementWebFactory.TokenFromAsync(modelsOnA);
        Assert.Equal(HttpStatusCode.Redirect, (await onA.PostAsync("/staff/models?handler=Retrain", Form(staffToken))).StatusCode);
        var leases = new JobLeaseStore(a.Database);
        var held = await leases.FindActiveAsync(RetrainJob.LeaseName);
        Assert.Contains($":{a.ProcessId}:", held?.Holder);
        Assert.Contains("A retrain is running on another instance of the site", await onB.GetStringAsync("/staff/models"));
        Assert.Equal(HttpStatusCode.Redirect, (await onB.PostAsync("/staff/models?handler=Retrain", Form(staffToken))).StatusCode);
        var refused = await onB.GetStringAsync("/staff/models");
        Assert.Contains(Engagement.Web.Pages.Staff.Triage.ModelsModel.RunningElsewhereMessage, refused);
        Assert.DoesNotContain($":{b.ProcessId}:", (await leases.FindActiveAsync(RetrainJob.LeaseName))?.Holder ?? "");

        // When A's candidate is ready, promoting it on A makes B serve it too, within B's model sync interval.
        var versions = new ModelVersionStore(a.Database);
        var candidate = await WaitForAsync(async () => (await versions.ListAsync()).FirstOrDefault(v => v.Status == ModelStatuses.Candidate),
            TimeSpan.FromMinutes(5), () => "no candidate from A's retrain:\n" + a.Output);
        Assert.Null(await leases.FindActiveAsync(RetrainJob.LeaseName)); // released when it finished
        Assert.Equal(HttpStatusCode.Redirect, (await onA.PostAsync($"/staff/models?handler=Promote&id={candidate.Id}", Form(staffToken))).StatusCode);
        Assert.Equal(candidate.Version, Serving(await onA.GetStringAsync("/staff/models")));
        Assert.NotEqual(baseline, candidate.Version);
        await WaitForAsync(async () => Serving(await onB.GetStringAsync("/staff/models")) == candidate.Version ? "" : null,
            TimeSpan.FromSeconds(30), () => "B still serves " + baseline);
    }

    private static async Task SignInAsync(HttpClient client)
    {
        var token = await EngagementWebFactory.TokenFromAsync(await client.GetAsync("/staff/sign-in"));
        var response = await client.PostAsync("/staff/sign-in", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["Input.Email"] = Email, ["Input.Password"] = StaffClient.Password,
        }));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }

    private static FormUrlEncodedContent Form(string token) => new(new Dictionary<string, string> { ["__RequestVerificationToken"] = token });

    private static string Serving(string html) => ServingPattern().Match(html) is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value) : "";

    [GeneratedRegex("id=\"serving\">([^<]*)<")]
    private static partial Regex ServingPattern();

    private static async Task<T> WaitForAsync<T>(Func<Task<T?>> probe, TimeSpan timeout, Func<string> failure) where T : class
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (await probe() is { } found) return found;
            await Task.Delay(250);
        }
        Assert.Fail(failure());
        throw new TimeoutException();
    }

    public void Dispose()
    {
        try { Directory.Delete(dataDirectory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
