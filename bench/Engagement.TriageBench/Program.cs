using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Dapper;
using Engagement.Classifier;
using Engagement.Core.Data;
using Engagement.Core.Domain;
using Engagement.Core.Staff;
using Engagement.Core.Triage;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

// Seeds a SQLite database with N comments in one consultation, then times the triage queue page and the triage POST
// through the whole site (routing, auth, antiforgery, Razor, stores, classifier) on an in-process test server.
//   dotnet run --project bench/Engagement.TriageBench -c Release -- [--comments 100000] [--iterations 50] [--model PATH] [--keep DIR]
// Before timing, it prints SQLite's query plan for each queue statement, so a missing index shows up as a SCAN.
// The retrain target has its own mode: ... -- retrain [--confirmed 10000] (see RetrainBench.cs).
internal static class TriageBenchMain
{
    public static Task<int> Main(string[] args) => args.Length > 0 && args[0] == "retrain"
        ? RetrainBench.RunAsync(args)
        : TriageBench.RunAsync(BenchOptions.Parse(args));
}

internal sealed record BenchOptions(int Comments, int Iterations, string? Model, string? Keep)
{
    public static BenchOptions Parse(string[] args)
    {
        string? Value(string name) { var i = Array.IndexOf(args, name); return i >= 0 && i + 1 < args.Length ? args[i + 1] : null; }
        return new BenchOptions(
            int.Parse(Value("--comments") ?? "100000", CultureInfo.InvariantCulture),
            int.Parse(Value("--iterations") ?? "50", CultureInfo.InvariantCulture),
            Value("--model"), Value("--keep"));
    }
}

internal static partial class TriageBench
{
    private const string Slug = "bench";
    private const string Password = "bench password 123";

    public static async Task<int> RunAsync(BenchOptions o)
    {
        var dir = o.Keep ?? Path.Combine(Path.GetTempPath(), "engagement-triage-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        var model = o.Model ?? FindOrTrainModel(dir);
        Console.WriteLine($"database folder {dir}");
        Console.WriteLine($"model {model ?? "(none)"}");

        var dbFile = Path.Combine(dir, "engagement.db");
        var db = new Database(DatabaseProvider.Sqlite, new SqliteConnectionStringBuilder { DataSource = dbFile, ForeignKeys = true, Pooling = true }.ToString());
        Migrator.Migrate(db);
        await new ThemeStore(db).SeedAsync(BenchThemes.Select(t => new ThemeSeed(t.Id, t.Name, t.Outcome, "", [], null)));
        var consultation = await new ConsultationStore(db).EnsureAsync(new Consultation
        {
            Slug = Slug, Title = "Bench consultation", Status = ConsultationStatuses.Open,
            OpensOn = new DateTime(2026, 10, 1, 0, 0, 0, DateTimeKind.Utc), ClosesOn = new DateTime(2027, 1, 31, 0, 0, 0, DateTimeKind.Utc),
        });
        var existing = await new SubmissionStore(db).CountAsync(consultation.Id);
        var sw = Stopwatch.StartNew();
        if (existing < o.Comments)
        {
            var random = new Random(42);
            var submissions = new SubmissionStore(db);
            for (var start = (int)existing; start < o.Comments; start += 10_000)
            {
                var batch = Enumerable.Range(start, Math.Min(10_000, o.Comments - start)).Select(n => MakeSubmission(consultation.Id, n, random)).ToList();
                await submissions.CreateManyAsync(batch);
            }
            Console.WriteLine($"seeded {o.Comments - existing:N0} comments in {sw.Elapsed.TotalSeconds:0.0} s");
        }
        sw.Restart();
        var (scanned, flagged) = await new TriageStore(db).ScanSafeguardingAsync(SafeguardingDetector.Instance);
        Console.WriteLine($"safeguarding scan: {scanned:N0} comments, {flagged:N0} flagged, {sw.Elapsed.TotalSeconds:0.0} s ({(scanned == 0 ? 0 : sw.Elapsed.TotalMilliseconds * 1000 / scanned):0} µs per comment)");

        Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_ENGAGEMENT_WEB", RepoPaths.Resolve("src/Engagement.Web"));
        await using var factory = new BenchFactory(dir, model);
        await factory.Services.GetRequiredService<StaffUserStore>().AddOrUpdateAsync("bench@example.org", StaffRoles.EngagementTeam, Password);
        // HTTPS, as in production: the site redirects plain http and its cookies are __Host- Secure.
        var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true, BaseAddress = new Uri("https://localhost") });
        await SignInAsync(client);
        var classifier = factory.Services.GetRequiredService<ICommentClassifier>();
        Console.WriteLine($"classifier available: {classifier.IsAvailable} {classifier.ModelVersion}");

