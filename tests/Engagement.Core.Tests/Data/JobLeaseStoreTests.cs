using Engagement.Core.Data;

namespace Engagement.Core.Tests.Data;

/// <summary>Job leases, written once and run per provider (see TestDatabases.Providers).</summary>
public sealed class JobLeaseStoreTests
{
    public static IEnumerable<object[]> Providers => TestDatabases.Providers();

    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    internal sealed class ManualClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;
        public override DateTimeOffset GetUtcNow() => Now;
    }

    private static ManualClock NewClock() => new(new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero));

    [Theory, MemberData(nameof(Providers))]
    public async Task Of_two_holders_racing_for_a_free_lease_exactly_one_wins(DatabaseProvider provider)
    {
        var db = TestDatabases.CreateMigrated(provider);
        for (var round = 0; round < 20; round++)
        {
            // Separate store objects, as two instances would have, started together.
            using var go = new ManualResetEventSlim();
            var holders = Enumerable.Range(0, 4).Select(i => $"instance-{i}").ToList();
            var attempts = holders.Select(h => Task.Run(async () =>
            {
                go.Wait();
                return await new JobLeaseStore(db).TryAcquireAsync($"race-{round}", h, Minute);
            })).ToList();
            go.Set();
            var won = await Task.WhenAll(attempts);
            Assert.Equal(1, won.Count(w => w));
            var lease = await new JobLeaseStore(db).FindActiveAsync($"race-{round}");
            Assert.Equal(holders[Array.IndexOf(won, true)], lease!.Holder);
        }
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_held_lease_is_refused_to_others_and_extended_for_its_holder(DatabaseProvider provider)
    {
        var clock = NewClock();
        var store = new JobLeaseStore(TestDatabases.CreateMigrated(provider), clock);

        Assert.True(await store.TryAcquireAsync("retrain", "a", Minute));
        var first = await store.FindActiveAsync("retrain");
        clock.Now += TimeSpan.FromSeconds(59);
        Assert.False(await store.TryAcquireAsync("retrain", "b", Minute));
        Assert.True(await store.TryAcquireAsync("retrain", "a", Minute));

        var extended = await store.FindActiveAsync("retrain");
        Assert.Equal("a", extended!.Holder);
        Assert.Equal(first!.AcquiredAt, extended.AcquiredAt);
        Assert.Equal(clock.Now.UtcDateTime + Minute, extended.ExpiresAt);
        // Leases are per name.
        Assert.True(await store.TryAcquireAsync("import:1", "b", Minute));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task An_expired_lease_can_be_taken_over(DatabaseProvider provider)
    {
        var clock = NewClock();
        var store = new JobLeaseStore(TestDatabases.CreateMigrated(provider), clock);
        Assert.True(await store.TryAcquireAsync("import:7", "crashed", Minute));

        clock.Now += Minute - TimeSpan.FromSeconds(1);
        Assert.False(await store.TryAcquireAsync("import:7", "survivor", Minute));
        clock.Now += TimeSpan.FromSeconds(1);
        Assert.True(await store.TryAcquireAsync("import:7", "survivor", Minute));

        var lease = await store.FindActiveAsync("import:7");
        Assert.Equal(("survivor", clock.Now.UtcDateTime), (lease!.Holder, lease.AcquiredAt));
        // The old holder, back from the dead, cannot renew or release what it lost.
        Assert.False(await store.RenewAsync("import:7", "crashed", Minute));
        Assert.False(await store.ReleaseAsync("import:7", "crashed"));
        Assert.Equal("survivor", (await store.FindActiveAsync("import:7"))!.Holder);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Renew_extends_only_for_the_holder_and_release_frees_the_lease(DatabaseProvider provider)
    {
        var clock = NewClock();
        var store = new JobLeaseStore(TestDatabases.CreateMigrated(provider), clock);
        Assert.False(await store.RenewAsync("retention-purge", "a", Minute)); // nothing to renew
        Assert.True(await store.TryAcquireAsync("retention-purge", "a", Minute));

        clock.Now += TimeSpan.FromSeconds(50);
        Assert.False(await store.RenewAsync("retention-purge", "b", Minute));
        Assert.True(await store.RenewAsync("retention-purge", "a", Minute));
        clock.Now += TimeSpan.FromSeconds(50); // past the first expiry, inside the renewed one
        Assert.False(await store.TryAcquireAsync("retention-purge", "b", Minute));

        Assert.False(await store.ReleaseAsync("retention-purge", "b"));
        Assert.True(await store.ReleaseAsync("retention-purge", "a"));
        Assert.Null(await store.FindActiveAsync("retention-purge"));
        Assert.True(await store.TryAcquireAsync("retention-purge", "b", Minute));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_held_lease_is_renewed_in_the_background_and_released_when_disposed(DatabaseProvider provider)
    {
        var db = TestDatabases.CreateMigrated(provider);
        var store = new JobLeaseStore(db);
        var ttl = TimeSpan.FromSeconds(3);

        await using (var held = await store.TryHoldAsync("retrain", "a", ttl))
        {
            Assert.NotNull(held);
            Assert.Null(await store.TryHoldAsync("retrain", "b", ttl));
            var before = (await store.FindActiveAsync("retrain"))!.ExpiresAt;
            for (var i = 0; i < 60 && (await store.FindActiveAsync("retrain"))!.ExpiresAt == before; i++) await Task.Delay(100);
            Assert.True((await store.FindActiveAsync("retrain"))!.ExpiresAt > before, "the lease was not renewed");
            Assert.False(held.Lost.IsCancellationRequested);
        }
        Assert.Null(await store.FindActiveAsync("retrain"));
    }

    [Fact]
    public async Task A_holder_whose_lease_was_taken_is_told_it_has_lost_it()
    {
        var db = TestDatabases.CreateMigrated(DatabaseProvider.Sqlite);
        var store = new JobLeaseStore(db, NewClock());
        await using var held = await store.TryHoldAsync("import:3", "slow", TimeSpan.FromSeconds(3));
        Assert.NotNull(held);

        // The other instance sees the lease long expired (e.g. the holder's process was paused far longer than the lease).
        var later = NewClock();
        later.Now += TimeSpan.FromMinutes(5);
        Assert.True(await new JobLeaseStore(db, later).TryAcquireAsync("import:3", "other", TimeSpan.FromMinutes(5)));
        for (var i = 0; i < 60 && !held.Lost.IsCancellationRequested; i++) await Task.Delay(100);
        Assert.True(held.Lost.IsCancellationRequested);
        Assert.Equal("other", (await new JobLeaseStore(db, later).FindActiveAsync("import:3"))!.Holder);
    }

    [Fact]
    public void Each_process_gets_its_own_holder_id_naming_the_machine_and_process()
    {
        var a = InstanceId.ForThisProcess();
        var b = InstanceId.ForThisProcess();
        Assert.NotEqual(a, b);
        Assert.StartsWith($"{Environment.MachineName}:{Environment.ProcessId}:", a.Value);
    }

    [Fact]
    public void A_lease_time_that_is_too_short_is_refused_with_a_clear_message()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new JobLeaseOptions { LeaseSeconds = 0 }.Lease);
        Assert.Contains("Jobs:LeaseSeconds", error.Message);
        Assert.Equal(TimeSpan.FromMinutes(1), new JobLeaseOptions().Lease);
    }
}
