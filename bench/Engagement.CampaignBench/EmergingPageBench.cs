using System.Diagnostics;
using Dapper;
using Engagement.Core.Data;
using Engagement.Core.Domain;
using Engagement.Core.Emerging;
using Engagement.Core.Triage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

/// <summary>
/// The Emerging themes page's own work (read the unfitted comments, compare fingerprints, read or start the stored
/// result) on N unfitted comments in SQLite, with no result yet, while the background computation runs, and once it is
/// stored; and the background computation's time. Before, the first view did the clustering itself.
/// </summary>
internal static class EmergingPageBench
{
    public static async Task<int> RunAsync(SyntheticSet set)
    {
        var file = Path.Combine(Path.GetTempPath(), $"emerging-page-bench-{Guid.NewGuid():N}.db");
        var db = new Database(DatabaseProvider.Sqlite, new SqliteConnectionStringBuilder { DataSource = file, ForeignKeys = true }.ToString());
        try
        {
            Migrator.Migrate(db);
            var consultation = await new ConsultationStore(db).EnsureAsync(new Consultation
            {
                Slug = "bench", Title = "Bench", Status = ConsultationStatuses.Open,
                OpensOn = new DateTime(2026, 10, 1, 0, 0, 0, DateTimeKind.Utc), ClosesOn = new DateTime(2027, 1, 31, 0, 0, 0, DateTimeKind.Utc),
            });
            await SyntheticSet.InsertAsync(db, consultation.Id, set);
            await using (var c = await db.OpenAsync()) await c.ExecuteAsync("UPDATE comments SET suggested_confidence = 0.1");

            var store = new EmergingThemeStore(db, new ThemeAdminStore(db), Options.Create(new EmergingThemeOptions()));
            var leases = new JobLeases(new JobLeaseStore(db), new InstanceId("bench"), Options.Create(new JobLeaseOptions()), NullLogger<JobLeases>.Instance);
            using var job = new EmergingThemeJob(store, new MlEmergingThemeFinder(), leases, TimeProvider.System, NullLogger<EmergingThemeJob>.Instance);

            async Task<(double Ms, EmergingStatus Status)> ViewAsync()
            {
                var watch = Stopwatch.StartNew();
                var unfitted = await store.UnfittedAsync(consultation.Id);
                var status = await job.StatusAsync(consultation.Id, unfitted);
                return (watch.Elapsed.TotalMilliseconds, status);
            }

            var computing = Stopwatch.StartNew();
            var first = await ViewAsync();
            Console.WriteLine($"{first.Status.Comments:N0} unfitted comments; first view (starts the job): {first.Ms:0} ms, result shown: {first.Status.Shown is not null}");
            var during = new List<double>();
            for (var i = 0; i < 5; i++) during.Add((await ViewAsync()).Ms);
            Console.WriteLine($"views while it runs: median {during.Order().ElementAt(2):0} ms, max {during.Max():0} ms");
            await job.WhenIdleAsync(consultation.Id);
            Console.WriteLine($"background computation (read, cluster, store): {computing.Elapsed.TotalSeconds:0.0} s");
            var after = new List<(double Ms, EmergingStatus Status)>();
            for (var i = 0; i < 5; i++) after.Add(await ViewAsync());
            Console.WriteLine($"views with the stored result: median {after.Select(a => a.Ms).Order().ElementAt(2):0} ms, current: {after[^1].Status.Current}, " +
                $"{after[^1].Status.Shown!.Result.Clusters.Count} clusters");
            await using (var c = await db.OpenAsync())
                Console.WriteLine($"stored result_json: {await c.ExecuteScalarAsync<long>("SELECT LENGTH(result_json) FROM emerging_theme_results"):N0} characters");
            return 0;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            foreach (var f in new[] { file, file + "-wal", file + "-shm" }) if (File.Exists(f)) File.Delete(f);
        }
    }
}
