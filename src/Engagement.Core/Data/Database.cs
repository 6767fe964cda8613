using System.Data.Common;
using Dapper;
using Engagement.Classifier;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;

namespace Engagement.Core.Data;

public enum DatabaseProvider { Sqlite, SqlServer }

public sealed class DatabaseOptions
{
    public const string Section = "Database";

    /// <summary>Sqlite (default, embedded, zero setup) or SqlServer.</summary>
    public string Provider { get; set; } = nameof(DatabaseProvider.Sqlite);

    /// <summary>Folder for the SQLite file when no connection string is given. Relative paths resolve from the repo root.</summary>
    public string DataDirectory { get; set; } = "App_Data";

    /// <summary>Create and upgrade the schema at start-up.</summary>
    public bool MigrateOnStartup { get; set; } = true;

    /// <summary>
    /// SQLite only: how long a statement waits for another writer's lock before giving up with a "busy" fault (the site
    /// answers 503). Long enough to ride out an import batch or a CLI write; short enough that a resident is not left waiting.
    /// </summary>
    public int BusyTimeoutSeconds { get; set; } = 10;

    /// <summary>
    /// SQLite only, off unless set: a storage cap applied as PRAGMA max_page_count on every connection. Writes past it fail
    /// as "full", exactly as a full disk does, so it both protects a shared disk and lets that fault be rehearsed.
    /// </summary>
    public int? MaxSizeMegabytes { get; set; }

    public const int MaxBusyTimeoutSeconds = 300;

    /// <summary>Throws a message naming the setting and the allowed values when one is wrong.</summary>
    public void Validate()
    {
        _ = ParsedProvider;
        if (BusyTimeoutSeconds is < 1 or > MaxBusyTimeoutSeconds)
            throw new InvalidOperationException(
                $"Database:BusyTimeoutSeconds is {BusyTimeoutSeconds}. Use a whole number of seconds from 1 to {MaxBusyTimeoutSeconds} (default 10).");
        if (MaxSizeMegabytes is < 1)
            throw new InvalidOperationException(
                $"Database:MaxSizeMegabytes is {MaxSizeMegabytes}. Use a whole number of megabytes of 1 or more, or leave it unset for no cap.");
    }

    public DatabaseProvider ParsedProvider =>
        Enum.TryParse<DatabaseProvider>(Provider, ignoreCase: true, out var p)
            ? p
            : throw new InvalidOperationException(
                $"Database:Provider is '{Provider}'. Use 'Sqlite' (the default) or 'SqlServer'.");
}

/// <summary>Opens connections for the configured provider. Stores take this and nothing else.</summary>
public sealed class Database
{
    public Database(DatabaseProvider provider, string connectionString, int? maxSizeMegabytes = null)
    {
        Provider = provider;
        ConnectionString = connectionString;
        maxSizeBytes = provider == DatabaseProvider.Sqlite && maxSizeMegabytes is { } mb ? mb * 1024L * 1024L : null;
        busyTimeoutMilliseconds = provider == DatabaseProvider.Sqlite ? new SqliteConnectionStringBuilder(connectionString).DefaultTimeout * 1000L : 0;
        Dialect = SqlDialect.For(provider);
        Factory = provider == DatabaseProvider.Sqlite ? SqliteFactory.Instance : SqlClientFactory.Instance;
    }

    public DatabaseProvider Provider { get; }
    public string ConnectionString { get; }
    public SqlDialect Dialect { get; }
    private DbProviderFactory Factory { get; }
    private readonly long? maxSizeBytes;
    private readonly long busyTimeoutMilliseconds;
    private long maxPageCount;

    static Database() => SqlMapper.AddTypeHandler(new UtcDateTimeHandler());

    public static Database FromSettings(DatabaseOptions options, string? connectionString)
    {
        options.Validate();
        var provider = options.ParsedProvider;
        if (provider == DatabaseProvider.SqlServer)
        {
            if (string.IsNullOrWhiteSpace(connectionString))
                throw new InvalidOperationException(
                    "Database:Provider is SqlServer but ConnectionStrings:Engagement is empty. Set ConnectionStrings__Engagement.");
            return new Database(provider, connectionString);
        }

        // The connection string's Default Timeout is the busy wait: every open also sets SQLite's busy_timeout to it
        // (ApplySqliteSettings), and Microsoft.Data.Sqlite retries a busy statement, BEGIN IMMEDIATE included, until it.
        var builder = string.IsNullOrWhiteSpace(connectionString)
            ? new SqliteConnectionStringBuilder { DataSource = DefaultFile(options), ForeignKeys = true, Pooling = true }
            : new SqliteConnectionStringBuilder(connectionString);
        builder.DefaultTimeout = options.BusyTimeoutSeconds;
        return new Database(provider, builder.ToString(), options.MaxSizeMegabytes);
    }

