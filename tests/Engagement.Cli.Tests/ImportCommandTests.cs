using System.Diagnostics;
using System.Text;
using Engagement.Cli;
using Engagement.Cli.Commands;
using Microsoft.Data.Sqlite;

namespace Engagement.Cli.Tests;

/// <summary>engage import beyond the minimum contract: options, xlsx, and a real process killed part-way through.</summary>
public class ImportCommandTests(SyntheticModelFixture fixture) : IClassFixture<SyntheticModelFixture>
{
    private string Temp(string name) => fixture.Temp(name);

    private KeyValuePair<string, string?>[] Config(string dbFile) => fixture.Config(dbFile);

    private async Task<(int Code, string Out, string Err)> Import(string dbFile, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        try
        {
            return (await ReportCommands.ImportAsync(CliArgs.Parse(args), new CliIo(stdout, stderr, new StringReader("")), Config(dbFile)),
                stdout.ToString(), stderr.ToString());
        }
        catch (CliUsageException ex)
        {
            stderr.WriteLine(ex.Message);
            return (CliApp.BadInput, stdout.ToString(), stderr.ToString());
        }
    }

    private static long Count(string dbFile, string sql)
    {
        using var c = new SqliteConnection($"Data Source={dbFile};Pooling=False");
        c.Open();
        using var command = c.CreateCommand();
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }

    private static string BigCsv(int rows, int badEvery)
    {
        var words = new[] { "dentist filling", "bus route timetable", "the strategy document", "toothache braces", "bus fare driver" };
        var sb = new StringBuilder("text;district;respondent_type\n");
        for (var i = 1; i <= rows; i++)
            sb.Append(i % badEvery == 0 ? $"row {i};Narnia;resident\n" : $"\"row {i}: {words[i % words.Length]}\";(TW)(T);resident\n");
        return sb.ToString();
    }

