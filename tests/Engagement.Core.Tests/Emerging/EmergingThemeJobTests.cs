using Engagement.Core.Data;
using Engagement.Core.Domain;
using Engagement.Core.Emerging;
using Engagement.Core.Tests.Data;
using Engagement.Core.Triage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Engagement.Core.Tests.Emerging;

/// <summary>Clusters are worked out in the background under a lease, once across instances, and a failure is retried.</summary>
public sealed class EmergingThemeJobTests
{
    /// <summary>Clusters for real, but only once the test lets it; counts calls, and can fail.</summary>
    private sealed class HeldFinder : IEmergingThemeFinder
    {
        private readonly TaskCompletionSource release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int calls;
        public int Calls => Volatile.Read(ref calls);
        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public Exception? Throw { get; set; }
        public void Release() => release.TrySetResult();

        public async Task<EmergingResult> FindAsync(IReadOnlyList<UnfittedComment> comments, EmergingThemeOptions options, CancellationToken ct)
        {
            Interlocked.Increment(ref calls);
            Started.TrySetResult();
            await release.Task.WaitAsync(ct);
            if (Throw is { } error) throw error;
            return EmergingThemeFinder.Find(comments, options);
        }
    }

    private sealed class ListLogger<T> : ILogger<T>
    {
        public List<(LogLevel Level, string Message, Exception? Error)> Entries { get; } = [];
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (Entries) Entries.Add((logLevel, formatter(state, exception), exception));
        }
    }

    private static readonly string[][] Topics = [["hearing", "aids", "audiology", "batteries", "deaf"], ["parking", "car", "charges", "spaces", "badge"]];

    private static async Task<(Database Db, long ConsultationId, EmergingThemeStore Store)> SeedAsync()
    {
        var db = TestDatabases.CreateMigrated(DatabaseProvider.Sqlite);
        await new ThemeStore(db).SeedAsync([new ThemeSeed("gp-access", "GP access", 4, "", [], null)]);
        var consultation = await new ConsultationStore(db).EnsureAsync(new Consultation
        {
            Slug = "k", Title = "A consultation", Status = ConsultationStatuses.Open,
            OpensOn = new DateTime(2026, 10, 1, 0, 0, 0, DateTimeKind.Utc), ClosesOn = new DateTime(2027, 1, 31, 0, 0, 0, DateTimeKind.Utc),
        });
        var random = new Random(3);
        for (var n = 0; n < 24; n++)
        {
            var topic = Topics[n % 2];
            await new SubmissionStore(db).CreateAsync(new NewSubmission
            {
                ConsultationId = consultation.Id, RespondentType = RespondentTypes.Resident, District = "T",
                Comments = [new NewComment("The " + string.Join(' ', Enumerable.Range(0, 6).Select(_ => topic[random.Next(topic.Length)])), null)
                    { Suggestion = new CommentSuggestion(4, "gp-access", 0.1, true, "test") }],
            });
        }
        return (db, consultation.Id, new EmergingThemeStore(db, new ThemeAdminStore(db), Options.Create(new EmergingThemeOptions())));
    }

    private static EmergingThemeJob Job(Database db, EmergingThemeStore store, IEmergingThemeFinder finder, string holder = "a",
        TimeProvider? clock = null, ILogger<EmergingThemeJob>? log = null) =>
        new(store, finder, TestDatabases.Leases(db, holder, clock), clock ?? TimeProvider.System, log ?? new ListLogger<EmergingThemeJob>());

    [Fact]
    public async Task A_view_starts_the_work_in_the_background_under_the_lease_and_a_later_view_gets_the_stored_result()
    {
        var (db, id, store) = await SeedAsync();
        var finder = new HeldFinder();
        var job = Job(db, store, finder);
        var unfitted = await store.UnfittedAsync(id);

        var first = await job.StatusAsync(id, unfitted).WaitAsync(TimeSpan.FromSeconds(30)); // returns although the finder is held
        Assert.Equal((null, false, null, 24), (first.Shown, first.Current, first.Failure, first.Comments));
        await finder.Started.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal("a", (await new JobLeaseStore(db).FindActiveAsync(EmergingThemeJob.LeaseName(id)))!.Holder);

        var joined = await job.StatusAsync(id, unfitted);
        Assert.Null(joined.Shown);
        Assert.Equal(1, finder.Calls);

        finder.Release();
        await job.WhenIdleAsync(id).WaitAsync(TimeSpan.FromSeconds(60));
        var done = await job.StatusAsync(id, unfitted);
        Assert.True(done.Current);
        Assert.Equal(24, done.Shown!.Result.Clusters.Sum(c => c.Size));
        Assert.Equal(EmergingThemeStore.Fingerprint(unfitted), done.Shown.Fingerprint);
        Assert.Null(await new JobLeaseStore(db).FindActiveAsync(EmergingThemeJob.LeaseName(id)));
        Assert.Equal(1, finder.Calls);
    }

    [Fact]
    public async Task Another_instance_does_not_compute_while_the_lease_is_held_and_takes_over_once_it_expires()
    {
        var (db, id, store) = await SeedAsync();
        var clock = new JobLeaseStoreTests.ManualClock(DateTimeOffset.UtcNow);
        // An instance that took the lease and then died.
        Assert.True(await new JobLeaseStore(db, clock).TryAcquireAsync(EmergingThemeJob.LeaseName(id), "crashed", TimeSpan.FromSeconds(60)));
        var finder = new HeldFinder();
        finder.Release();
        var survivor = Job(db, store, finder, "survivor", clock);
        var unfitted = await store.UnfittedAsync(id);

        Assert.False(await survivor.TryStartAsync(id));
        Assert.Null((await survivor.StatusAsync(id, unfitted)).Shown);
        Assert.Equal(0, finder.Calls);

        clock.Now += TimeSpan.FromSeconds(60);
        Assert.True(await survivor.TryStartAsync(id));
        await survivor.WhenIdleAsync(id).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True((await survivor.StatusAsync(id, unfitted)).Current);
        Assert.Equal(1, finder.Calls);
    }

    [Fact]
    public async Task A_failure_is_logged_and_shown_and_the_next_view_tries_again()
    {
        var (db, id, store) = await SeedAsync();
        var finder = new HeldFinder { Throw = new InvalidOperationException("k-means fell over") };
        finder.Release();
        var log = new ListLogger<EmergingThemeJob>();
        var job = Job(db, store, finder, log: log);
        var unfitted = await store.UnfittedAsync(id);

        await job.StatusAsync(id, unfitted);
        await job.WhenIdleAsync(id).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Contains(log.Entries, e => e.Level == LogLevel.Error && e.Error?.Message == "k-means fell over");

        finder.Throw = null;
        var failed = await job.StatusAsync(id, unfitted);
        Assert.Equal((null, false), (failed.Shown, failed.Current));
        Assert.Equal("InvalidOperationException: k-means fell over", failed.Failure!.Error);
        await job.WhenIdleAsync(id).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(2, finder.Calls); // that view started another attempt
        var done = await job.StatusAsync(id, unfitted);
        Assert.Equal((true, null), (done.Current, done.Failure));
    }

    [Fact]
    public async Task Too_few_comments_to_group_need_no_computation()
    {
        var (db, id, store) = await SeedAsync();
        var finder = new HeldFinder();
        var status = await Job(db, store, finder).StatusAsync(id, (await store.UnfittedAsync(id)).Take(5).ToList());
        Assert.Equal((true, 5, 0), (status.Current, status.Shown!.Result.Comments, status.Shown.Result.Clusters.Count));
        Assert.Equal(0, finder.Calls);
    }
}
