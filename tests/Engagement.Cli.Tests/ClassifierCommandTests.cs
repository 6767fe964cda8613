using System.Text;
using Engagement.Cli;

namespace Engagement.Cli.Tests;

/// <summary>Trains a tiny synthetic model once through `engage train`, then drives classify and evaluate in-process.</summary>
public sealed class SyntheticModelFixture : IDisposable
{
    private static readonly (string Id, int Outcome, string[] Words)[] Themes =
    [
        ("dental", 1, ["dentist", "tooth", "filling", "braces", "toothache"]),
        ("buses", 2, ["bus", "route", "timetable", "fare", "driver"]),
        ("general", 0, ["strategy", "consultation", "vision", "document", "survey"]),
    ];

    private static readonly string[] Filler = ["the", "really", "need", "kent", "please", "people", "local", "town"];

    public SyntheticModelFixture()
    {
        Root = Path.Combine(Path.GetTempPath(), "engage-cli-tests-" + Guid.NewGuid().ToString("N"));
        var training = Path.Combine(Root, "training");
        Directory.CreateDirectory(training);
        File.WriteAllText(Path.Combine(Root, "taxonomy.json"), """
            {"outcomes":[{"id":0,"name":"General"},{"id":1,"name":"Teeth"},{"id":2,"name":"Travel"}],
             "themes":[{"id":"dental","name":"Dental","outcome":1,"examplePhrases":["dentist"]},
                       {"id":"buses","name":"Buses","outcome":2,"examplePhrases":["bus route"]},
                       {"id":"general","name":"General","outcome":0,"examplePhrases":["the strategy"]}]}
            """);
        File.WriteAllText(Path.Combine(training, "train.csv"), Csv(30, 1));
        File.WriteAllText(Path.Combine(training, "test.csv"), Csv(8, 2));
        ModelPath = Path.Combine(Root, "model.zip");
        var (code, stdout, stderr) = Run("train", "--data", training, "--output", ModelPath).GetAwaiter().GetResult();
        if (code != 0) throw new InvalidOperationException($"training failed ({code}): {stderr}\n{stdout}");
        TrainOutput = stdout;
    }

    public string Root { get; }
    public string ModelPath { get; }
    public string TrainOutput { get; }

    private static string Csv(int perTheme, int seed)
    {
        var random = new Random(seed);
        var s = new StringBuilder("text,theme,outcome,source\n");
        for (var n = 0; n < perTheme; n++)
            foreach (var (id, outcome, words) in Themes)
            {
                var picked = Enumerable.Range(0, random.Next(2, 4)).Select(_ => words[random.Next(words.Length)])
                    .Concat(Enumerable.Range(0, random.Next(1, 4)).Select(_ => Filler[random.Next(Filler.Length)]))
                    .OrderBy(_ => random.Next());
                s.Append($"{string.Join(' ', picked)},{id},{outcome},synthetic\n");
            }
        return s.ToString();
    }

    /// <summary>A fresh path under the fixture's folder, so tests never share files.</summary>
    public string Temp(string name) => Path.Combine(Root, Guid.NewGuid().ToString("N") + "-" + name);

    /// <summary>
    /// The database and model as configuration overrides (the same keys as ConnectionStrings__Engagement and
    /// Classifier__ModelPath), so the tests never touch the developer's database or each other's.
    /// </summary>
    public KeyValuePair<string, string?>[] Config(string dbFile) =>
    [
        new("ConnectionStrings:Engagement", $"Data Source={dbFile};Pooling=False"),
        new("Classifier:ModelPath", ModelPath),
    ];

    /// <summary>Runs one command handler with captured output, turning a usage error into exit code 2 as CliApp.RunAsync does.</summary>
    public static async Task<(int Code, string Out, string Err)> RunCommand(Func<CliArgs, CliIo, Task<int>> command, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        try
        {
            return (await command(CliArgs.Parse(args), new CliIo(stdout, stderr, new StringReader(""))), stdout.ToString(), stderr.ToString());
        }
        catch (CliUsageException ex)
        {
            stderr.WriteLine(ex.Message);
            return (CliApp.BadInput, stdout.ToString(), stderr.ToString());
        }
    }

