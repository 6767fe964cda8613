using System.Text;
using Dapper;
using Engagement.Classifier;
using Engagement.Core.Data;
using Engagement.Core.Import;
using Engagement.Core.Tests.Data;

namespace Engagement.Core.Tests.Import;

/// <summary>Counts how it is called, and can fail on a chosen batch to simulate a crash part-way through.</summary>
internal sealed class BatchCountingClassifier : ICommentClassifier
{
    public List<int> BatchSizes { get; } = [];
    public int? FailOnBatch { get; set; }
    public bool IsAvailable => true;
    public string? ModelVersion => "counting-1";
    public string? UnavailableReason => null;

    public ThemeSuggestion? Suggest(string text) => throw new InvalidOperationException("imports must classify in batches, not row by row");

    public IReadOnlyList<ThemeSuggestion?> SuggestMany(IReadOnlyList<string> texts)
    {
        BatchSizes.Add(texts.Count);
        if (FailOnBatch == BatchSizes.Count) throw new IOException("simulated crash");
        return texts.Select(t => (ThemeSuggestion?)new ThemeSuggestion(t.Contains("bus") ? "transport" : "general", t.Contains("bus") ? 2 : 0, 0.8f, [], [], false)).ToList();
    }
}

public sealed class ImportServiceTests
{
    public static IEnumerable<object[]> Providers => TestDatabases.Providers();

    private sealed record Services(Database Db, ImportService Importer, ImportStore Store, BatchCountingClassifier Classifier);

    private static Services Create(DatabaseProvider provider, int batchSize = 4000)
    {
        var db = TestDatabases.CreateMigrated(provider);
        var classifier = new BatchCountingClassifier();
        var store = new ImportStore(db);
        var importer = new ImportService(new ConsultationStore(db), store, new SuggestionService(classifier, new CommentStore(db)),
            new ImportOptions { BatchSize = batchSize });
        return new Services(db, importer, store, classifier);
    }

