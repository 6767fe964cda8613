using System.Collections.Concurrent;
using System.Net;
using System.Text.RegularExpressions;
using Engagement.Core.Data;
using Engagement.Core.Domain;
using Engagement.Core.Emerging;
using Engagement.Core.Staff;
using Engagement.Core.Triage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

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

    private Task SeedOnceAsync() => SeedAsync(factory);

    /// <summary>15 low-confidence comments per planted topic, once per site.</summary>
    private static async Task<long> SeedAsync(EngagementWebFactory factory)
    {
        var consultation = await factory.EnsureConsultationAsync();
        await factory.Services.GetRequiredService<ThemeStore>().SeedAsync([new ThemeSeed("test-gp-access", "GP access", 4, "", [], null)]);
        if ((await factory.Services.GetRequiredService<ConsultationStore>().ListWithCountsAsync()).Single(c => c.Slug == EngagementWebFactory.Slug).Comments > 0) return consultation.Id;
        var random = new Random(5);
        for (var n = 0; n < 30; n++)
        {
            var topic = Topics[n % 2];
            await AddUnfittedAsync(factory, consultation.Id, "The " + string.Join(' ', Enumerable.Range(0, 6).Select(_ => topic[random.Next(topic.Length)])) + " problem in town.", n % 3 == 0 ? "T" : "SW");
        }
        return consultation.Id;
    }

    private static Task AddUnfittedAsync(EngagementWebFactory factory, long consultationId, string text, string district = "T") =>
        factory.Services.GetRequiredService<SubmissionStore>().CreateAsync(new NewSubmission
        {
            ConsultationId = consultationId, RespondentType = RespondentTypes.Resident, District = district,
            Comments = [new NewComment(text, null) { Suggestion = new CommentSuggestion(4, "test-gp-access", 0.1, true, "test") }],
        });

    private const string GroupsShown = "groups (chosen as the number of groups with the best silhouette";

    /// <summary>The page once <paramref name="ready"/> holds (by default: groups shown and current), refreshing as a person would.</summary>
    private static async Task<string> RefreshUntilAsync(HttpClient client, Func<string, bool>? ready = null)
    {
        ready ??= html => html.Contains(GroupsShown, StringComparison.Ordinal) && !html.Contains("id=\"emerging-older\"", StringComparison.Ordinal);
        var html = "";
        for (var i = 0; i < 300; i++)
        {
            html = await client.GetStringAsync(Page);
            if (ready(html)) return html;
            await Task.Delay(200);
        }
        Assert.Fail("The page never got there; last seen:\n" + html);
        return html;
    }

    private static string FingerprintIn(string html) => Regex.Match(html, "name=\"Input.Fingerprint\" value=\"([^\"]+)\"").Groups[1].Value;

    private static FormUrlEncodedContent Form(string token, params (string Key, string Value)[] fields) =>
        new(fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value)).Append(new("__RequestVerificationToken", token)));

    [Fact]
    public async Task The_team_sees_named_clusters_with_typical_comments_and_districts_but_cannot_promote()
    {
        await SeedOnceAsync();
        var team = await SignedInClientAsync("team-emerging@example.org", StaffRoles.EngagementTeam);
        Assert.Contains($"href=\"{Page}\"", await team.GetStringAsync("/staff"));
        var html = await RefreshUntilAsync(team, html => html.Contains(GroupsShown, StringComparison.Ordinal));
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
        await RefreshUntilAsync(admin, html => html.Contains(GroupsShown, StringComparison.Ordinal));
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
        var fields = ids.Skip(1).Select(id => ("Input.CommentIds", id)).Append(("Input.Cluster", "1")).Append(("Input.Name", name)).Append(("Input.Outcome", "4"))
            .Append(("Input.Fingerprint", FingerprintIn(html))).ToArray();
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

    /// <summary>Clusters for real, but only when the test lets it (Hold/Release); counts calls and can be told to fail.</summary>
    private sealed class HeldFinder : IEmergingThemeFinder
    {
        private volatile TaskCompletionSource gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private volatile TaskCompletionSource started = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int calls;
        public int Calls => Volatile.Read(ref calls);
        public volatile Exception? Throw;

        public void Hold()
        {
            gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
            started = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        public void Release() => gate.TrySetResult();

        /// <summary>Completes when a computation has reached the finder since the last Hold.</summary>
        public Task Started => started.Task.WaitAsync(TimeSpan.FromSeconds(30));

        public async Task<EmergingResult> FindAsync(IReadOnlyList<UnfittedComment> comments, EmergingThemeOptions options, CancellationToken ct)
        {
            Interlocked.Increment(ref calls);
            started.TrySetResult();
            await gate.Task.WaitAsync(ct);
            if (Throw is { } error) throw error;
            return EmergingThemeFinder.Find(comments, options);
        }
    }

    private sealed class ListLoggerProvider : ILoggerProvider
    {
        public ConcurrentQueue<(string Category, LogLevel Level, Exception? Error)> Entries { get; } = new();
        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);
        public void Dispose() { }

        private sealed class Logger(ListLoggerProvider provider, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;
            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (IsEnabled(logLevel)) provider.Entries.Enqueue((category, logLevel, exception));
            }
        }
    }

    private static EngagementWebFactory SiteWith(HeldFinder finder, string? dataDirectory = null, ILoggerProvider? logs = null) => new()
    {
        DataDirectory = dataDirectory,
        TestServices = services =>
        {
            services.AddSingleton<IEmergingThemeFinder>(finder);
            if (logs is not null) services.AddSingleton(logs);
        },
    };

    [Fact]
    public async Task The_first_view_answers_at_once_while_the_groups_are_worked_out_in_the_background_and_a_later_view_shows_them()
    {
        var finder = new HeldFinder();
        await using var site = SiteWith(finder);
        try
        {
            await SeedAsync(site);
            var team = await StaffClient.ForRoleAsync(site, StaffRoles.EngagementTeam);

            // The finder is held: a request that waited for it would not answer.
            var first = await team.GetStringAsync(Page).WaitAsync(TimeSpan.FromSeconds(20));
            Assert.Contains("Finding emerging themes in 30 comments. This usually takes about 10 seconds. Refresh this page in a minute.", first);
            Assert.Contains($"<a class=\"govuk-link\" href=\"{Page}\">Refresh</a>", first);
            Assert.DoesNotContain(GroupsShown, first);
            await finder.Started;

            // A second view joins the running computation instead of starting another.
            Assert.Contains("Finding emerging themes in 30 comments", await team.GetStringAsync(Page).WaitAsync(TimeSpan.FromSeconds(20)));
            Assert.Equal(1, finder.Calls);

            finder.Release();
            var html = await RefreshUntilAsync(team);
            Assert.Contains("30 comments in", html);
            Assert.DoesNotContain("Finding emerging themes", html);
            Assert.Equal(1, finder.Calls);
        }
        finally { finder.Release(); }
    }

    [Fact]
    public async Task An_older_result_is_shown_with_a_notice_while_a_newer_one_is_worked_out_and_a_promotion_from_a_replaced_result_is_refused()
    {
        var finder = new HeldFinder();
        finder.Release();
        await using var site = SiteWith(finder);
        try
        {
            var consultationId = await SeedAsync(site);
            var admin = await StaffClient.ForRoleAsync(site, StaffRoles.Admin);
            var old = await RefreshUntilAsync(admin);
            var oldFingerprint = FingerprintIn(old);
            Assert.NotEqual("", oldFingerprint);

            finder.Hold();
            await AddUnfittedAsync(site, consultationId, "The hearing aids batteries audiology deaf problem again.");
            var stale = await admin.GetStringAsync(Page).WaitAsync(TimeSpan.FromSeconds(20));
            Assert.Contains(GroupsShown, stale);
            Assert.Matches("These groups were worked out on \\d+ [A-Z][a-z]+ \\d{4} at \\d\\d:\\d\\d \\(UTC\\), when 30 comments fitted no theme\\. Newer groups for the 31 comments that fit no theme now are being worked out", stale);
            await finder.Started;
            Assert.Equal(2, finder.Calls);

            finder.Release();
            var current = await RefreshUntilAsync(admin);
            Assert.Contains("31 comments in", current);
            Assert.NotEqual(oldFingerprint, FingerprintIn(current));

            // A form from the older page names a group of a result that has been replaced: nothing is labelled.
            var token = await EngagementWebFactory.TokenFromAsync(await admin.GetAsync(Page));
            var oldIds = Regex.Matches(old, "id=\"comment-1-(\\d+)\"").Select(m => m.Groups[1].Value).ToList();
            var name = "Replaced " + Guid.NewGuid().ToString("N")[..6];
            var refused = await admin.PostAsync(Page + "?handler=Promote", Form(token, oldIds.Select(id => ("Input.CommentIds", id))
                .Append(("Input.Cluster", "1")).Append(("Input.Name", name)).Append(("Input.Outcome", "4")).Append(("Input.Fingerprint", oldFingerprint)).ToArray()));
            Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
            var refusedHtml = await refused.Content.ReadAsStringAsync();
            Assert.Contains("The groups have been worked out again since you opened this page, so nothing was changed", refusedHtml);
            Assert.Contains($"value=\"{name}\"", refusedHtml); // what was typed is kept
            Assert.Null(await site.Services.GetRequiredService<ThemeAdminStore>().GetAsync(ThemeAdminStore.IdFromName(name)));

            // With the current result, a comment that is not in the group is refused too.
            var otherGroupId = Regex.Match(current, "id=\"comment-2-(\\d+)\"").Groups[1].Value;
            var mixed = await admin.PostAsync(Page + "?handler=Promote", Form(token, ("Input.CommentIds", otherGroupId), ("Input.Cluster", "1"), ("Input.Name", name),
                ("Input.Outcome", "4"), ("Input.Fingerprint", FingerprintIn(current))));
            Assert.Contains("Select only comments listed in group 1", await mixed.Content.ReadAsStringAsync());
            Assert.Null(await site.Services.GetRequiredService<ThemeAdminStore>().GetAsync(ThemeAdminStore.IdFromName(name)));
        }
        finally { finder.Release(); }
    }

    [Fact]
    public async Task A_failure_is_logged_and_the_page_says_the_groups_could_not_be_worked_out_and_the_next_view_tries_again()
    {
        var finder = new HeldFinder { Throw = new InvalidOperationException("k-means fell over") };
        finder.Release();
        var logs = new ListLoggerProvider();
        await using var site = SiteWith(finder, logs: logs);
        var consultationId = await SeedAsync(site);
        var team = await StaffClient.ForRoleAsync(site, StaffRoles.EngagementTeam);
        var job = site.Services.GetRequiredService<EmergingThemeJob>();

        Assert.Contains("Finding emerging themes in 30 comments", await team.GetStringAsync(Page));
        await job.WhenIdleAsync(consultationId).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Contains(logs.Entries, e => e.Category == typeof(EmergingThemeJob).FullName && e.Level == LogLevel.Error && e.Error?.Message == "k-means fell over");

        finder.Throw = null;
        var failed = await team.GetStringAsync(Page);
        Assert.Contains("The emerging themes could not be worked out.", failed);
        Assert.Contains("It is being tried again now for the 30 comments that fit no theme", failed);
        Assert.DoesNotContain("k-means fell over", failed); // the detail is for the log, not the page
        await job.WhenIdleAsync(consultationId).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(2, finder.Calls);

        var html = await RefreshUntilAsync(team);
        Assert.DoesNotContain("could not be worked out", html);

        // A failure with an older result: the groups are still shown, dated, under the failure banner.
        finder.Throw = new InvalidOperationException("k-means fell over again");
        await AddUnfittedAsync(site, consultationId, "The parking car charges badge problem again.");
        await team.GetStringAsync(Page);
        await job.WhenIdleAsync(consultationId).WaitAsync(TimeSpan.FromSeconds(60));
        var both = await team.GetStringAsync(Page);
        Assert.Contains("The emerging themes could not be worked out.", both);
        Assert.Contains("It is being tried again now for the 31 comments that fit no theme", both);
        Assert.Contains(GroupsShown, both);
        Assert.Contains("(UTC), when 30 comments fitted no theme.</p>", both);
        await job.WhenIdleAsync(consultationId).WaitAsync(TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task Two_instances_on_one_database_compute_once_and_show_the_same_result()
    {
        var folder = Path.Combine(Path.GetTempPath(), "engagement-web-tests", Guid.NewGuid().ToString("N"));
        var (finderA, finderB) = (new HeldFinder(), new HeldFinder());
        try
        {
            await using var a = SiteWith(finderA, folder);
            await SeedAsync(a);
            await using var b = SiteWith(finderB, folder);
            var (teamA, teamB) = (await StaffClient.ForRoleAsync(a, StaffRoles.EngagementTeam), await StaffClient.ForRoleAsync(b, StaffRoles.EngagementTeam));

            Assert.Contains("Finding emerging themes in 30 comments", await teamA.GetStringAsync(Page).WaitAsync(TimeSpan.FromSeconds(20)));
            await finderA.Started;
            var consultationId = (await a.EnsureConsultationAsync()).Id;
            var lease = await a.Services.GetRequiredService<JobLeaseStore>().FindActiveAsync(EmergingThemeJob.LeaseName(consultationId));
            Assert.Equal(a.Services.GetRequiredService<InstanceId>().Value, lease!.Holder);

            // B sees A's lease: it says the groups are being worked out and does not start its own computation.
            Assert.Contains("Finding emerging themes in 30 comments", await teamB.GetStringAsync(Page).WaitAsync(TimeSpan.FromSeconds(20)));
            await Task.Delay(300);
            Assert.Equal(0, finderB.Calls);

            finderA.Release();
            var onB = await RefreshUntilAsync(teamB);
            var onA = await RefreshUntilAsync(teamA);
            Assert.Equal(Regex.Match(onA, "<p class=\"govuk-body\" id=\"groups\">[^<]+").Value, Regex.Match(onB, "<p class=\"govuk-body\" id=\"groups\">[^<]+").Value);
            Assert.Equal(FingerprintIn(onA), FingerprintIn(onB));
            Assert.Equal((1, 0), (finderA.Calls, finderB.Calls));
        }
        finally
        {
            finderA.Release();
            finderB.Release();
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}