        var results = new List<(string Name, List<double> Ms)>();
        var queue = $"/staff/consultations/{Slug}/triage";
        string? deep = null;
        {
            // A cursor about half way down the least-certain order, for a deep page.
            var store = factory.Services.GetRequiredService<TriageStore>();
            var page = await store.QueueAsync(consultation.Id, new QueueFilter(), QueueOrder.LeastCertain, null, 20);
            await using var c = await db.OpenAsync();
            var mid = await c.QuerySingleAsync<(double Conf, long Id)>(
                "SELECT suggested_confidence, id FROM comments WHERE status = 'new' AND suggested_confidence IS NOT NULL ORDER BY suggested_confidence, id LIMIT 1 OFFSET @skip", new { skip = (int)(o.Comments * 0.45) });
            deep = new QueueCursor(true, mid.Conf, mid.Id).Encode();
            _ = page;
        }
        await PrintQueryPlansAsync(db, factory.Services.GetRequiredService<TriageStore>(), consultation.Id, deep!);

        var pages = new (string Name, string Url)[]
        {
            ("GET queue, least certain first", queue),
            ("GET queue, newest first", queue + "?Q.Order=newest"),
            ($"GET queue, deep page (cursor {o.Comments * 45 / 100:N0} in)", queue + "?Q.After=" + Uri.EscapeDataString(deep!)),
            ("GET queue, filtered (district T + high band)", queue + "?Q.District=T&Q.Band=high"),
            ("GET queue, filtered (outcome 5 + partner + email)", queue + "?Q.Outcome=5&Q.RespondentType=partner&Q.Channel=email"),
        };
        foreach (var (name, url) in pages)
        {
            Console.WriteLine($"{name}: {(await client.GetByteArrayAsync(url)).Length / 1024.0:0} KB of HTML");
            for (var w = 0; w < 3; w++) await GetOkAsync(client, url);
            var ms = new List<double>();
            for (var i = 0; i < o.Iterations; i++)
            {
                var t = Stopwatch.StartNew();
                await GetOkAsync(client, url);
                ms.Add(t.Elapsed.TotalMilliseconds);
            }
            results.Add((name, ms));
        }

        // Where a queue page's time goes: the same steps the page model takes, timed one by one (no HTTP, no Razor).
        {
            var store = factory.Services.GetRequiredService<TriageStore>();
            var detector = factory.Services.GetRequiredService<Engagement.Core.Privacy.PersonalDataDetector>();
            var steps = new (string Name, Func<Task> Run)[]
            {
                ("  store: count + page query (least certain)", () => store.QueueAsync(consultation.Id, new QueueFilter(), QueueOrder.LeastCertain, null, 20)),
                ("  store: count + page query (newest)", () => store.QueueAsync(consultation.Id, new QueueFilter(), QueueOrder.Newest, null, 20)),
                ("  store: count + page query (deep cursor)", () => store.QueueAsync(consultation.Id, new QueueFilter(), QueueOrder.LeastCertain, QueueCursor.Decode(deep), 20)),
            };
            var texts = (await store.QueueAsync(consultation.Id, new QueueFilter(), QueueOrder.LeastCertain, null, 20)).Items.Select(i => i.Text).ToList();
            var more = new (string Name, Action Run)[]
            {
                ("  classifier: live suggestions + top terms for 20", () => classifier.SuggestMany(texts)),
                ("  personal data: find + redact for 20", () => { foreach (var t in texts) { detector.Find(t); detector.Redact(t); } }),
                ("  safeguarding: check 20", () => { foreach (var t in texts) SafeguardingDetector.Instance.Check(t); }),
            };
            foreach (var (name, run) in steps)
            {
                for (var w = 0; w < 3; w++) await run();
                var ms = new List<double>();
                for (var i = 0; i < o.Iterations; i++) { var t = Stopwatch.StartNew(); await run(); ms.Add(t.Elapsed.TotalMilliseconds); }
                results.Add((name, ms));
            }
            foreach (var (name, run) in more)
            {
                for (var w = 0; w < 3; w++) run();
                var ms = new List<double>();
                for (var i = 0; i < o.Iterations; i++) { var t = Stopwatch.StartNew(); run(); ms.Add(t.Elapsed.TotalMilliseconds); }
                results.Add((name, ms));
            }
        }

