using Dapper;
using Engagement.Core.Data;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;

namespace Engagement.Core.Tests.Data;

/// <summary>
/// The providers every store test runs against. SQLite always; SQL Server only when
/// ENGAGEMENT_SQLSERVER holds a connection string (there is no SQL Server on the build machines).
/// </summary>
public static class TestDatabases
{
    public const string SqlServerVariable = "ENGAGEMENT_SQLSERVER";

    public static string? SqlServerConnectionString => Environment.GetEnvironmentVariable(SqlServerVariable) is { Length: > 0 } cs ? cs : null;

    public static IEnumerable<object[]> Providers()
    {
        yield return [DatabaseProvider.Sqlite];
        if (SqlServerConnectionString is not null) yield return [DatabaseProvider.SqlServer];
    }

    /// <summary>A fresh, migrated database: a new SQLite file, or a new uniquely named SQL Server database.</summary>
    public static Database CreateMigrated(DatabaseProvider provider)
    {
        Database db;
        if (provider == DatabaseProvider.Sqlite)
        {
            var file = Path.Combine(Path.GetTempPath(), $"engagement-test-{Guid.NewGuid():N}.db");
            db = new Database(provider, new SqliteConnectionStringBuilder { DataSource = file, ForeignKeys = true, Pooling = false }.ToString());
        }
        else
        {
            var builder = new SqlConnectionStringBuilder(SqlServerConnectionString) { InitialCatalog = $"engagement_test_{Guid.NewGuid():N}" };
            db = new Database(provider, builder.ConnectionString);
        }
        Migrator.Migrate(db);
        return db;
    }

    /// <summary>Job leases as the instance called <paramref name="holder"/> sees them.</summary>
    public static JobLeases Leases(Database db, string holder = "test-instance", TimeProvider? clock = null, int leaseSeconds = 60) =>
        new(new JobLeaseStore(db, clock), new InstanceId(holder), Microsoft.Extensions.Options.Options.Create(new JobLeaseOptions { LeaseSeconds = leaseSeconds }),
            Microsoft.Extensions.Logging.Abstractions.NullLogger<JobLeases>.Instance);

    public static async Task<long> CountAsync(Database db, string table)
    {
        await using var c = await db.OpenAsync();
        return await c.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM {table}");
    }
}

/// <summary>Makes the skipped SQL Server run visible in test output instead of silently absent.</summary>
public sealed class SqlServerFactAttribute : FactAttribute
{
    public SqlServerFactAttribute()
    {
        if (TestDatabases.SqlServerConnectionString is null)
            Skip = $"SQL Server store tests run only when {TestDatabases.SqlServerVariable} holds a connection string.";
    }
}
