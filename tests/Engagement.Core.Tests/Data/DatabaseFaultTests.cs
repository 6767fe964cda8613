using System.Diagnostics;
using Dapper;
using Engagement.Core.Data;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;

namespace Engagement.Core.Tests.Data;

/// <summary>
/// What really happens on SQLite when another writer holds the lock or the file is full, through the same
/// Database.FromSettings the site and CLI use.
/// </summary>
public sealed class DatabaseFaultTests
{
    private static Database Create(int busyTimeoutSeconds = 10, int? maxSizeMegabytes = null)
    {
        var file = Path.Combine(Path.GetTempPath(), $"engagement-fault-{Guid.NewGuid():N}.db");
        var db = Database.FromSettings(new DatabaseOptions { BusyTimeoutSeconds = busyTimeoutSeconds, MaxSizeMegabytes = maxSizeMegabytes },
            new SqliteConnectionStringBuilder { DataSource = file, ForeignKeys = true, Pooling = false }.ToString());
        Migrator.Migrate(db);
        return db;
    }

    [Fact]
    public async Task A_submission_waits_out_a_writer_that_holds_the_lock_for_less_than_the_busy_timeout()
    {
        var db = Create(busyTimeoutSeconds: 10);
        var consultation = await new ConsultationStore(db).EnsureAsync(StoreTests.NewConsultation("k"));
        using var writer = await SqliteWriteLock.TakeAsync(db.ConnectionString);
        _ = Task.Delay(TimeSpan.FromSeconds(1.5)).ContinueWith(_ => writer.Release(), TaskScheduler.Default);

        var clock = Stopwatch.StartNew();
        var result = await new SubmissionStore(db).CreateAsync(StoreTests.NewSubmission(consultation.Id, "T", "Waited for the lock"));

        Assert.False(result.AlreadyExisted);
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(1), $"The write did not wait for the lock ({clock.Elapsed}), so the lock was not held.");
        Assert.Equal(1, await TestDatabases.CountAsync(db, "submissions"));
    }

    [Fact]
    public async Task Every_connection_has_sqlite_wait_for_the_lock_for_the_busy_timeout()
    {
        // SQLite's own busy wait retries within a millisecond or so of the lock's release; Microsoft.Data.Sqlite's
        // fallback sleeps 150 ms a time, which queued submissions up under load (bench/Engagement.LoadBench).
        var db = Create(busyTimeoutSeconds: 7);
        await using var opened = await db.OpenAsync();
        Assert.Equal(7000L, await opened.ExecuteScalarAsync<long>("PRAGMA busy_timeout"));
        using var openedSync = db.Open();
        Assert.Equal(7000L, openedSync.ExecuteScalar<long>("PRAGMA busy_timeout"));
    }

    [Fact]
    public async Task Begin_immediate_gives_up_with_a_busy_fault_after_the_busy_timeout()
    {
        var db = Create(busyTimeoutSeconds: 1);
        using var writer = await SqliteWriteLock.TakeAsync(db.ConnectionString);
        await using var c = await db.OpenAsync();

        var clock = Stopwatch.StartNew();
        var ex = await Assert.ThrowsAnyAsync<Exception>(async () => await c.BeginTransactionAsync());

        Assert.Equal(DatabaseFault.Busy, DatabaseFaults.Classify(ex));
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(8));
    }

    [Fact]
    public async Task A_writer_longer_than_the_busy_timeout_stores_nothing_and_the_retry_with_the_same_key_stores_once()
    {
        var db = Create(busyTimeoutSeconds: 1);
        var consultation = await new ConsultationStore(db).EnsureAsync(StoreTests.NewConsultation("k"));
        var store = new SubmissionStore(db);
        var submission = StoreTests.NewSubmission(consultation.Id, "T", "Locked out") with { IdempotencyKey = new string('b', 32) };

        using (await SqliteWriteLock.TakeAsync(db.ConnectionString))
        {
            var ex = await Assert.ThrowsAnyAsync<Exception>(() => store.CreateAsync(submission));
            Assert.Equal(DatabaseFault.Busy, DatabaseFaults.Classify(ex));
        }

        Assert.Equal(0, await TestDatabases.CountAsync(db, "submissions"));
        var retry = await store.CreateAsync(submission);
        var again = await store.CreateAsync(submission);
        Assert.False(retry.AlreadyExisted);
        Assert.True(again.AlreadyExisted);
        Assert.Equal((1L, 1L), (await TestDatabases.CountAsync(db, "submissions"), await TestDatabases.CountAsync(db, "comments")));
    }

    [Fact]
    public async Task A_full_database_is_a_full_fault_stores_no_partial_row_and_works_again_once_space_is_freed()
    {
        var db = Create(maxSizeMegabytes: 2);
        var consultation = await new ConsultationStore(db).EnsureAsync(StoreTests.NewConsultation("k"));
        var store = new SubmissionStore(db);
        await SqliteWriteLock.FillAsync(db);

        var submission = StoreTests.NewSubmission(consultation.Id, "T", new string('x', 4000)) with { IdempotencyKey = new string('c', 32) };
        var ex = await Assert.ThrowsAnyAsync<Exception>(() => store.CreateAsync(submission));

        Assert.Equal(DatabaseFault.Full, DatabaseFaults.Classify(ex));
        Assert.Equal((0L, 0L), (await TestDatabases.CountAsync(db, "submissions"), await TestDatabases.CountAsync(db, "comments")));

        await SqliteWriteLock.FreeAsync(db);
        Assert.False((await store.CreateAsync(submission)).AlreadyExisted);
        Assert.Equal((1L, 1L), (await TestDatabases.CountAsync(db, "submissions"), await TestDatabases.CountAsync(db, "comments")));
    }

    [Fact]
    public void The_size_cap_is_off_unless_configured()
    {
        var db = Create();
        using var c = db.Open();
        Assert.True(c.ExecuteScalar<long>("PRAGMA max_page_count") > 1_000_000);
    }

    [Theory]
    [InlineData(5, DatabaseFault.Busy)]
    [InlineData(6, DatabaseFault.Busy)]
    [InlineData(517, DatabaseFault.Busy)] // SQLITE_BUSY_SNAPSHOT
    [InlineData(13, DatabaseFault.Full)]
    [InlineData(19, DatabaseFault.None)]
    [InlineData(1, DatabaseFault.None)]
    public void Sqlite_codes_are_classified(int code, DatabaseFault expected)
    {
        Assert.Equal(expected, DatabaseFaults.ForSqliteCode(code));
        Assert.Equal(expected, DatabaseFaults.Classify(new InvalidOperationException("wrapped", new SqliteException("x", code))));
    }

    [Theory]
    [InlineData(-2, DatabaseFault.Busy)]
    [InlineData(1222, DatabaseFault.Busy)]
    [InlineData(1205, DatabaseFault.Busy)]
    [InlineData(1105, DatabaseFault.Full)]
    [InlineData(9002, DatabaseFault.Full)]
    [InlineData(2627, DatabaseFault.None)]
    [InlineData(547, DatabaseFault.None)]
    public void Sql_server_numbers_are_classified(int number, DatabaseFault expected) =>
        Assert.Equal(expected, DatabaseFaults.ForSqlServerNumber(number));

    [Fact]
    public void A_unique_index_refusing_a_copy_is_told_apart_from_other_constraint_errors()
    {
        using var c = Create().Open();
        c.Execute("CREATE TABLE u (id INTEGER PRIMARY KEY, key TEXT UNIQUE, n INTEGER NOT NULL)");
        c.Execute("INSERT INTO u VALUES (1, 'a', 1)");

        Assert.True(DatabaseFaults.IsUniqueViolation(Assert.Throws<SqliteException>(() => c.Execute("INSERT INTO u VALUES (2, 'a', 1)"))));
        Assert.True(DatabaseFaults.IsUniqueViolation(Assert.Throws<SqliteException>(() => c.Execute("INSERT INTO u VALUES (1, 'b', 1)"))));
        Assert.False(DatabaseFaults.IsUniqueViolation(Assert.Throws<SqliteException>(() => c.Execute("INSERT INTO u VALUES (3, 'c', NULL)"))));
    }

    [Fact]
    public void Other_exceptions_are_not_database_faults()
    {
        Assert.Equal(DatabaseFault.None, DatabaseFaults.Classify(new InvalidOperationException("bug")));
        Assert.Equal(DatabaseFault.None, DatabaseFaults.Classify(null));
        Assert.Equal(DatabaseFault.Busy, DatabaseFaults.Classify(new AggregateException(new IOException(), new SqliteException("busy", 5))));
    }

    [Theory]
    [InlineData("Database:BusyTimeoutSeconds", "0", "Database:BusyTimeoutSeconds is 0")]
    [InlineData("Database:BusyTimeoutSeconds", "301", "from 1 to 300")]
    [InlineData("Database:BusyTimeoutSeconds", "soon", "Database:BusyTimeoutSeconds")]
    [InlineData("Database:MaxSizeMegabytes", "0", "Database:MaxSizeMegabytes is 0")]
    [InlineData("Database:MaxSizeMegabytes", "big", "Database:MaxSizeMegabytes")]
    public void Bad_settings_get_a_message_naming_the_setting(string key, string value, string expected)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [key] = value }).Build();
        var ex = Assert.ThrowsAny<InvalidOperationException>(() =>
        {
            var options = configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions();
            Database.FromSettings(options, "Data Source=unused.db");
        });
        Assert.Contains(expected, ex.Message);
    }

    [Fact]
    public void Defaults_wait_ten_seconds_with_no_size_cap()
    {
        var db = Database.FromSettings(new DatabaseOptions(), "Data Source=unused.db");
        Assert.Equal(10, new SqliteConnectionStringBuilder(db.ConnectionString).DefaultTimeout);
    }
}