        // Triage POST: accept the suggestion on the next comment in the queue, one after another.
        var token = await TokenAsync(client, queue);
        var ids = await NextIdsAsync(db, o.Iterations + 3);
        var post = new List<double>();
        var conflicts = new List<double>();
        for (var i = 0; i < ids.Count; i++)
        {
            var form = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = token, ["Input.Act"] = "accept", ["Input.RowVersion"] = "1", ["Input.ReturnUrl"] = queue,
            });
            var t = Stopwatch.StartNew();
            var response = await client.PostAsync($"/staff/triage/comments/{ids[i]}", form);
            var ms = t.Elapsed.TotalMilliseconds;
            if (response.StatusCode != HttpStatusCode.Redirect) throw new InvalidOperationException($"POST returned {(int)response.StatusCode}");
            if (i >= 3) post.Add(ms);
            // The same POST again is now stale: the conflict page.
            if (i % 5 == 0)
            {
                var again = new FormUrlEncodedContent(new Dictionary<string, string>
                {
                    ["__RequestVerificationToken"] = token, ["Input.Act"] = "spam", ["Input.RowVersion"] = "1", ["Input.ReturnUrl"] = queue,
                });
                t.Restart();
                var conflict = await client.PostAsync($"/staff/triage/comments/{ids[i]}", again);
                conflicts.Add(t.Elapsed.TotalMilliseconds);
                if (conflict.StatusCode != HttpStatusCode.Conflict) throw new InvalidOperationException($"stale POST returned {(int)conflict.StatusCode}");
            }
        }
        results.Add(("POST accept suggestion (redirect)", post));
        results.Add(("POST with stale row version (409 page)", conflicts));

        // Bulk accept of a page of 20.
        var bulk = new List<double>();
        for (var i = 0; i < Math.Max(5, o.Iterations / 5); i++)
        {
            var next = await NextIdsAsync(db, 20);
            var form = new FormUrlEncodedContent(next.Select(id => new KeyValuePair<string, string>("Selected", $"{id}:1"))
                .Append(new("BulkAct", "accept")).Append(new("__RequestVerificationToken", token)));
            var t = Stopwatch.StartNew();
            var response = await client.PostAsync(queue + "?handler=Bulk", form);
            bulk.Add(t.Elapsed.TotalMilliseconds);
            if (response.StatusCode != HttpStatusCode.Redirect) throw new InvalidOperationException($"bulk POST returned {(int)response.StatusCode}");
        }
        results.Add(("POST bulk accept, 20 comments", bulk));

        long total;
        await using (var c = await db.OpenAsync()) total = await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM comments");
        Console.WriteLine();
        Console.WriteLine($"{total:N0} comments in the database; {o.Iterations} timed requests per row (after 3 warm-up); in-process server, SQLite, {Environment.ProcessorCount} cores; load average {RetrainBench.LoadAverage()}");
        Console.WriteLine($"| Request | p50 ms | p95 ms | max ms |");
        Console.WriteLine($"|---|---:|---:|---:|");
        foreach (var (name, ms) in results)
            Console.WriteLine($"| {name} | {P(ms, 0.5):0.0} | {P(ms, 0.95):0.0} | {ms.Max():0.0} |");

        if (o.Keep is null) { await factory.DisposeAsync(); SqliteConnection.ClearAllPools(); try { Directory.Delete(dir, true); } catch (IOException) { } }
        return 0;
    }

    /// <summary>
    /// EXPLAIN QUERY PLAN for the statements the queue page runs. A line with "SCAN m" (rather than "SEARCH m USING ...
    /// INDEX") or "USE TEMP B-TREE FOR ORDER BY" means the index does not serve that query and its cost grows with the table.
    /// </summary>
    private static async Task PrintQueryPlansAsync(Database db, TriageStore store, long consultationId, string deepCursor)
    {
        var cases = new (string Name, QueueFilter Filter, QueueOrder Order, QueueCursor? After)[]
        {
            ("least certain first", new QueueFilter(), QueueOrder.LeastCertain, null),
            ("newest first", new QueueFilter(), QueueOrder.Newest, null),
            ("least certain, deep cursor", new QueueFilter(), QueueOrder.LeastCertain, QueueCursor.Decode(deepCursor)),
            ("district + high band", new QueueFilter { District = "T", Band = ConfidenceBands.High }, QueueOrder.LeastCertain, null),
            ("outcome + partner + email", new QueueFilter { SuggestedOutcome = 5, RespondentType = "partner", Channel = "email" }, QueueOrder.LeastCertain, null),
            ("newest, channel filter", new QueueFilter { Channel = "email" }, QueueOrder.Newest, null),
        };
        await using var c = await db.OpenAsync();
        Console.WriteLine();
        Console.WriteLine("Query plans (SQLite EXPLAIN QUERY PLAN):");
        foreach (var (name, filter, order, after) in cases)
        {
            var q = store.BuildQueueQuery(consultationId, filter, order, after, 20);
            foreach (var (label, sql) in new[] { ("count", q.CountSql), ("page", q.PageSql) })
            {
                var plan = (await c.QueryAsync<(long Id, long Parent, long NotUsed, string Detail)>("EXPLAIN QUERY PLAN " + sql, q.Parameters)).Select(r => r.Detail).ToList();
                var warn = plan.Any(d => d.StartsWith("SCAN m", StringComparison.Ordinal) || d.Contains("TEMP B-TREE", StringComparison.Ordinal)) ? "  <-- not fully indexed" : "";
                Console.WriteLine($"  {name}, {label}: {string.Join(" | ", plan)}{warn}");
            }
        }
    }

    private static double P(List<double> values, double q)
    {
        var sorted = values.Order().ToList();
        return sorted[(int)Math.Min(sorted.Count - 1, Math.Ceiling(q * sorted.Count) - 1)];
    }

    private static async Task<List<long>> NextIdsAsync(Database db, int take)
    {
        await using var c = await db.OpenAsync();
        return (await c.QueryAsync<long>(
            "SELECT id FROM comments WHERE status = 'new' AND suggested_theme IS NOT NULL ORDER BY suggested_confidence, id LIMIT @take", new { take })).ToList();
    }

    private static async Task GetOkAsync(HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        if (response.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"GET {url} returned {(int)response.StatusCode}");
        await response.Content.ReadAsStringAsync();
    }

    private static async Task SignInAsync(HttpClient client)
    {
        var token = await TokenAsync(client, "/staff/sign-in");
        var response = await client.PostAsync("/staff/sign-in", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["Input.Email"] = "bench@example.org", ["Input.Password"] = Password,
        }));
        if (response.StatusCode != HttpStatusCode.Redirect) throw new InvalidOperationException("sign-in failed");
    }

    private static async Task<string> TokenAsync(HttpClient client, string url)
    {
        var html = await client.GetStringAsync(url);
        return WebUtility.HtmlDecode(TokenPattern().Match(html).Groups[1].Value);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();

    // ------------------------------------------------------------------ data

    private static readonly (string Id, string Name, int Outcome, string[] Words)[] BenchThemes =
    [
        ("gp-access", "GP access", 4, ["GP", "appointment", "receptionist", "surgery", "doctor", "phone at 8am"]),
        ("dentistry", "Dentistry, pharmacy and eye care", 4, ["dentist", "NHS dentist", "filling", "pharmacy", "optician", "toothache"]),
        ("transport", "Transport and access", 2, ["bus", "route", "timetable", "parking", "train", "taxi"]),
        ("housing", "Housing", 2, ["damp", "mould", "landlord", "rent", "council flat", "eviction"]),
        ("cyp-mental-health", "Children's mental health", 1, ["CAMHS", "my son", "anxiety", "school counsellor", "waiting list", "teenager"]),
        ("hospital-discharge", "Hospital discharge", 5, ["discharge", "ward", "bed", "care package", "A&E", "ambulance"]),
        ("workforce", "Workforce", 6, ["staff", "nurses", "recruitment", "agency", "burnout", "pay"]),
        ("strategy", "The strategy overall", 0, ["strategy", "consultation", "vision", "document", "jargon", "survey"]),
    ];

    private static readonly string[] Filler = ["it is", "really", "we need", "in Kent", "please", "people", "local", "better", "always", "our town", "every week", "my family", "for years", "nobody listens"];
    private static readonly string[] Pii = ["Call me on 07700 900123.", "My email is jo.bloggs@example.com.", "I live at 12 Station Road, ME7 1AA.", "My name is Sarah Jones.", "My NHS number is 943 476 5919."];

    private static NewSubmission MakeSubmission(long consultationId, int n, Random random)
    {
        var theme = BenchThemes[random.Next(BenchThemes.Length)];
        var sb = new StringBuilder();
        var words = random.Next(12, 40);
        for (var w = 0; w < words; w++) sb.Append(random.NextDouble() < 0.3 ? theme.Words[random.Next(theme.Words.Length)] : Filler[random.Next(Filler.Length)]).Append(' ');
        if (random.NextDouble() < 0.1) sb.Append(Pii[random.Next(Pii.Length)]);
        double? confidence = random.NextDouble() < 0.05 ? null : Math.Round(random.NextDouble(), 4);
        var district = Districts.All[random.Next(Districts.All.Count)].Code;
        return new NewSubmission
        {
            ConsultationId = consultationId,
            RespondentType = RespondentTypes.All[random.Next(3)].Value,
            District = district,
            Channel = Channels.All[random.Next(Channels.All.Count)].Value,
            SubmittedAt = new DateTime(2026, 10, 1, 0, 0, 0, DateTimeKind.Utc).AddMinutes(n),
            SourceRef = "bench-" + n.ToString(CultureInfo.InvariantCulture),
            Comments = [new NewComment(sb.ToString().Trim(), random.Next(0, 7))
            {
                Suggestion = confidence is null ? null : new CommentSuggestion(theme.Outcome, theme.Id, confidence.Value, confidence < 0.5, "bench"),
            }],
        };
    }

    /// <summary>The repository's model when there is one; otherwise a small model trained here on made-up comments, so the page pays for live suggestions.</summary>
    private static string? FindOrTrainModel(string dir)
    {
        var shipped = RepoPaths.Resolve("models/outcome-theme-classifier.zip");
        if (File.Exists(shipped)) return shipped;
        var root = Path.Combine(dir, "synthetic");
        var training = Path.Combine(root, "training");
        Directory.CreateDirectory(training);
        var taxonomy = new
        {
            outcomes = Outcomes.All.Select(x => new { id = x.Id, name = x.ShortName, shortName = x.ShortName, plainEnglish = "", priorities = Array.Empty<string>() }),
            themes = BenchThemes.Select(t => new { id = t.Id, name = t.Name, outcome = t.Outcome, description = "", examplePhrases = t.Words.Take(2).ToArray(), reasoning = "" }),
        };
        File.WriteAllText(Path.Combine(root, "taxonomy.json"), JsonSerializer.Serialize(taxonomy));
        var random = new Random(7);
        foreach (var (file, count) in new[] { ("train.csv", 1500), ("test.csv", 300) })
        {
            var sb = new StringBuilder("text,theme,outcome,source\n");
            for (var i = 0; i < count; i++)
            {
                var s = MakeSubmission(0, i, random);
                sb.Append('"').Append(s.Comments[0].Text.Replace("\"", "\"\"")).Append("\",").Append(s.Comments[0].Suggestion?.ThemeId ?? BenchThemes[0].Id).Append(",,bench\n");
            }
            File.WriteAllText(Path.Combine(training, file), sb.ToString());
        }
        var path = Path.Combine(dir, "bench-model.zip");
        if (!File.Exists(path)) ModelTrainer.Train(new TrainingOptions { DataDir = training, OutputPath = path, Folds = 2 });
        return path;
    }

    private sealed class BenchFactory(string dataDirectory, string? model) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Production");
            builder.UseSetting("Database:DataDirectory", dataDirectory);
            builder.UseSetting("Demo:LoadOnFirstRun", "false");
            builder.UseSetting("RateLimits:SignInAttemptsPerWindow", "1000");
            // The bench signs in with a password only; production also asks for a one-time code, which is not what is timed here.
            builder.UseSetting("TwoFactor:Required", "false");
            builder.UseSetting("Logging:LogLevel:Default", "Warning");
            if (model is not null) builder.UseSetting("Classifier:ModelPath", model);
        }
    }
}
