using Engagement.Cli.Commands;

namespace Engagement.Cli;

/// <summary>Entry point shared by Program and the CLI tests, so tests run commands in-process.</summary>
public static class CliApp
{
    public const int Ok = 0;
    public const int Failure = 1;
    public const int BadInput = 2;

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, TextReader stdin)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            stdout.WriteLine(Usage);
            return args.Length == 0 ? BadInput : Ok;
        }

        var options = CliArgs.Parse(args.Skip(1));
        var io = new CliIo(stdout, stderr, stdin);
        try
        {
            return args[0] switch
            {
                "train" => await ClassifierCommands.TrainAsync(options, io),
                "classify" => await ClassifierCommands.ClassifyAsync(options, io),
                "evaluate" => await ClassifierCommands.EvaluateAsync(options, io),
                "import" => await ReportCommands.ImportAsync(options, io),
                "report" => await ReportCommands.ReportAsync(options, io),
                "campaigns" => await CampaignCommands.RunAsync(options, io),
                "privacy" => await PrivacyCommands.RunAsync(options, io),
                "keys" => await KeyCommands.RunAsync(options, io),
                _ => await DataCommands.RunAsync(args[0], options, io),
            };
        }
        catch (CliUsageException ex)
        {
            stderr.WriteLine($"engage {args[0]}: {ex.Message}");
            return BadInput;
        }
    }

    public const string Usage = """
        engage — Kent and Medway Have your say: engagement analysis command line

          engage db migrate                              create or upgrade the database
          engage seed-demo                               load the demo consultation
          engage users add --email E --role R [--password P]   (password from stdin if omitted)
          engage users reset-two-factor|disable|enable --email E
          engage train [--data DIR] [--output models/...]
                 [--compare] [--trainer sdca|lbfgs|ova|lightgbm] [--dev DEV.csv] [--extra CONFIRMED.csv]
          engage classify --input IN.csv --output OUT.csv [--model PATH]
          engage evaluate --input LABELLED.csv [--model PATH]
          engage import --input FILE.csv|FILE.xlsx --consultation SLUG
                 [--channel C] [--mapping FILE.json] [--sheet NAME] [--dry-run] [--all-or-nothing]
          engage report --consultation SLUG --format html|docx|xlsx|csv --output PATH
          engage campaigns detect --consultation SLUG    group duplicate and campaign comments
          engage privacy erase --reference REF           anonymise one response at the respondent's request
          engage privacy purge [--dry-run]               anonymise responses past their retention period
          engage privacy retention --consultation SLUG --months N|default
          engage keys list                               the site's Data Protection keys (cookies, form tokens)
          engage keys revoke --reason TEXT               revoke them all (then restart every web instance)

        The database is chosen by the same configuration as the site
        (appsettings.json, then environment variables such as ConnectionStrings__Engagement).
        """;
}

public sealed record CliIo(TextWriter Out, TextWriter Error, TextReader In);

public sealed class CliUsageException(string message) : Exception(message);

/// <summary>Parses "--name value" pairs and bare words; a flag with no value is stored as "true".</summary>
public sealed class CliArgs
{
    private readonly Dictionary<string, string> named = new(StringComparer.OrdinalIgnoreCase);
    public List<string> Positional { get; } = [];

    public static CliArgs Parse(IEnumerable<string> args)
    {
        var parsed = new CliArgs();
        var list = args.ToList();
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i].StartsWith("--", StringComparison.Ordinal))
            {
                var name = list[i][2..];
                var hasValue = i + 1 < list.Count && !list[i + 1].StartsWith("--", StringComparison.Ordinal);
                parsed.named[name] = hasValue ? list[++i] : "true";
            }
            else
            {
                parsed.Positional.Add(list[i]);
            }
        }
        return parsed;
    }

    public string? Get(string name) => named.TryGetValue(name, out var v) ? v : null;

    public string Require(string name) =>
        Get(name) ?? throw new CliUsageException($"--{name} is required.");

    public bool Has(string name) => named.ContainsKey(name);
}