    private static byte[] File(int rows, int badEvery = 0)
    {
        var sb = new StringBuilder("text,district,channel\n");
        for (var i = 1; i <= rows; i++)
            sb.Append(badEvery > 0 && i % badEvery == 0 ? $"row {i},Narnia,online\n" : $"\"row {i}, the bus is late\",SW;T,event\n");
        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Imports_valid_rows_classified_in_batches_and_a_second_run_adds_nothing(DatabaseProvider provider)
    {
        var s = Create(provider, batchSize: 100);
        var content = File(250, badEvery: 50);

        var first = await s.Importer.ImportAsync(new ImportRequest("a.csv", content, "bulk"));

        Assert.True(first.ConsultationCreated);
        Assert.Equal(245, first.Added);
        Assert.Equal(245, first.Classified);
        Assert.Equal(5, first.Errors.Count);
        Assert.Equal([100, 100, 45], s.Classifier.BatchSizes);
        Assert.Equal(245, await TestDatabases.CountAsync(s.Db, "submissions"));
        Assert.Equal(245, await TestDatabases.CountAsync(s.Db, "comments"));
        Assert.Equal(490, await TestDatabases.CountAsync(s.Db, "submission_districts"));
        await using (var c = await s.Db.OpenAsync())
        {
            Assert.Equal(245, await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM comments WHERE suggested_theme = 'transport' AND suggestion_model_version = 'counting-1'"));
            Assert.Equal(245, await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM submissions WHERE channel = 'event' AND district = 'SW' AND import_id = @id", new { id = first.ImportId }));
        }
        var record = (await s.Store.GetAsync(first.ImportId!.Value))!;
        Assert.Equal(ImportStatuses.Completed, record.Status);
        Assert.Equal((250, 245, 5, 245, 245), (record.RowsRead, record.ValidRows, record.RejectedRows, record.ImportedRows, record.ClassifiedRows));

        var again = await s.Importer.ImportAsync(new ImportRequest("renamed.csv", content, "bulk"));
        Assert.NotNull(again.PreviouslyCompletedAt);
        Assert.Equal(0, again.Added);
        Assert.Equal(245, again.AlreadyImported);
        Assert.Equal(245, await TestDatabases.CountAsync(s.Db, "submissions"));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_run_that_dies_part_way_is_completed_by_the_next_without_duplicates(DatabaseProvider provider)
    {
        var s = Create(provider, batchSize: 40);
        var content = File(200, badEvery: 7);
        s.Classifier.FailOnBatch = 3;

        await Assert.ThrowsAsync<IOException>(() => s.Importer.ImportAsync(new ImportRequest("a.csv", content, "bulk")));
        Assert.Equal(80, await TestDatabases.CountAsync(s.Db, "submissions")); // two whole batches committed, the third rolled back
        var stuck = (await s.Store.ListAsync()).Single();
        Assert.Equal(ImportStatuses.Running, stuck.Status);
        Assert.Equal(80, stuck.ImportedRows);

        s.Classifier.FailOnBatch = null;
        var rerun = await s.Importer.ImportAsync(new ImportRequest("a.csv", content, "bulk"));

        var valid = 200 - 200 / 7;
        Assert.Equal(stuck.Id, rerun.ImportId);
        Assert.Equal(80, rerun.AlreadyImported);
        Assert.Equal(valid - 80, rerun.Added);
        Assert.Equal(valid, await TestDatabases.CountAsync(s.Db, "submissions"));
        Assert.Equal(valid, await TestDatabases.CountAsync(s.Db, "comments"));
        Assert.Equal(ImportStatuses.Completed, (await s.Store.GetAsync(stuck.Id))!.Status);
        Assert.Equal(valid, (await s.Store.GetAsync(stuck.Id))!.ImportedRows);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Dry_run_and_all_or_nothing_write_nothing(DatabaseProvider provider)
    {
        var s = Create(provider);
        var content = File(30, badEvery: 10);

        var dry = await s.Importer.ImportAsync(new ImportRequest("a.csv", content, "bulk") { DryRun = true });
        Assert.True(dry.DryRun);
        Assert.Equal((27, 3), (dry.Valid, dry.Errors.Count));

        var strict = await s.Importer.ImportAsync(new ImportRequest("a.csv", content, "bulk") { AllOrNothing = true });
        Assert.True(strict.NothingImportedBecauseOfErrors);

        Assert.Equal(0, await TestDatabases.CountAsync(s.Db, "submissions"));
        Assert.Equal(0, await TestDatabases.CountAsync(s.Db, "consultations"));
        Assert.Equal(0, await TestDatabases.CountAsync(s.Db, "imports"));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task The_same_rows_in_another_consultation_are_a_separate_import(DatabaseProvider provider)
    {
        var s = Create(provider);
        var content = File(10);
        await s.Importer.ImportAsync(new ImportRequest("a.csv", content, "one"));
        var other = await s.Importer.ImportAsync(new ImportRequest("a.csv", content, "two"));
        Assert.Equal(10, other.Added);
        Assert.Equal(20, await TestDatabases.CountAsync(s.Db, "submissions"));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_stored_upload_runs_in_the_background_path_and_drops_the_file_when_done(DatabaseProvider provider)
    {
        var s = Create(provider, batchSize: 3);
        var consultation = await new ConsultationStore(s.Db).EnsureAsync(new Engagement.Core.Domain.Consultation
        {
            Slug = "site", Title = "Site", OpensOn = DateTime.UtcNow, ClosesOn = DateTime.UtcNow.AddDays(1),
        });
        var content = Encoding.UTF8.GetBytes("Comment,Area,Session\nbus late,Margate,Roadshow A\nno bus,(TW)(T),Roadshow B\n,T,\n");
        var id = await s.Store.CreateAsync(consultation.Id, "u.csv", ImportService.Hash(content), content, "csv", "team@example.org");
        var record = (await s.Store.GetAsync(id))!;
        var (table, guessed, _) = await s.Importer.InspectStoredAsync(record, validate: false);
        Assert.Equal(["Comment", "Area", "Session"], table.Headers);
        await s.Store.SaveMappingAsync(id, (guessed with { DefaultChannel = "event" }).ToJson(), null);
        Assert.True(await s.Store.TransitionAsync(id, ImportStatuses.Uploaded, ImportStatuses.Queued));
        Assert.False(await s.Store.TransitionAsync(id, ImportStatuses.Uploaded, ImportStatuses.Queued)); // a double click queues once

        await s.Importer.RunStoredAsync(id);

        var done = (await s.Store.GetAsync(id))!;
        Assert.Equal(ImportStatuses.Completed, done.Status);
        Assert.Equal((3, 2, 1, 2), (done.RowsRead, done.ValidRows, done.RejectedRows, done.ImportedRows));
        Assert.Null(await s.Store.ReadFileAsync(id));
        await using var c = await s.Db.OpenAsync();
        Assert.Equal(["Roadshow A", "Roadshow B"], await c.QueryAsync<string>("SELECT event_name FROM submissions ORDER BY id"));
        Assert.Equal(["T", "TW"], await c.QueryAsync<string>("SELECT district FROM submissions ORDER BY id"));
    }
}
