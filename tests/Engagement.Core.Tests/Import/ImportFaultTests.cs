using System.Text;
using Engagement.Core.Data;
using Engagement.Core.Domain;
using Engagement.Core.Import;
using Engagement.Core.Tests.Data;
using Microsoft.Data.Sqlite;

namespace Engagement.Core.Tests.Import;

/// <summary>An import that meets a full database stops with a message the team can act on, keeps nothing partial, and finishes once space is freed.</summary>
public sealed class ImportFaultTests
{
    [Fact]
    public async Task A_full_database_stops_the_import_with_a_clear_message_and_a_new_start_adds_the_rows_once_space_is_freed()
    {
        var file = Path.Combine(Path.GetTempPath(), $"engagement-import-full-{Guid.NewGuid():N}.db");
        var db = Database.FromSettings(new DatabaseOptions { MaxSizeMegabytes = 2 },
            new SqliteConnectionStringBuilder { DataSource = file, ForeignKeys = true, Pooling = false }.ToString());
        Migrator.Migrate(db);
        var consultation = await new ConsultationStore(db).EnsureAsync(StoreTests.NewConsultation("full"));
        // Long comments, so storing them needs new pages and cannot fit in the gaps the filler leaves.
        var filler = string.Join(' ', Enumerable.Repeat("The bus to the hospital is late every morning.", 80));
        var content = Encoding.UTF8.GetBytes($"text,district\n\"{filler} One\",SW\n\"{filler} Two\",T\n\"{filler} Three\",Med\n");
        var store = new ImportStore(db);
        var id = await store.CreateAsync(consultation.Id, "a.csv", ImportService.Hash(content), content, "csv", "team@example.org", ImportStatuses.Queued);
        var importer = new ImportService(new ConsultationStore(db), store, new SuggestionService(new BatchCountingClassifier(), new CommentStore(db)), new ImportOptions());

        await SqliteWriteLock.FillAsync(db);
        await importer.RunStoredAsync(id);

        var stopped = (await store.GetAsync(id))!;
        Assert.Equal(ImportStatuses.Failed, stopped.Status);
        Assert.StartsWith("The import stopped because the database is full.", stopped.Message);
        Assert.Contains("start the import again", stopped.Message);
        Assert.Equal((0L, 0L), (await TestDatabases.CountAsync(db, "submissions"), await TestDatabases.CountAsync(db, "comments")));

        await SqliteWriteLock.FreeAsync(db);
        Assert.True(await store.TransitionAsync(id, ImportStatuses.Failed, ImportStatuses.Queued));
        await importer.RunStoredAsync(id);

        Assert.Equal(ImportStatuses.Completed, (await store.GetAsync(id))!.Status);
        Assert.Equal((3L, 3L), (await TestDatabases.CountAsync(db, "submissions"), await TestDatabases.CountAsync(db, "comments")));
    }
}
