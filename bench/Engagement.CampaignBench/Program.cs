using System.Diagnostics;
using Engagement.Classifier;
using Engagement.Core.Campaigns;
using Engagement.Core.Data;
using Engagement.Core.Domain;
using Microsoft.Data.Sqlite;

// Campaign and duplicate grouping benchmark. Target: grouping 100,000 comments in 30 s or less.
//   group [N] [seed]   in memory: N synthetic comments with planted campaigns; grouping time, pairwise precision/recall
//   emerging [N] [seed] emerging-theme clustering: time on N corpus comments, and purity on four whole corpus themes
//   store [N] [seed]   end to end: the same comments in a fresh SQLite file, then CampaignStore.DetectAsync (load, group, save)
//   emerging-page [N] [seed] the same comments stored as unfitted: what a view of the Emerging themes page costs before,
//                      during and after the background clustering (EmergingThemeJob), and how long that takes
var mode = args.Length > 0 ? args[0] : "group";
var n = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 100_000;
var seed = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 1;

if (mode == "emerging") return EmergingBench.Run(n, seed);

var sentences = LabelledData.Read(RepoPaths.Resolve("data-samples/training/train.csv")).Select(r => r.Text.Trim().TrimEnd('.'))
    .Distinct().ToList();
var set = SyntheticSet.Make(sentences, n, seed);
Console.WriteLine($"{set.Comments.Count:N0} comments ({set.CampaignComments:N0} in {set.Campaigns} planted campaigns), {Environment.ProcessorCount} cores");

if (mode == "group")
{
    NearDuplicateGrouper.Group(set.Comments.Take(2000).ToList()); // warm-up (JIT)
    var watch = Stopwatch.StartNew();
    var groups = NearDuplicateGrouper.Group(set.Comments);
    watch.Stop();
    var (precision, recall) = SyntheticSet.PairwiseScores(set, groups);
    var found = groups.Count(g => g.IsCampaign());
    Console.WriteLine($"grouping: {watch.Elapsed.TotalSeconds:0.00} s; {groups.Count:N0} groups, {found} campaigns (3+ respondents)");
    Console.WriteLine($"pairwise precision {precision:0.0000}, recall {recall:0.0000} against the generator's truth");
    if (args.Contains("--show-errors"))
        foreach (var g in groups.Where(g => g.CommentIds.Select(id => set.TruthKey[id]).Distinct().Count() > 1).Take(5))
        {
            Console.WriteLine($"-- mixed group of {g.CommentIds.Count}:");
            foreach (var id in g.CommentIds.DistinctBy(id => set.TruthKey[id]).Take(4)) Console.WriteLine($"   [{set.TruthKey[id]}] {set.Comments[(int)id - 1].Text}");
        }
    Console.WriteLine($"peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / 1024 / 1024} MB");
}
else if (mode == "store")
{
    var file = Path.Combine(Path.GetTempPath(), $"campaign-bench-{Guid.NewGuid():N}.db");
    var db = new Database(DatabaseProvider.Sqlite, new SqliteConnectionStringBuilder { DataSource = file, ForeignKeys = true }.ToString());
    Migrator.Migrate(db);
    var consultation = await new ConsultationStore(db).EnsureAsync(new Consultation
    {
        Slug = "bench", Title = "Bench", Status = ConsultationStatuses.Open,
        OpensOn = new DateTime(2026, 10, 1, 0, 0, 0, DateTimeKind.Utc), ClosesOn = new DateTime(2027, 1, 31, 0, 0, 0, DateTimeKind.Utc),
    });
    var load = Stopwatch.StartNew();
    await SyntheticSet.InsertAsync(db, consultation.Id, set);
    Console.WriteLine($"inserted in {load.Elapsed.TotalSeconds:0.0} s (not part of the target)");
    var store = new CampaignStore(db);
    var result = await store.DetectAsync(consultation.Id);
    Console.WriteLine($"detect (load + group + save): {result.TotalTime.TotalSeconds:0.00} s, of which grouping {result.GroupingTime.TotalSeconds:0.00} s; " +
        $"{result.CommentsScanned:N0} comments, {result.Groups:N0} groups, {result.Campaigns} campaigns");
    var again = await store.DetectAsync(consultation.Id);
    Console.WriteLine($"second run (replaces suggestions): {again.TotalTime.TotalSeconds:0.00} s");
    var list = Stopwatch.StartNew();
    var campaigns = await store.ListAsync(consultation.Id, campaignsOnly: true);
    Console.WriteLine($"list campaigns: {list.Elapsed.TotalSeconds:0.00} s ({campaigns.Count} campaigns, largest {campaigns[0].Respondents} respondents)");
    SqliteConnection.ClearAllPools();
    foreach (var f in new[] { file, file + "-wal", file + "-shm" }) File.Delete(f);
}
else if (mode == "emerging-page")
{
    return await EmergingPageBench.RunAsync(set);
}
else
{
    Console.Error.WriteLine("usage: Engagement.CampaignBench group|store|emerging|emerging-page [N] [seed]");
    return 2;
}
return 0;
