using System.Globalization;
using Engagement.LoadBench;

// Load benchmark (issue 7), loopback only and bounded in time. The servers run as child processes so the load
// generator never shares a process with what it measures.
//   form-vs-hello [--seconds 60] [--concurrency 32]   closed loop: the public form GET against a bare Kestrel hello
//                                                     endpoint, same harness, concurrency and duration; target >= 40 %
//   submit [--rate 50] [--seconds 60]                 open loop at a constant arrival rate: GET form + POST Submit;
//                                                     target p99 < 1 s, no 5xx, stored rows = confirmed responses
//   all                                               both, one result file
// Common: [--warmup 5] [--out DIR] [--keep] (keep the SQLite folders). Exit code 0 when every target is met, 1 when one
// is missed, 2 when the bench itself could not run. Build first: dotnet build Engagement.sln -c Release.
//   token-cost [calls]                                what the antiforgery tokens of one first visit cost (CPU, one thread)
// Internal: "hello --urls URL" is the hello server the bench launches of itself.
if (args.Length > 0 && args[0] == HelloServer.Command) return await HelloServer.RunAsync(args[1..]);
if (args.Length > 0 && args[0] == TokenCost.Command) return TokenCost.Run(args[1..]);

LoadOptions options;
try
{
    options = LoadOptions.Parse(args);
}
catch (FormatException ex)
{
    Console.Error.WriteLine(ex.Message);
    Console.Error.WriteLine(LoadOptions.Usage);
    return 2;
}

try
{
    var report = new RunReport(options);
    if (options.Command is "form-vs-hello" or "all") await FormVsHello.RunAsync(options, report);
    if (options.Command is "submit" or "all") await SubmitLoad.RunAsync(options, report);
    report.Finish();
    Console.WriteLine();
    Console.WriteLine(report.ToTable());
    var (markdown, json) = report.Write();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"results: {markdown}\n         {json}"));
    return report.AllTargetsMet ? 0 : 1;
}
catch (BenchFailedException ex)
{
    Console.Error.WriteLine("The benchmark could not run: " + ex.Message);
    return 2;
}
