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
        var folder = database.Provider == DatabaseProvider.SqlServer ? ".SqlServer." : ".Sqlite.";
        UpgradeEngine engine;
        if (database.Provider == DatabaseProvider.SqlServer)
        {
            EnsureDatabase.For.SqlDatabase(database.ConnectionString);
            engine = DeployChanges.To.SqlDatabase(database.ConnectionString)
                .WithScriptsEmbeddedInAssembly(Assembly.GetExecutingAssembly(), name => name.Contains(folder, StringComparison.Ordinal))
                .WithTransactionPerScript()
                .LogToNowhere()
                .Build();
        }
        else
        {
            EnableWriteAheadLog(database.ConnectionString);
            engine = DeployChanges.To.SqliteDatabase(database.ConnectionString)
                .WithScriptsEmbeddedInAssembly(Assembly.GetExecutingAssembly(), name => name.Contains(folder, StringComparison.Ordinal))
                .WithTransactionPerScript()
                .LogToNowhere()
                .Build();
        }

        var result = engine.PerformUpgrade();
        if (!result.Successful)
            throw new InvalidOperationException($"Database migration failed in {result.ErrorScript?.Name}: {result.Error.Message}", result.Error);
        return result.Scripts.Select(s => s.Name).ToList();
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
