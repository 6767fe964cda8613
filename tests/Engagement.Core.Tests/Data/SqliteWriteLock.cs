using Dapper;
using Engagement.Core.Data;
using Microsoft.Data.Sqlite;

namespace Engagement.Core.Tests.Data;

/// <summary>
/// SQLite faults on demand: another process's write transaction (BEGIN IMMEDIATE and an insert) held until released and
/// then rolled back, and a file filled to its size cap. Also compiled into the web tests.
/// </summary>
public sealed class SqliteWriteLock : IDisposable
{
    private readonly SqliteConnection connection;
    private int released;

    private SqliteWriteLock(SqliteConnection connection) => this.connection = connection;

    public static async Task<SqliteWriteLock> TakeAsync(string connectionString)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder(connectionString) { Pooling = false }.ToString());
        await connection.OpenAsync();
        await connection.ExecuteAsync("BEGIN IMMEDIATE; CREATE TABLE lock_probe (x INTEGER); INSERT INTO lock_probe VALUES (1);");
        return new SqliteWriteLock(connection);
    }

    public void Release()
    {
        if (Interlocked.Exchange(ref released, 1) == 1) return;
        connection.Execute("ROLLBACK");
        connection.Dispose();
    }

    public void Dispose() => Release();

    /// <summary>Grows a filler table through the capped connection until SQLite refuses another page.</summary>
    public static async Task FillAsync(Database db)
    {
        await using var c = await db.OpenAsync();
        await c.ExecuteAsync("CREATE TABLE IF NOT EXISTS test_filler (b BLOB)");
        long written = 0;
        foreach (var size in new[] { 65536, 4096, 512 })
        {
            while (true)
            {
                try { await c.ExecuteAsync("INSERT INTO test_filler VALUES (zeroblob(@size))", new { size }); }
                catch (SqliteException ex) when (ex.SqliteErrorCode == 13) { break; }
                if ((written += size) > 64L * 1024 * 1024) throw new InvalidOperationException("Wrote 64 MB without filling the database: is Database:MaxSizeMegabytes applied?");
            }
        }
    }

    public static async Task FreeAsync(Database db)
    {
        await using var c = await db.OpenAsync();
        await c.ExecuteAsync("DROP TABLE test_filler");
    }
}
