using System.Text;
using Engagement.Core.Data;
using Engagement.Core.Domain;
using Engagement.Core.Import;
using Engagement.Core.Tests.Data;
using Microsoft.Extensions.Logging.Abstractions;

namespace Engagement.Core.Tests.Import;

/// <summary>The background worker with several instances of the site: an import runs on whichever holds its lease.</summary>
public sealed class ImportWorkerTests
{
    private sealed record Site(Database Db, ImportStore Store, long ImportId);

    private static async Task<Site> QueuedImportAsync()
    {
        var db = TestDatabases.CreateMigrated(DatabaseProvider.Sqlite);
        var consultation = await new ConsultationStore(db).EnsureAsync(new Consultation
        {
            Slug = "k", Title = "K", Summary = "s", Status = ConsultationStatuses.Open,
            OpensOn = new DateTime(2026, 10, 1, 0, 0, 0, DateTimeKind.Utc), ClosesOn = new DateTime(2027, 1, 31, 0, 0, 0, DateTimeKind.Utc),
        });
        var content = Encoding.UTF8.GetBytes("text,district\n\"The bus is late\",SW\n\"More dentists please\",T\n");
        var store = new ImportStore(db);
        var id = await store.CreateAsync(consultation.Id, "a.csv", ImportService.Hash(content), content, "csv", "team@example.org", ImportStatuses.Queued);
        return new Site(db, store, id);
    }

    private static ImportWorker Worker(Site site, string instance, TimeProvider? clock = null, int leaseSeconds = 60)
    {
        var importer = new ImportService(new ConsultationStore(site.Db), site.Store,
            new SuggestionService(new BatchCountingClassifier(), new CommentStore(site.Db)), new ImportOptions());
        return new ImportWorker(new ImportQueue(), site.Store, importer, TestDatabases.Leases(site.Db, instance, clock, leaseSeconds), NullLogger<ImportWorker>.Instance);
    }

    [Fact]
    public async Task An_import_another_instance_is_running_is_skipped_here()
    {
        var site = await QueuedImportAsync();
        await using (var other = await TestDatabases.Leases(site.Db, "instance-b").TryHoldAsync(ImportWorker.LeaseName(site.ImportId)))
        {
            Assert.NotNull(other);
            Assert.False(await Worker(site, "instance-a").RunOneAsync(site.ImportId, CancellationToken.None));
            Assert.Equal(ImportStatuses.Queued, (await site.Store.GetAsync(site.ImportId))!.Status);
            Assert.Equal(0, await TestDatabases.CountAsync(site.Db, "submissions"));
        }

        Assert.True(await Worker(site, "instance-a").RunOneAsync(site.ImportId, CancellationToken.None));
        Assert.Equal(ImportStatuses.Completed, (await site.Store.GetAsync(site.ImportId))!.Status);
        Assert.Equal(2, await TestDatabases.CountAsync(site.Db, "submissions"));
        Assert.Null(await new JobLeaseStore(site.Db).FindActiveAsync(ImportWorker.LeaseName(site.ImportId)));
    }

    [Fact]
    public async Task An_import_left_by_a_crashed_instance_is_taken_over_once_its_lease_expires()
    {
        var site = await QueuedImportAsync();
        // The crashed instance took the lease and never renewed or released it.
        Assert.True(await new JobLeaseStore(site.Db).TryAcquireAsync(ImportWorker.LeaseName(site.ImportId), "crashed", TimeSpan.FromMinutes(1)));

        Assert.False(await Worker(site, "restarted").RunOneAsync(site.ImportId, CancellationToken.None));
        var afterExpiry = new JobLeaseStoreTests.ManualClock(DateTimeOffset.UtcNow.AddMinutes(2));
        Assert.True(await Worker(site, "restarted", afterExpiry).RunOneAsync(site.ImportId, CancellationToken.None));
        Assert.Equal(ImportStatuses.Completed, (await site.Store.GetAsync(site.ImportId))!.Status);
        Assert.Equal(2, await TestDatabases.CountAsync(site.Db, "submissions"));
    }

    [Fact]
    public async Task The_running_worker_picks_up_an_unfinished_import_by_itself_once_the_lease_is_free()
    {
        var site = await QueuedImportAsync();
        var other = await TestDatabases.Leases(site.Db, "instance-b").TryHoldAsync(ImportWorker.LeaseName(site.ImportId));
        var worker = Worker(site, "instance-a", leaseSeconds: 3);
        await worker.StartAsync(CancellationToken.None);
        try
        {
            await Task.Delay(500);
            Assert.Equal(ImportStatuses.Queued, (await site.Store.GetAsync(site.ImportId))!.Status);
            await other!.DisposeAsync(); // instance B stops; A's next rescan (every lease period) finds the import
            Assert.True(await WaitForAsync(async () => (await site.Store.GetAsync(site.ImportId))!.Status == ImportStatuses.Completed, TimeSpan.FromSeconds(30)),
                "the worker did not pick the import up after the lease was released");
        }
        finally
        {
            await worker.StopAsync(CancellationToken.None);
        }
    }

    private static async Task<bool> WaitForAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (await condition()) return true;
            await Task.Delay(100);
        }
        return false;
    }
}
