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

    public DatabaseProvider ParsedProvider =>
        Enum.TryParse<DatabaseProvider>(Provider, ignoreCase: true, out var p)
            ? p
            : throw new InvalidOperationException(
                $"Database:Provider is '{Provider}'. Use 'Sqlite' (the default) or 'SqlServer'.");
}

/// <summary>Opens connections for the configured provider. Stores take this and nothing else.</summary>
public sealed class Database
{
    public Database(DatabaseProvider provider, string connectionString)
    {
        Provider = provider;
        ConnectionString = connectionString;
        Dialect = SqlDialect.For(provider);
        Factory = provider == DatabaseProvider.Sqlite ? SqliteFactory.Instance : SqlClientFactory.Instance;
    }

    public DatabaseProvider Provider { get; }
    public string ConnectionString { get; }
    public SqlDialect Dialect { get; }
    private DbProviderFactory Factory { get; }

    static Database() => SqlMapper.AddTypeHandler(new UtcDateTimeHandler());

    public static Database FromSettings(DatabaseOptions options, string? connectionString)
    {
        var provider = options.ParsedProvider;
        if (!string.IsNullOrWhiteSpace(connectionString)) return new Database(provider, connectionString);
        if (provider == DatabaseProvider.SqlServer)
            throw new InvalidOperationException(
                "Database:Provider is SqlServer but ConnectionStrings:Engagement is empty. Set ConnectionStrings__Engagement.");

        var folder = RepoPaths.Resolve(options.DataDirectory);
        Directory.CreateDirectory(folder);
        var file = Path.Combine(folder, "engagement.db");
        return new Database(provider, new SqliteConnectionStringBuilder
        {
            DataSource = file,
            ForeignKeys = true,
            DefaultTimeout = 30,
            Pooling = true,
        }.ToString());
    }

    public async Task<DbConnection> OpenAsync(CancellationToken ct = default)
    {
        var connection = Factory.CreateConnection()!;
        connection.ConnectionString = ConnectionString;
        await connection.OpenAsync(ct);
        return connection;
    }

    public DbConnection Open()
    {
        var connection = Factory.CreateConnection()!;
        connection.ConnectionString = ConnectionString;
        connection.Open();
        return connection;
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
