using Dapper;
using Engagement.Core.Data;
using Engagement.Core.Staff;
using Engagement.Core.Tests.Data;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Engagement.Core.Tests.Staff;

/// <summary>Two-factor secrets encrypted at rest, per provider, with the store wired up as the site wires it.</summary>
public sealed class TotpSecretProtectorTests
{
    public static IEnumerable<object[]> Providers => TestDatabases.Providers();

    private static readonly DateTime Now = new(2026, 12, 1, 9, 0, 15, DateTimeKind.Utc);

    /// <summary>The store and key manager as a fresh process on this database would have them.</summary>
    private static (StaffUserStore Users, IKeyManager Keys) Process(Database db)
    {
        var services = new ServiceCollection().AddLogging().AddSingleton(db);
        services.AddEngagementDataProtection(new ConfigurationBuilder().Build());
        services.AddSingleton<StaffUserStore>();
        var provider = services.BuildServiceProvider();
        return (provider.GetRequiredService<StaffUserStore>(), provider.GetRequiredService<IKeyManager>());
    }

    private static async Task<string?> StoredAsync(Database db, long id)
    {
        await using var c = await db.OpenAsync();
        return await c.ExecuteScalarAsync<string?>("SELECT totp_secret FROM staff_users WHERE id = @id", new { id });
    }

    private static async Task<StaffUser> TurnedOnAsync(StaffUserStore users)
    {
        var user = await users.AddOrUpdateAsync($"totp-{Guid.NewGuid():N}@example.org", StaffRoles.Admin, "a long test password");
        var secret = await users.StartTwoFactorSetupAsync(user.Id);
        Assert.Equal(TwoFactorOutcome.Success,
            (await users.VerifyTwoFactorAsync(user.Id, Totp.Code(Totp.Base32Decode(secret), Totp.StepAt(Now)), Now, turningOn: true)).Outcome);
        return (await users.GetAsync(user.Id))!;
    }

    private static async Task AssertCodeWorksAsync(StaffUserStore users, long id, string secret, int step)
    {
        var at = Now.AddSeconds(30 * step);
        Assert.Equal(TwoFactorOutcome.Success,
            (await users.VerifyTwoFactorAsync(id, Totp.Code(Totp.Base32Decode(secret), Totp.StepAt(at)), at, turningOn: false)).Outcome);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task The_secret_is_stored_encrypted_and_another_process_reads_it(DatabaseProvider provider)
    {
        var db = TestDatabases.CreateMigrated(provider);
        var user = await TurnedOnAsync(Process(db).Users);

        var stored = await StoredAsync(db, user.Id);
        Assert.StartsWith(TotpSecretProtector.Prefix, stored);
        Assert.DoesNotContain(user.TotpSecret!, stored);
        Assert.Matches("^[A-Z2-7]{32}$", user.TotpSecret);

        var restarted = Process(db).Users;
        Assert.Equal(user.TotpSecret, (await restarted.GetAsync(user.Id))!.TotpSecret);
        await AssertCodeWorksAsync(restarted, user.Id, user.TotpSecret!, 1);
        Assert.Equal(stored, await StoredAsync(db, user.Id)); // nothing to store again under the current key
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_secret_stored_plain_before_encryption_is_read_and_then_stored_encrypted(DatabaseProvider provider)
    {
        var db = TestDatabases.CreateMigrated(provider);
        var plainStore = new StaffUserStore(db); // no protector: writes plain, as the site did before
        var user = await TurnedOnAsync(plainStore);
        Assert.Equal(user.TotpSecret, await StoredAsync(db, user.Id));

        var users = Process(db).Users;
        Assert.Equal(user.TotpSecret, (await users.GetAsync(user.Id))!.TotpSecret);

        Assert.StartsWith(TotpSecretProtector.Prefix, await StoredAsync(db, user.Id));
        await AssertCodeWorksAsync(Process(db).Users, user.Id, user.TotpSecret!, 1);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Revoking_the_keys_keeps_the_secret_and_stores_it_again_under_the_new_key(DatabaseProvider provider)
    {
        var db = TestDatabases.CreateMigrated(provider);
        var (users, keys) = Process(db);
        var user = await TurnedOnAsync(users);
        var before = await StoredAsync(db, user.Id);

        keys.RevokeAllKeys(DateTimeOffset.UtcNow, "test");
        var restarted = Process(db).Users;

        Assert.Equal(user.TotpSecret, (await restarted.GetAsync(user.Id))!.TotpSecret);
        var after = await StoredAsync(db, user.Id);
        Assert.NotEqual(before, after);
        await AssertCodeWorksAsync(Process(db).Users, user.Id, user.TotpSecret!, 1);
        Assert.Equal(after, await StoredAsync(db, user.Id));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_secret_whose_key_is_gone_reads_as_not_set_up_instead_of_failing(DatabaseProvider provider)
    {
        var db = TestDatabases.CreateMigrated(provider);
        var user = await TurnedOnAsync(Process(db).Users);
        await using (var c = await db.OpenAsync())
            await c.ExecuteAsync("DELETE FROM data_protection_keys");

        var users = Process(db).Users;
        var read = await users.GetAsync(user.Id);
        Assert.Null(read!.TotpSecret);
        Assert.True(read.TotpEnabled);
        Assert.Equal(TwoFactorOutcome.NotSetUp, (await users.VerifyTwoFactorAsync(user.Id, "123456", Now, turningOn: false)).Outcome);

        // The way out is the documented one: reset two-factor, set it up again.
        await users.DisableTwoFactorAsync(user.Id);
        var again = await users.StartTwoFactorSetupAsync(user.Id);
        Assert.Equal(again, (await Process(db).Users.GetAsync(user.Id))!.TotpSecret);
    }
}