    private static string DefaultFile(DatabaseOptions options)
    {
        var folder = RepoPaths.Resolve(options.DataDirectory);
        Directory.CreateDirectory(folder);
        return Path.Combine(folder, "engagement.db");
    }

    public async Task<DbConnection> OpenAsync(CancellationToken ct = default)
    {
        var connection = Factory.CreateConnection()!;
        connection.ConnectionString = ConnectionString;
        await connection.OpenAsync(ct);
        if (Provider == DatabaseProvider.Sqlite) ApplySqliteSettings(connection);
        return connection;
    }

    public DbConnection Open()
    {
        var connection = Factory.CreateConnection()!;
        connection.ConnectionString = ConnectionString;
        connection.Open();
        if (Provider == DatabaseProvider.Sqlite) ApplySqliteSettings(connection);
        return connection;
    }

    // Both pragmas last only as long as the connection, so every open sets them.
    // busy_timeout: SQLite itself waits for another writer's lock, retrying within a millisecond or so of its release, for
    // the same Database:BusyTimeoutSeconds. Without it Microsoft.Data.Sqlite's own retry sleeps 150 ms per attempt on a
    // thread-pool thread: at 50 submissions a second (two short write transactions each) those sleeps queued up into
    // a p99 of 2 s with the CPU mostly idle (bench/Engagement.LoadBench, submit).
    // max_page_count never shrinks a file that is already bigger: SQLite keeps the current size and refuses growth.
    private void ApplySqliteSettings(DbConnection connection)
    {
        using var command = connection.CreateCommand();
        if (maxSizeBytes is not null && maxPageCount == 0)
        {
            command.CommandText = "PRAGMA page_size;";
            maxPageCount = Math.Max(1, maxSizeBytes.Value / Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture));
        }
        command.CommandText = maxSizeBytes is null
            ? $"PRAGMA busy_timeout = {busyTimeoutMilliseconds};"
            : $"PRAGMA busy_timeout = {busyTimeoutMilliseconds}; PRAGMA max_page_count = {maxPageCount};";
        command.ExecuteNonQuery();
    }

    /// <summary>SQLite hands DateTime back as Unspecified text; everything we store is UTC.</summary>
    private sealed class UtcDateTimeHandler : SqlMapper.TypeHandler<DateTime>
    {
        public override void SetValue(System.Data.IDbDataParameter parameter, DateTime value) =>
            parameter.Value = value.Kind == DateTimeKind.Local ? value.ToUniversalTime() : value;

        public override DateTime Parse(object value) => value switch
        {
            DateTime dt => DateTime.SpecifyKind(dt, DateTimeKind.Utc),
            string s => DateTime.SpecifyKind(DateTime.Parse(s, System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal), DateTimeKind.Utc),
            _ => throw new InvalidCastException($"Cannot read {value.GetType()} as a date."),
        };
    }
}

/// <summary>Every difference between the SQL dialects lives here.</summary>
public sealed class SqlDialect
{
    private SqlDialect(DatabaseProvider provider) => Provider = provider;

    public DatabaseProvider Provider { get; }

    public static SqlDialect For(DatabaseProvider provider) => new(provider);

    /// <summary>Appended after ORDER BY. SQL Server needs OFFSET/FETCH, SQLite takes LIMIT.</summary>
    public string Limit(string takeParameter) => Provider == DatabaseProvider.SqlServer
        ? $"OFFSET 0 ROWS FETCH NEXT @{takeParameter} ROWS ONLY"
        : $"LIMIT @{takeParameter}";

    public string LimitOffset(string takeParameter, string skipParameter) => Provider == DatabaseProvider.SqlServer
        ? $"OFFSET @{skipParameter} ROWS FETCH NEXT @{takeParameter} ROWS ONLY"
        : $"LIMIT @{takeParameter} OFFSET @{skipParameter}";

    /// <summary>Appended to an INSERT so the same command returns the new identity.</summary>
    public string SelectNewId => Provider == DatabaseProvider.SqlServer
        ? "; SELECT CAST(SCOPE_IDENTITY() AS bigint);"
        : "; SELECT last_insert_rowid();";

    /// <summary>
    /// "column starts with @parameter", using the column's index. Not a plain range on both: SQL Server's
    /// Windows collations do not sort punctuation in code-point order, and SQLite's LIKE is case-insensitive and skips the index.
    /// </summary>
    public string StartsWith(string column, string parameter) => Provider == DatabaseProvider.SqlServer
        ? $"{column} LIKE @{parameter} + '%' ESCAPE '\\'"
        : $"({column} >= @{parameter} AND {column} < @{parameter} || char(1114111))";

    /// <summary>LIKE with our escape character so % and _ typed by a user are literal.</summary>
    public string LikeEscape => Provider == DatabaseProvider.SqlServer ? "ESCAPE '\\'" : "ESCAPE '\\'";

    public static string EscapeLike(string term) =>
        term.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_").Replace("[", "\\[");
}