    public static async Task<(int Code, string Out, string Err)> Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await CliApp.RunAsync(args, stdout, stderr, new StringReader(""));
        return (code, stdout.ToString(), stderr.ToString());
    }

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { }
    }
}

public class ClassifierCommandTests(SyntheticModelFixture fixture) : IClassFixture<SyntheticModelFixture>
{
    private string Temp(string name) => fixture.Temp(name);

    [Fact]
    public void Train_writes_model_card_and_prints_test_metrics()
    {
        Assert.True(File.Exists(fixture.ModelPath));
        Assert.True(File.Exists(Path.ChangeExtension(fixture.ModelPath, ".md")));
        Assert.True(File.Exists(Path.ChangeExtension(fixture.ModelPath, ".metrics.json")));
        Assert.Contains("accuracy", fixture.TrainOutput);
        Assert.Contains("macro-F1", fixture.TrainOutput);
    }

    [Fact]
    public async Task Classify_keeps_columns_and_row_order_and_appends_predictions()
    {
        var input = Temp("in.csv");
        // BOM, a quoted newline, a quoted comma, an empty text row and a mixed-case header.
        var content = "id,Text,ward\n" +
                      "1,\"my dentist closed, no toothache help\",Margate\n" +
                      "2,\"the bus route\nhas no timetable\",Ashford\n" +
                      "3,,Dartford\n" +
                      "4,comments on the strategy document,Chatham\n";
        await File.WriteAllTextAsync(input, content, new UTF8Encoding(true));
        var output = Temp("out.csv");

        var (code, _, err) = await SyntheticModelFixture.Run("classify", "--input", input, "--output", output, "--model", fixture.ModelPath);

        Assert.True(code == 0, err);
        var rows = ReadCsv(output);
        Assert.Equal(["id", "Text", "ward", "outcome", "outcome_name", "theme", "confidence"], rows[0]);
        Assert.Equal(["1", "2", "3", "4"], rows.Skip(1).Select(r => r[0]));
        Assert.Equal("the bus route\nhas no timetable", rows[2][1]);
        Assert.Equal(["Margate", "Ashford", "Dartford", "Chatham"], rows.Skip(1).Select(r => r[2]));
        Assert.Equal(["1", "Teeth", "dental"], rows[1][3..6]);
        Assert.Equal(["2", "Travel", "buses"], rows[2][3..6]);
        Assert.Equal(["", "", "", ""], rows[3][3..7]);
        Assert.Equal(["0", "General", "general"], rows[4][3..6]);
        Assert.InRange(double.Parse(rows[1][6], System.Globalization.CultureInfo.InvariantCulture), 0.0, 1.0);
    }

    [Fact]
    public async Task Classify_rejects_a_file_without_a_text_column()
    {
        var input = Temp("notext.csv");
        await File.WriteAllTextAsync(input, "id,comment\n1,hello\n");
        var (code, _, err) = await SyntheticModelFixture.Run("classify", "--input", input, "--output", Temp("o.csv"), "--model", fixture.ModelPath);

        Assert.Equal(2, code);
        Assert.Contains("no 'text' column", err);
        Assert.Single(err.Trim().Split('\n'));
    }

    [Fact]
    public async Task Classify_rejects_a_missing_file()
    {
        var (code, _, err) = await SyntheticModelFixture.Run("classify", "--input", Temp("missing.csv"), "--output", Temp("o.csv"), "--model", fixture.ModelPath);
        Assert.Equal(2, code);
        Assert.Contains("not found", err);
        Assert.Single(err.Trim().Split('\n'));
    }

