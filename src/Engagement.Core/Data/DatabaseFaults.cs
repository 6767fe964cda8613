using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;

namespace Engagement.Core.Data;

/// <summary>Faults of the database itself, as opposed to bugs: retrying later can succeed, and nothing was stored.</summary>
public enum DatabaseFault
{
    None,

    /// <summary>Another writer held a lock for longer than we wait (Database:BusyTimeoutSeconds), or a deadlock.</summary>
    Busy,

    /// <summary>The disk, the database file or its log is full (or at Database:MaxSizeMegabytes).</summary>
    Full,
}

/// <summary>The one place that decides which provider errors are database faults. The site maps them to 503.</summary>
public static class DatabaseFaults
{
    /// <summary>Looks through wrappers (inner and aggregate exceptions) for a provider error.</summary>
    public static DatabaseFault Classify(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            var fault = e switch
            {
                SqliteException s => ForSqliteCode(s.SqliteErrorCode),
                SqlException s => s.Errors.Cast<SqlError>().Select(x => ForSqlServerNumber(x.Number)).FirstOrDefault(f => f != DatabaseFault.None),
                AggregateException a => a.InnerExceptions.Select(Classify).FirstOrDefault(f => f != DatabaseFault.None),
                _ => DatabaseFault.None,
            };
            if (fault != DatabaseFault.None) return fault;
        }
        return DatabaseFault.None;
    }

    /// <summary>SQLite primary result codes; extended codes (e.g. 517 SQLITE_BUSY_SNAPSHOT) carry the primary code in the low byte.</summary>
    public static DatabaseFault ForSqliteCode(int code) => (code & 0xFF) switch
    {
        5 or 6 => DatabaseFault.Busy,   // SQLITE_BUSY, SQLITE_LOCKED
        13 => DatabaseFault.Full,       // SQLITE_FULL: disk full, or max_page_count reached
        _ => DatabaseFault.None,
    };

    public static DatabaseFault ForSqlServerNumber(int number) => number switch
    {
        -2 => DatabaseFault.Busy,       // client timeout, typically waiting on a lock
        1222 => DatabaseFault.Busy,     // lock request time out (SET LOCK_TIMEOUT)
        1205 => DatabaseFault.Busy,     // chosen as deadlock victim
        1105 => DatabaseFault.Full,     // filegroup full
        9002 => DatabaseFault.Full,     // transaction log full
        _ => DatabaseFault.None,
    };

    /// <summary>A unique index refused a duplicate: an identical request won a race, which is not a fault.</summary>
    public static bool IsUniqueViolation(Exception exception) => exception switch
    {
        SqliteException s => s.SqliteErrorCode == 19 && s.SqliteExtendedErrorCode is 2067 or 1555, // CONSTRAINT_UNIQUE, CONSTRAINT_PRIMARYKEY
        SqlException s => s.Errors.Cast<SqlError>().Any(e => e.Number is 2601 or 2627),
        _ => false,
    };
}
