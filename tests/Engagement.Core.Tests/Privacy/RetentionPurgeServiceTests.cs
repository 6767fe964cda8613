using Engagement.Core.Data;
using Engagement.Core.Domain;
using Engagement.Core.Privacy;
using Engagement.Core.Tests.Data;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Engagement.Core.Tests.Privacy;

/// <summary>The site's daily purge, run against a clock the test sets.</summary>
public sealed class RetentionPurgeServiceTests
{
    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;
        public override DateTimeOffset GetUtcNow() => Now;
    }

    private static async Task<(PrivacyStore Store, string Reference, Database Db)> SeedAsync()
    {
        var db = TestDatabases.CreateMigrated(DatabaseProvider.Sqlite);
        var consultation = await new ConsultationStore(db).EnsureAsync(new Consultation
        {
            Slug = "old", Title = "Old", Summary = "s", Status = ConsultationStatuses.Closed,
            OpensOn = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc), ClosesOn = new DateTime(2024, 3, 31, 0, 0, 0, DateTimeKind.Utc),
        });
        var reference = (await new SubmissionStore(db).CreateAsync(new NewSubmission
        {
            ConsultationId = consultation.Id, RespondentType = RespondentTypes.Resident, Organisation = "A carers' group",
            Comments = [new NewComment("Our carers' group meets at the Faversham library", null)],
        })).Reference;
        return (new PrivacyStore(db), reference, db);
    }

    [Fact]
    public async Task A_pass_purges_only_once_the_clock_passes_the_retention_period()
    {
        var (store, reference, db) = await SeedAsync();
        var clock = new FixedClock(new DateTimeOffset(2026, 3, 30, 0, 0, 0, TimeSpan.Zero));
        var service = new RetentionPurgeService(store, TestDatabases.Leases(db, "this-instance"), Options.Create(new PrivacyOptions { DefaultRetentionMonths = 24 }), clock,
            NullLogger<RetentionPurgeService>.Instance);

        Assert.Equal(0, (await service.PurgeOnceAsync())!.Submissions);
        Assert.Null((await store.FindAsync(reference))!.ErasedAt);

        clock.Now = new DateTimeOffset(2026, 3, 31, 0, 0, 1, TimeSpan.Zero);
        Assert.Equal(1, (await service.PurgeOnceAsync())!.Submissions);
        Assert.Equal(ErasureReasons.Retention, (await store.FindAsync(reference))!.ErasedReason);
    }

    [Fact]
    public async Task The_background_service_runs_a_pass_after_the_start_delay_and_can_be_turned_off()
    {
        var (store, reference, db) = await SeedAsync();
        var clock = new FixedClock(new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero));

        var off = new RetentionPurgeService(store, TestDatabases.Leases(db, "this-instance"), Options.Create(new PrivacyOptions { PurgeInBackground = false, PurgeStartDelay = TimeSpan.Zero }),
            clock, NullLogger<RetentionPurgeService>.Instance);
        await off.StartAsync(CancellationToken.None);
        await Task.Delay(300);
        await off.StopAsync(CancellationToken.None);
        Assert.Null((await store.FindAsync(reference))!.ErasedAt);

        var on = new RetentionPurgeService(store, TestDatabases.Leases(db, "this-instance"), Options.Create(new PrivacyOptions { PurgeStartDelay = TimeSpan.Zero }),
            clock, NullLogger<RetentionPurgeService>.Instance);
        await on.StartAsync(CancellationToken.None);
        for (var i = 0; i < 100 && (await store.FindAsync(reference))!.ErasedAt is null; i++) await Task.Delay(50);
        await on.StopAsync(CancellationToken.None);
        Assert.NotNull((await store.FindAsync(reference))!.ErasedAt);
    }

    [Fact]
    public async Task A_pass_is_skipped_while_another_instance_holds_the_purge_lease()
    {
        var (store, reference, db) = await SeedAsync();
        var clock = new FixedClock(new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var service = new RetentionPurgeService(store, TestDatabases.Leases(db, "this-instance"), Options.Create(new PrivacyOptions()), clock,
            NullLogger<RetentionPurgeService>.Instance);

        await using (var other = await TestDatabases.Leases(db, "other-instance").TryHoldAsync(RetentionPurgeService.LeaseName))
        {
            Assert.NotNull(other);
            Assert.Null(await service.PurgeOnceAsync());
            Assert.Null((await store.FindAsync(reference))!.ErasedAt);
        }

        Assert.Equal(1, (await service.PurgeOnceAsync())!.Submissions); // released: this instance purges next time
        Assert.Null(await new JobLeaseStore(db).FindActiveAsync(RetentionPurgeService.LeaseName)); // and lets go afterwards
    }
}
