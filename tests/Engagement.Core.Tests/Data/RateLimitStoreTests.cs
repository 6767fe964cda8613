using Dapper;
using Engagement.Core.Data;

namespace Engagement.Core.Tests.Data;

/// <summary>Shared fixed-window counters, written once and run per provider (see TestDatabases.Providers).</summary>
public sealed class RateLimitStoreTests
{
    public static IEnumerable<object[]> Providers => TestDatabases.Providers();

    [Theory, MemberData(nameof(Providers))]
    public async Task Hits_count_up_within_a_window_and_start_again_once_it_has_ended(DatabaseProvider provider)
    {
        var store = new RateLimitStore(TestDatabases.CreateMigrated(provider));
        var seen = new List<RateLimitWindow>();
        foreach (var now in new long[] { 1000, 1001, 1059 }) seen.Add(await store.HitAsync("post:10.0.0.1", now, 60));
        Assert.Equal([new(1000, 1), new(1000, 2), new(1000, 3)], seen);
        Assert.Equal(new RateLimitWindow(1059, 1), await store.HitAsync("post:10.0.0.2", 1059, 60)); // per key
        Assert.Equal(new RateLimitWindow(1059, 1), await store.HitAsync("sign-in:10.0.0.1", 1059, 60));

        Assert.Equal(new RateLimitWindow(1060, 1), await store.HitAsync("post:10.0.0.1", 1060, 60)); // the window has ended
        Assert.Equal(new RateLimitWindow(1060, 2), await store.HitAsync("post:10.0.0.1", 1061, 60));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Concurrent_hits_from_separate_connections_are_all_counted(DatabaseProvider provider)
    {
        var db = TestDatabases.CreateMigrated(provider);
        using var go = new ManualResetEventSlim();
        var hits = Enumerable.Range(0, 40).Select(_ => Task.Run(async () =>
        {
            go.Wait();
            return await new RateLimitStore(db).HitAsync("post:192.0.2.7", 5000, 60);
        })).ToList();
        go.Set();
        var windows = await Task.WhenAll(hits);
        // Every hit saw a distinct count: none was lost or counted twice.
        Assert.Equal(Enumerable.Range(1, 40), windows.Select(w => (int)w.Count).Order());
        Assert.All(windows, w => Assert.Equal(5000, w.WindowStart));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Old_windows_are_deleted(DatabaseProvider provider)
    {
        var db = TestDatabases.CreateMigrated(provider);
        var store = new RateLimitStore(db);
        await store.HitAsync("post:a", 600, 60);
        await store.HitAsync("post:b", 660, 60);
        await store.HitAsync("post:c", 720, 60);

        Assert.Equal(2, await store.DeleteStartedBeforeAsync(720));
        await using var c = await db.OpenAsync();
        Assert.Equal(["post:c"], await c.QueryAsync<string>("SELECT limit_key FROM rate_limit_windows"));
    }
}