    [Theory]
    [InlineData("")]
    [InlineData("\uFEFF")]
    public async Task Classify_rejects_an_empty_file(string content)
    {
        var input = Temp("empty.csv");
        await File.WriteAllTextAsync(input, content);
        var output = Temp("o.csv");
        var (code, _, err) = await SyntheticModelFixture.Run("classify", "--input", input, "--output", output, "--model", fixture.ModelPath);

        Assert.Equal(2, code);
        Assert.Single(err.Trim().Split('\n'));
        Assert.False(File.Exists(output));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Classify_rejects_binary_garbage(int seed)
    {
        var input = Temp("garbage.csv");
        var bytes = new byte[4096];
        new Random(seed).NextBytes(bytes);
        await File.WriteAllBytesAsync(input, bytes);
        var output = Temp("o.csv");

        var (code, _, err) = await SyntheticModelFixture.Run("classify", "--input", input, "--output", output, "--model", fixture.ModelPath);

        Assert.Equal(2, code);
        Assert.Single(err.Trim().Split('\n'));
        Assert.False(File.Exists(output));
    }

    [Fact]
    public async Task Classify_reports_an_unusable_model_without_crashing()
    {
        var input = Temp("in.csv");
        await File.WriteAllTextAsync(input, "text\nbus route\n");
        var model = Temp("bad.zip");
        await File.WriteAllTextAsync(model, "not a zip");

        var (code, _, err) = await SyntheticModelFixture.Run("classify", "--input", input, "--output", Temp("o.csv"), "--model", model);

        Assert.Equal(1, code);
        Assert.Contains("unusable", err);
    }

    [Fact]
    public async Task Evaluate_prints_hand_computed_metrics()
    {
        // The model gets every text right; the truth column disagrees on row 3 (a dental text labelled 2).
        // predicted 1 1 1 2 2 0, truth 1 1 2 2 2 0 -> accuracy 5/6 = 0.8333
        // outcome 0: P 1, R 1, F1 1; outcome 1: P 2/3, R 1, F1 0.8; outcome 2: P 1, R 2/3, F1 0.8 -> macro-F1 0.8667
        var input = Temp("labelled.csv");
        await File.WriteAllTextAsync(input, """
            text,outcome
            dentist toothache filling,1
            braces dentist tooth,1
            toothache dentist filling braces,2
            bus route timetable,2
            bus driver fare,2
            strategy consultation vision,0
            """);

        var (code, stdout, err) = await SyntheticModelFixture.Run("evaluate", "--input", input, "--model", fixture.ModelPath);

        Assert.True(code == 0, err);
        Assert.Contains("accuracy  0.8333", stdout);
        Assert.Contains("macro-F1  0.8667", stdout);
        Assert.Matches(@"\n\s+1\s+0\.6667\s+1\.0000\s+0\.8000\s+2", stdout);
        Assert.Matches(@"\n\s+2\s+1\.0000\s+0\.6667\s+0\.8000\s+3", stdout);
        // Confusion row for truth 2: one predicted as 1, two as 2.
        Assert.Matches(@"\n\s+2\s+0\s+1\s+2\s*\n", stdout);
    }

    [Theory]
    [InlineData("text,label\nbus,2\n", "no 'outcome' column")]
    [InlineData("text,outcome\nbus,seven\n", "row 2")]
    [InlineData("outcome\n2\n", "no 'text' column")]
    public async Task Evaluate_rejects_bad_files(string content, string message)
    {
        var input = Temp("bad.csv");
        await File.WriteAllTextAsync(input, content);
        var (code, _, err) = await SyntheticModelFixture.Run("evaluate", "--input", input, "--model", fixture.ModelPath);
        Assert.Equal(2, code);
        Assert.Contains(message, err);
    }

    [Fact]
    public async Task Evaluate_rejects_a_missing_file()
    {
        var (code, _, err) = await SyntheticModelFixture.Run("evaluate", "--input", Temp("missing.csv"), "--model", fixture.ModelPath);
        Assert.Equal(2, code);
        Assert.Contains("not found", err);
    }

    private static List<string[]> ReadCsv(string path)
    {
        using var reader = new StreamReader(path);
        using var parser = new CsvHelper.CsvParser(reader, System.Globalization.CultureInfo.InvariantCulture);
        var rows = new List<string[]>();
        while (parser.Read()) rows.Add(parser.Record!);
        return rows;
    }
}
