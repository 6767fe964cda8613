using System.Text;
using Engagement.Cli;
using Engagement.Cli.Commands;
using Microsoft.Data.Sqlite;

namespace Engagement.Cli.Tests;

/// <summary>engage privacy on a temporary SQLite file (configuration overrides, as in ReportCommandTests).</summary>
public class PrivacyCommandTests(SyntheticModelFixture fixture) : IClassFixture<SyntheticModelFixture>
{
    private string Temp(string name) => fixture.Temp(name);

    private KeyValuePair<string, string?>[] Config(string dbFile) => fixture.Config(dbFile);

    private static Task<(int Code, string Out, string Err)> Run(Func<CliArgs, CliIo, Task<int>> command, params string[] args) =>
        SyntheticModelFixture.RunCommand(command, args);

    private static string Scalar(string dbFile, string sql)
    {
        using var c = new SqliteConnection($"Data Source={dbFile};Pooling=False");
        c.Open();
        using var command = c.CreateCommand();
        command.CommandText = sql;
        return Convert.ToString(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) ?? "";
    }

    [Fact]
    public async Task Erase_anonymises_the_response_with_that_reference_only()
    {
        var db = Temp("engage.db");
        var config = Config(db);
        var input = Temp("responses.csv");
        await File.WriteAllTextAsync(input, """
            text,district,respondent_type,organisation
            "My name is Alex Brown and the Ramsgate surgery lost my records",T,resident,
            "The bus to the hospital only runs twice a day",M,partner,Age UK Medway
            """, new UTF8Encoding(false));
        var import = await Run((a, io) => ReportCommands.ImportAsync(a, io, config), "--input", input, "--consultation", "privacy");
        Assert.True(import.Code == 0, import.Err);
        var reference = Scalar(db, "SELECT s.reference FROM submissions s JOIN comments m ON m.submission_id = s.id WHERE m.text LIKE '%Alex%'");

        var erase = await Run((a, io) => PrivacyCommands.RunAsync(a, io, config), "erase", "--reference", reference);

        Assert.True(erase.Code == 0, erase.Err);
        Assert.Contains($"Erased {reference}: 1 comment(s) anonymised", erase.Out);
        Assert.Equal("0", Scalar(db, "SELECT COUNT(*) FROM comments WHERE text LIKE '%Alex%'"));
        Assert.Equal("1", Scalar(db, "SELECT COUNT(*) FROM comments WHERE text LIKE '%bus%'"));
        Assert.Equal("1", Scalar(db, "SELECT COUNT(*) FROM security_events WHERE kind = 'submission-erased'"));

        var again = await Run((a, io) => PrivacyCommands.RunAsync(a, io, config), "erase", "--reference", reference);
        Assert.Contains("already erased", again.Out);
        var unknown = await Run((a, io) => PrivacyCommands.RunAsync(a, io, config), "erase", "--reference", "KM-NONE-0000");
        Assert.Equal(CliApp.Failure, unknown.Code);
        Assert.Contains("no response has the reference", unknown.Err);
        var usage = await Run((a, io) => PrivacyCommands.RunAsync(a, io, config), "erase");
        Assert.Equal(CliApp.BadInput, usage.Code);
    }

    [Fact]
    public async Task Purge_dry_run_counts_and_the_real_run_anonymises_past_retention()
    {
        var db = Temp("engage.db");
        var config = Config(db);
        var input = Temp("responses.csv");
        await File.WriteAllTextAsync(input, """
            text,district,respondent_type
            "The Ramsgate surgery lost my records",T,resident
            "The bus to the hospital only runs twice a day",M,resident
            """, new UTF8Encoding(false));
        Assert.Equal(0, (await Run((a, io) => ReportCommands.ImportAsync(a, io, config), "--input", input, "--consultation", "old")).Code);
        // The import creates an open consultation; close it three months ago: past one month of retention, not the default 24.
        using (var c = new SqliteConnection($"Data Source={db};Pooling=False"))
        {
            c.Open();
            using var command = c.CreateCommand();
            command.CommandText = "UPDATE consultations SET status = 'closed', closes_on = $closed";
            command.Parameters.AddWithValue("$closed", DateTime.UtcNow.AddMonths(-3).ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture));
            command.ExecuteNonQuery();
        }

        var nothing = await Run((a, io) => PrivacyCommands.RunAsync(a, io, config), "purge", "--dry-run");
        Assert.True(nothing.Code == 0, nothing.Err);
        Assert.Contains("Dry run: 0 response(s)", nothing.Out, StringComparison.Ordinal);

        Assert.Equal(0, (await Run((a, io) => PrivacyCommands.RunAsync(a, io, config), "retention", "--consultation", "old", "--months", "1")).Code);
        var dry = await Run((a, io) => PrivacyCommands.RunAsync(a, io, config), "purge", "--dry-run");
        Assert.Contains("Dry run: 2 response(s) in 1 consultation(s) would be anonymised", dry.Out);
        Assert.Equal("2", Scalar(db, "SELECT COUNT(*) FROM submissions WHERE erased_at IS NULL"));

        var real = await Run((a, io) => PrivacyCommands.RunAsync(a, io, config), "purge");
        Assert.Contains("Anonymised 2 response(s) in 1 consultation(s)", real.Out);
        Assert.Equal("0", Scalar(db, "SELECT COUNT(*) FROM submissions WHERE erased_at IS NULL"));
        Assert.Equal("0", Scalar(db, "SELECT COUNT(*) FROM comments WHERE text LIKE '%Ramsgate%'"));

        var bad = await Run((a, io) => PrivacyCommands.RunAsync(a, io, config), "retention", "--consultation", "old", "--months", "-3");
        Assert.Equal(CliApp.BadInput, bad.Code);
    }
}