    [Fact]
    public async Task Killed_mid_import_then_rerun_stores_exactly_the_valid_rows()
    {
        var db = Temp("crash.db");
        var input = Temp("big.csv");
        const int rows = 3000, badEvery = 11;
        const int valid = rows - rows / badEvery;
        await File.WriteAllTextAsync(input, BigCsv(rows, badEvery), Encoding.UTF8);

        // The real command in its own process, slowed down (small batches with a pause) so it can be killed part-way.
        var engage = Path.Combine(AppContext.BaseDirectory, "engage.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { engage, "import", "--input", input, "--consultation", "crash-test" }) start.ArgumentList.Add(a);
        start.Environment["ConnectionStrings__Engagement"] = $"Data Source={db};Pooling=False";
        start.Environment["Classifier__ModelPath"] = fixture.ModelPath;
        start.Environment["Import__BatchSize"] = "100";
        start.Environment["Import__BatchDelayMilliseconds"] = "150";
        using (var process = Process.Start(start)!)
        {
            var clock = Stopwatch.StartNew();
            long stored = 0;
            while (clock.Elapsed < TimeSpan.FromSeconds(90) && !process.HasExited)
            {
                await Task.Delay(100);
                try { stored = File.Exists(db) ? Count(db, "SELECT COUNT(*) FROM submissions") : 0; }
                catch (SqliteException) { stored = 0; } // schema not created yet
                if (stored >= 500) break;
            }
            Assert.False(process.HasExited, "the import finished before it could be killed");
            // kill -9: no cleanup, no finally blocks, no flushing.
            using (var kill = Process.Start("kill", ["-9", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])) await kill.WaitForExitAsync();
            await process.WaitForExitAsync();
            Assert.NotEqual(0, process.ExitCode);
        }

        var afterKill = Count(db, "SELECT COUNT(*) FROM submissions");
        Assert.InRange(afterKill, 500, valid - 1);
        Assert.Equal(0, afterKill % 100); // only whole batches were committed
        Assert.Equal(afterKill, Count(db, "SELECT COUNT(*) FROM comments"));
        Assert.Equal(1, Count(db, "SELECT COUNT(*) FROM imports WHERE status = 'running'")); // it never got to say it finished

        var rerun = await Import(db, "--input", input, "--consultation", "crash-test");

        Assert.True(rerun.Code == 0, rerun.Err);
        Assert.Contains($"Read {rows} rows: {valid - afterKill} added, {afterKill} already imported, {rows / badEvery} skipped.", rerun.Out);
        Assert.Equal(valid, Count(db, "SELECT COUNT(*) FROM submissions"));
        Assert.Equal(valid, Count(db, "SELECT COUNT(*) FROM comments"));
        Assert.Equal(valid, Count(db, "SELECT COUNT(DISTINCT source_ref) FROM submissions"));
        Assert.Equal(valid, Count(db, "SELECT COUNT(*) FROM comments WHERE suggested_theme IS NOT NULL"));
        Assert.Equal(valid * 2, Count(db, "SELECT COUNT(*) FROM submission_districts"));
        Assert.Equal(1, Count(db, "SELECT COUNT(*) FROM imports WHERE status = 'completed' AND imported_rows = " + valid));

        var third = await Import(db, "--input", input, "--consultation", "crash-test");
        Assert.Contains("already imported into 'crash-test'", third.Out);
        Assert.Contains($"0 added, {valid} already imported", third.Out);
        Assert.Equal(valid, Count(db, "SELECT COUNT(*) FROM submissions"));
    }

    [Fact]
    public async Task Mapping_file_channel_dry_run_and_progress()
    {
        var db = Temp("map.db");
        var input = Temp("survey.csv");
        await File.WriteAllTextAsync(input, "Ref,Your comments,Where,Session\n1,the bus route is slow,Margate,Roadshow\n2,dentist filling wait,Tunbridge Wels,Roadshow\n3,hello,Narnia,\n");
        var mapping = Temp("mapping.json");
        await File.WriteAllTextAsync(mapping, """{"text": "Your comments", "district": "Where", "event_name": "Session"}""");

        var dry = await Import(db, "--input", input, "--consultation", "survey", "--mapping", mapping, "--channel", "event", "--dry-run");
        Assert.True(dry.Code == 0, dry.Err);
        Assert.Contains("Dry run", dry.Out);
        Assert.Contains("3 rows read, 2 valid, 1 would be skipped", dry.Out);
        Assert.Contains("line 4: unknown district 'Narnia'", dry.Err);
        Assert.False(File.Exists(db) && Count(db, "SELECT COUNT(*) FROM submissions") > 0);

        var real = await Import(db, "--input", input, "--consultation", "survey", "--mapping", mapping, "--channel", "event");
        Assert.True(real.Code == 0, real.Err);
        Assert.Contains("imported 2 of 2 rows (100%)", real.Out);
        Assert.Contains("Read 3 rows: 2 added, 0 already imported, 1 skipped. Classified 2 comments.", real.Out);
        Assert.Equal(2, Count(db, "SELECT COUNT(*) FROM submissions WHERE channel = 'event' AND event_name = 'Roadshow'"));
        Assert.Equal(1, Count(db, "SELECT COUNT(*) FROM submissions WHERE district = 'TW'"));
    }

    [Fact]
    public async Task All_or_nothing_imports_nothing_when_a_row_is_bad()
    {
        var db = Temp("strict.db");
        var input = Temp("strict.csv");
        await File.WriteAllTextAsync(input, "text,district\nfine,T\nbad,Narnia\n");
        var result = await Import(db, "--input", input, "--consultation", "strict", "--all-or-nothing");
        Assert.Equal(CliApp.Failure, result.Code);
        Assert.Contains("nothing was imported", result.Out);
        Assert.Equal(0, Count(db, "SELECT COUNT(*) FROM submissions"));
    }

    [Theory]
    [InlineData("--channel", "pigeon", "unknown channel 'pigeon'")]
    [InlineData("--mapping", "missing.json", "mapping file not found")]
    [InlineData("--sheet", "Sheet2", "not a readable")]
    public async Task Bad_options_exit_2_with_a_clear_message(string option, string value, string expected)
    {
        var input = Temp("ok.csv");
        await File.WriteAllTextAsync(input, "text\nhello\n");
        if (option == "--sheet") await File.WriteAllBytesAsync(input = Temp("fake.xlsx"), Encoding.UTF8.GetBytes("PK\u0003\u0004 not really a zip"));
        var result = await Import(Temp("bad.db"), "--input", input, "--consultation", "x", option, value);
        Assert.Equal(CliApp.BadInput, result.Code);
        Assert.Contains(expected, result.Err);
    }
}
