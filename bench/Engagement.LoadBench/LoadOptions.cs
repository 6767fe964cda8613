using System.Globalization;

namespace Engagement.LoadBench;

internal sealed record LoadOptions(
    string Command, int Seconds, int WarmupSeconds, int MaxWarmupSeconds, int Concurrency, double Rate, string OutDirectory, bool Keep, bool Floor)
{
    public const string Usage =
        "usage: Engagement.LoadBench (form-vs-hello | submit | all) [--seconds 60] [--warmup 5] [--max-warmup 60] [--concurrency 32] [--rate 50] [--floor] [--out DIR] [--keep]";

    public static readonly string[] Commands = ["form-vs-hello", "submit", "all"];

    public TimeSpan Duration => TimeSpan.FromSeconds(Seconds);
    public TimeSpan Warmup => TimeSpan.FromSeconds(WarmupSeconds);
    public TimeSpan MaxWarmup => TimeSpan.FromSeconds(Math.Max(WarmupSeconds, MaxWarmupSeconds));

    public static LoadOptions Parse(string[] args)
    {
        if (args.Length == 0 || !Commands.Contains(args[0]))
            throw new FormatException($"Name what to run first: {string.Join(", ", Commands)}.");

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        bool keep = false, floor = false;
        for (var i = 1; i < args.Length; i++)
        {
            if (args[i] == "--keep") { keep = true; continue; }
            if (args[i] == "--floor") { floor = true; continue; }
            if (args[i] is not ("--seconds" or "--warmup" or "--max-warmup" or "--concurrency" or "--rate" or "--out"))
                throw new FormatException($"Unknown option '{args[i]}'.");
            if (i + 1 >= args.Length) throw new FormatException($"{args[i]} needs a value.");
            values[args[i]] = args[++i];
        }

        return new LoadOptions(
            args[0],
            Whole(values, "--seconds", 60, min: 1, max: 3600),
            Whole(values, "--warmup", 5, min: 0, max: 600),
            Whole(values, "--max-warmup", 60, min: 0, max: 600),
            Whole(values, "--concurrency", 32, min: 1, max: 4096),
            Number(values, "--rate", 50, min: 0.1, max: 10_000),
            values.TryGetValue("--out", out var output) ? Path.GetFullPath(output) : Path.Combine(Path.GetTempPath(), "engagement-loadbench"),
            keep, floor);
    }

    private static int Whole(Dictionary<string, string> values, string name, int fallback, int min, int max)
    {
        if (!values.TryGetValue(name, out var text)) return fallback;
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
            ? n
            : throw new FormatException($"{name} is '{text}'; give a whole number from {min} to {max}.");
    }

    private static double Number(Dictionary<string, string> values, string name, double fallback, double min, double max)
    {
        if (!values.TryGetValue(name, out var text)) return fallback;
        return double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
            ? n
            : throw new FormatException($"{name} is '{text}'; give a number from {min} to {max}.");
    }
}

/// <summary>The bench could not measure (a server did not start, the form had no token): not a missed target.</summary>
internal sealed class BenchFailedException(string message) : Exception(message);
