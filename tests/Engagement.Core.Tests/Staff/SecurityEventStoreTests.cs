using Dapper;
using Engagement.Core.Data;
using Engagement.Core.Staff;
using Engagement.Core.Tests.Data;

namespace Engagement.Core.Tests.Staff;

public sealed class SecurityEventStoreTests
{
    public static IEnumerable<object[]> Providers() => TestDatabases.Providers();

    [Theory, MemberData(nameof(Providers))]
    public async Task Events_are_added_and_read_newest_first_and_filtered_by_kind(DatabaseProvider provider)
    {
        var db = TestDatabases.CreateMigrated(provider);
        var store = new SecurityEventStore(db);
        await store.AddAsync(new SecurityEvent { Kind = SecurityEventKinds.SignInFailed, Email = "someone@example.org", ClientAddress = "10.0.0.1", Path = "/staff/sign-in" });
        await store.AddAsync(new SecurityEvent { Kind = SecurityEventKinds.SignedIn, Email = "someone@example.org", StaffUserId = 7 });

        var all = await store.ListAsync(null, 10);
        Assert.Equal([SecurityEventKinds.SignedIn, SecurityEventKinds.SignInFailed], all.Select(e => e.Kind));
        Assert.Equal(7, all[0].StaffUserId);
        Assert.Equal("10.0.0.1", all[1].ClientAddress);
        Assert.Single(await store.ListAsync(SecurityEventKinds.SignedIn, 10));
        Assert.Equal(2, await store.CountAsync());
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task The_database_refuses_to_change_or_delete_an_event(DatabaseProvider provider)
    {
        var db = TestDatabases.CreateMigrated(provider);
        var store = new SecurityEventStore(db);
        await store.AddAsync(new SecurityEvent { Kind = SecurityEventKinds.LockedOut, Email = "victim@example.org" });

        await using var c = await db.OpenAsync();
        var update = await Assert.ThrowsAnyAsync<Exception>(() => c.ExecuteAsync("UPDATE security_events SET email = 'someone-else@example.org'"));
        Assert.Contains("append-only", update.Message);
        var delete = await Assert.ThrowsAnyAsync<Exception>(() => c.ExecuteAsync("DELETE FROM security_events"));
        Assert.Contains("append-only", delete.Message);
        Assert.Equal("victim@example.org", (await store.ListAsync(null, 1))[0].Email);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Whatever_was_typed_is_kept_but_bounded(DatabaseProvider provider)
    {
        var store = new SecurityEventStore(TestDatabases.CreateMigrated(provider));
        var typed = new string('a', 253) + "😀" + new string('b', 5000);
        await store.AddAsync(new SecurityEvent { Kind = SecurityEventKinds.SignInFailed, Email = typed });
        var stored = (await store.ListAsync(null, 1))[0].Email!;
        Assert.Equal(253, stored.Length); // the emoji's pair would straddle the limit, so both halves go
        Assert.Throws<ArgumentException>(() => store.AddAsync(new SecurityEvent { Kind = "made-up" }).GetAwaiter().GetResult());
    }
}
