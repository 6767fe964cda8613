using System.Globalization;

namespace Engagement.LoadBench;

/// <summary>
/// The public form GET against Kestrel answering "Hello", one after the other in the same run, with the same client,
/// concurrency and duration; the target is a ratio, so the machine's speed and the generator's own cost cancel out.
/// Each form GET is a first visit (no cookies), so the site issues a fresh antiforgery cookie and token every time: the
/// dearer case.
/// </summary>
internal static class FormVsHello
{
    public const double TargetRatio = 0.40;
    public const string FloorPath = "/favicon.svg";

    public static async Task RunAsync(LoadOptions options, RunReport report)
    {
        var root = ChildServer.RepoRoot();
        ClosedLoopResult hello;
        await using (var server = await ChildServer.StartHelloAsync(root))
        {
            using var probe = Clients.Create(server.BaseAddress, 1);
            var body = await probe.GetStringAsync("/");
            if (body != "Hello") throw new BenchFailedException($"The hello server answered '{body}'.");
            Console.WriteLine($"hello: {options.Concurrency} workers, warm-up then {options.Seconds} s ...");
            hello = await ClosedLoop.RunAsync(server, "Kestrel hello", "/", options);
        }
        Print(hello);

        ClosedLoopResult form;
        ClosedLoopResult? floor = null;
        using (var data = new DataFolder(options.Keep))
        await using (var site = await ChildServer.StartSiteAsync(root, data.Path))
        {
            var path = $"/consultations/{Seed.Slug}/respond";
            await Seed.EnsureConsultationAsync(data.Path, Seed.Slug);
            using (var probe = Clients.Create(site.BaseAddress, 1))
            using (var response = await probe.GetAsync(path))
            {
                if (Seed.TokenFrom(await response.Content.ReadAsStringAsync()) is null)
                    throw new BenchFailedException($"GET {path} answered {(int)response.StatusCode} without an antiforgery token:\n{site.Output}");
            }
            Console.WriteLine($"form: {options.Concurrency} workers, warm-up then {options.Seconds} s ...");
            form = await ClosedLoop.RunAsync(site, "public form GET", path, options);
            Print(form);

            // What the site's middleware alone costs (security headers, CSP nonce, error pages, static files), with no
            // page, database or antiforgery work: the most any change to the form page itself could approach.
            if (options.Floor)
            {
                Console.WriteLine($"floor: a static file through the site, {options.Concurrency} workers, warm-up then {options.Seconds} s ...");
                floor = await ClosedLoop.RunAsync(site, "site floor (static file)", FloorPath, options);
                Print(floor);
            }
        }

        report.ClosedLoops.AddRange(floor is null ? [hello, form] : [hello, form, floor]);
        var ratio = hello.RequestsPerSecond == 0 ? 0 : form.RequestsPerSecond / hello.RequestsPerSecond;
        report.Target(
            $"form GET ≥ {TargetRatio:P0} of hello (c={options.Concurrency}, {options.Seconds} s)",
            string.Create(CultureInfo.InvariantCulture, $"{form.RequestsPerSecond:N0} / {hello.RequestsPerSecond:N0} req/s = {ratio:P1}"),
            ratio >= TargetRatio);
        report.Target("form GET: every response 200", Outcomes(form), form.Failures == 0 && form.Requests > 0);
        report.Target("hello: every response 200", Outcomes(hello), hello.Failures == 0 && hello.Requests > 0);
        if (floor is not null)
            report.Note(string.Create(CultureInfo.InvariantCulture,
                $"site floor {FloorPath}: {floor.RequestsPerSecond:N0} req/s = {floor.RequestsPerSecond / hello.RequestsPerSecond:P1} of hello ({Outcomes(floor)})"));
    }

    private static string Outcomes(ClosedLoopResult r) => string.Join(", ", r.Outcomes.Select(o => $"{o.Key}: {o.Value:N0}"));

    private static void Print(ClosedLoopResult r) => Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"  {r.Target}: {r.RequestsPerSecond:N0} req/s, {r.Latency}; {r.ResponseBytes:N0} bytes; server CPU {r.ServerCpuMicrosecondsPerRequest:N0} µs/request " +
        $"({r.ServerCpuSeconds / r.Seconds:0.00} cores), bench {r.BenchCpuSeconds / r.Seconds:0.00} cores; load average {r.LoadAverageBefore} -> {r.LoadAverageAfter}"));
}
