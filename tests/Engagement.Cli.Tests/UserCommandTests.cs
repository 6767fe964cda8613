using Engagement.Cli;
using Engagement.Cli.Commands;
using Engagement.Core.Data;
using Engagement.Core.Staff;

namespace Engagement.Cli.Tests;

/// <summary>engage users reset-two-factor / disable / enable on a temporary SQLite file.</summary>
public sealed class UserCommandTests
{
    [Fact]
    public async Task Reset_two_factor_and_disable_change_the_account_and_are_logged()
    {
        var file = Path.Combine(Path.GetTempPath(), $"engagement-cli-users-{Guid.NewGuid():N}.db");
        KeyValuePair<string, string?>[] config = [new("ConnectionStrings:Engagement", $"Data Source={file};Pooling=False")];
        var db = new Database(DatabaseProvider.Sqlite, $"Data Source={file};Pooling=False");
        Migrator.Migrate(db);
        var users = new StaffUserStore(db);
        var user = await users.AddOrUpdateAsync("lost-phone@example.org", StaffRoles.EngagementTeam, "a long test password");
        await users.StartTwoFactorSetupAsync(user.Id);
        var now = DateTime.UtcNow;
        var key = Totp.Base32Decode((await users.GetAsync(user.Id))!.TotpSecret!);
        Assert.Equal(TwoFactorOutcome.Success, (await users.VerifyTwoFactorAsync(user.Id, Totp.Code(key, Totp.StepAt(now)), now, turningOn: true)).Outcome);

        var output = new StringWriter();
        var io = new CliIo(output, new StringWriter(), new StringReader(""));
        Assert.Equal(CliApp.Ok, await DataCommands.ChangeUserAsync("reset-two-factor", CliArgs.Parse(["reset-two-factor", "--email", "lost-phone@example.org"]), io, config));
        Assert.False((await users.GetAsync(user.Id))!.TotpEnabled);
        Assert.Equal(CliApp.Ok, await DataCommands.ChangeUserAsync("disable", CliArgs.Parse(["disable", "--email", "lost-phone@example.org"]), io, config));
        Assert.True((await users.GetAsync(user.Id))!.Disabled);
        Assert.Equal(CliApp.Ok, await DataCommands.ChangeUserAsync("enable", CliArgs.Parse(["enable", "--email", "lost-phone@example.org"]), io, config));
        Assert.False((await users.GetAsync(user.Id))!.Disabled);
        Assert.Contains("Two-factor reset for lost-phone@example.org", output.ToString());

        var kinds = (await new SecurityEventStore(db).ListAsync(null, 10)).Select(e => e.Kind).ToList();
        Assert.Equal([SecurityEventKinds.SessionEnded, SecurityEventKinds.TwoFactorDisabled], kinds);
        await Assert.ThrowsAsync<CliUsageException>(() => DataCommands.ChangeUserAsync("disable", CliArgs.Parse(["disable", "--email", "nobody@example.org"]), io, config));
    }
}
