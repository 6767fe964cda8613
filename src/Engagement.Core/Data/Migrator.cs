using System.Reflection;
using DbUp;
using DbUp.Engine;
using Microsoft.Data.Sqlite;

namespace Engagement.Core.Data;

/// <summary>Runs the DbUp script set for the configured dialect.</summary>
public static class Migrator
{
    public static IReadOnlyList<string> Migrate(Database database)
    {
        if (database.Provider == DatabaseProvider.SqlServer) EnsureDatabase.For.SqlDatabase(database.ConnectionString);
        else EnableWriteAheadLog(database.ConnectionString);

        var result = Engine(database).PerformUpgrade();
        if (!result.Successful)
            throw new InvalidOperationException($"Database migration failed in {result.ErrorScript?.Name}: {result.Error.Message}", result.Error);
        return result.Scripts.Select(s => s.Name).ToList();
    }

    /// <summary>
    /// Scripts this build has that the database has not run; empty when the schema is current. Only reads (the
    /// readiness check calls it): it creates neither the database nor DbUp's journal table.
    /// </summary>
    public static IReadOnlyList<string> PendingScripts(Database database) =>
        Engine(database).GetScriptsToExecute().Select(s => s.Name).ToList();

    private static UpgradeEngine Engine(Database database)
    {
        var folder = database.Provider == DatabaseProvider.SqlServer ? ".SqlServer." : ".Sqlite.";
        var builder = database.Provider == DatabaseProvider.SqlServer
            ? DeployChanges.To.SqlDatabase(database.ConnectionString)
            : DeployChanges.To.SqliteDatabase(database.ConnectionString);
        return builder
            .WithScriptsEmbeddedInAssembly(Assembly.GetExecutingAssembly(), name => name.Contains(folder, StringComparison.Ordinal))
            .WithTransactionPerScript()
            .LogToNowhere()
            .Build();
    }

    // WAL lets the site keep reading while an import or the CLI writes; the setting persists in the file.
    private static void EnableWriteAheadLog(string connectionString)
    {
        using var connection = new SqliteConnection(connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode=WAL;";
        command.ExecuteNonQuery();
    }
}
