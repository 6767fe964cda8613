using System.Security.Cryptography;
using Engagement.Cli;
using Engagement.Cli.Commands;
using Engagement.Core;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Engagement.Cli.Tests;

/// <summary>engage keys on a temporary SQLite file, against the key ring the site itself would use.</summary>
public sealed class KeyCommandTests : IDisposable
{
    private readonly string dbFile = Path.Combine(Path.GetTempPath(), $"engage-keys-{Guid.NewGuid():N}.db");

    private KeyValuePair<string, string?>[] Config => [new("ConnectionStrings:Engagement", $"Data Source={dbFile};Pooling=False")];

    private Task<(int Code, string Out, string Err)> Run(params string[] args) =>
        SyntheticModelFixture.RunCommand((a, io) => KeyCommands.RunAsync(a, io, Config), args);

    /// <summary>A protector as a fresh web process would build it on this database.</summary>
    private IDataProtector SiteProtector()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(Config).Build();
        var services = new ServiceCollection().AddLogging().AddEngagementData(configuration).AddEngagementDataProtection(configuration);
        return services.BuildServiceProvider().GetRequiredService<IDataProtectionProvider>().CreateProtector("staff-session");
    }

    [Fact]
    public async Task Revoke_makes_every_cookie_made_before_unreadable_and_the_site_moves_to_a_new_key()
    {
        Assert.Contains("No keys yet", (await Run("list")).Out);

        var cookie = SiteProtector().Protect("signed in");
        var listed = await Run("list");
        Assert.Contains("active", listed.Out);

        var revoke = await Run("revoke", "--reason", "database copy left on a laptop");

        Assert.True(revoke.Code == CliApp.Ok, revoke.Err);
        Assert.Contains("Revoked 1 key(s)", revoke.Out);
        Assert.Contains("Restart every web instance", revoke.Out);
        var restarted = SiteProtector();
        Assert.ThrowsAny<CryptographicException>(() => restarted.Unprotect(cookie));
        Assert.Equal("new session", restarted.Unprotect(restarted.Protect("new session")));
        var after = (await Run("list")).Out;
        Assert.Contains("revoked", after);
        Assert.Contains("active", after);
        Assert.Equal("1", Scalar("SELECT COUNT(*) FROM security_events WHERE kind = 'keys-revoked' AND detail LIKE '%laptop%'"));
    }

    [Fact]
    public async Task Revoke_without_a_reason_changes_nothing()
    {
        var result = await Run("revoke");
        Assert.Equal(CliApp.BadInput, result.Code);
        Assert.Contains("--reason", result.Err);
        Assert.False(File.Exists(dbFile), "The database was touched although the command was refused.");
    }

    private string Scalar(string sql)
    {
        using var c = new SqliteConnection($"Data Source={dbFile};Pooling=False");
        c.Open();
        using var command = c.CreateCommand();
        command.CommandText = sql;
        return Convert.ToString(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) ?? "";
    }

    public void Dispose()
    {
        foreach (var file in new[] { dbFile, dbFile + "-wal", dbFile + "-shm" }) File.Delete(file);
    }
}
