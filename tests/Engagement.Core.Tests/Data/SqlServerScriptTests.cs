using System.Reflection;
using Dapper;
using Engagement.Core.Data;
using Microsoft.SqlServer.TransactSql.ScriptDom;

namespace Engagement.Core.Tests.Data;

/// <summary>
/// There is no SQL Server on the build machines, so the SQL Server migrations are checked the way we can: every script
/// parses as T-SQL, and together they build the same tables and columns as the SQLite scripts, which do run here.
/// The store tests run on a real server whenever ENGAGEMENT_SQLSERVER is set.
/// </summary>
public sealed class SqlServerScriptTests
{
    private static readonly Assembly Core = typeof(Migrator).Assembly;

    private static IReadOnlyDictionary<string, string> Scripts(string dialect) =>
        Core.GetManifestResourceNames()
            .Where(n => n.Contains($".Migrations.{dialect}.", StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .ToDictionary(n => n[(n.IndexOf($".{dialect}.", StringComparison.Ordinal) + dialect.Length + 2)..], Read);

    private static string Read(string resource)
    {
        using var reader = new StreamReader(Core.GetManifestResourceStream(resource)!);
        return reader.ReadToEnd();
    }

    [Fact]
    public void Every_migration_exists_for_both_databases()
    {
        var sqlite = Scripts("Sqlite").Keys.Order().ToList();
        var sqlServer = Scripts("SqlServer").Keys.Order().ToList();
        Assert.NotEmpty(sqlite);
        Assert.Equal(sqlite, sqlServer);
    }

    [Fact]
    public void Every_sql_server_migration_parses_as_t_sql()
    {
        foreach (var (name, sql) in Scripts("SqlServer"))
        {
            new TSql160Parser(initialQuotedIdentifiers: true).Parse(new StringReader(sql), out var errors);
            Assert.True(errors.Count == 0, $"{name}: " + string.Join("; ", errors.Select(e => $"line {e.Line}: {e.Message}")));
        }
    }

    [Fact]
    public void The_sql_server_migrations_build_the_same_tables_and_columns_as_sqlite()
    {
        var sqlServer = new SchemaCollector();
        foreach (var (_, sql) in Scripts("SqlServer").OrderBy(s => s.Key, StringComparer.Ordinal))
            new TSql160Parser(initialQuotedIdentifiers: true).Parse(new StringReader(sql), out _).Accept(sqlServer);

        var sqlite = TestDatabases.CreateMigrated(DatabaseProvider.Sqlite);
        using var c = sqlite.Open();
        var sqliteColumns = c.Query<(string Table, string Column)>("""
            SELECT m.name, p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p
            WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name <> 'SchemaVersions'
            """).Select(t => $"{t.Table}.{t.Column}".ToLowerInvariant()).Order(StringComparer.Ordinal).ToList();

        var sqlServerColumns = sqlServer.Columns.Order(StringComparer.Ordinal).ToList();
        Assert.Equal(sqliteColumns.Except(sqlServerColumns), []);
        Assert.Equal(sqlServerColumns.Except(sqliteColumns), []);
    }

    /// <summary>Follows CREATE TABLE, ALTER TABLE ADD/DROP COLUMN and DROP TABLE through the scripts in order.</summary>
    private sealed class SchemaCollector : TSqlFragmentVisitor
    {
        public HashSet<string> Columns { get; } = [];

        public override void Visit(CreateTableStatement node) => Add(node.SchemaObjectName, node.Definition?.ColumnDefinitions);

        public override void Visit(AlterTableAddTableElementStatement node) => Add(node.SchemaObjectName, node.Definition?.ColumnDefinitions);

        public override void Visit(AlterTableDropTableElementStatement node)
        {
            foreach (var element in node.AlterTableDropTableElements.Where(e => e.TableElementType == TableElementType.Column))
                Columns.Remove($"{Table(node.SchemaObjectName)}.{element.Name.Value}".ToLowerInvariant());
        }

        public override void Visit(DropTableStatement node)
        {
            foreach (var table in node.Objects.Select(Table))
                Columns.RemoveWhere(c => c.StartsWith(table.ToLowerInvariant() + ".", StringComparison.Ordinal));
        }

        private void Add(SchemaObjectName table, IList<ColumnDefinition>? columns)
        {
            foreach (var column in columns ?? []) Columns.Add($"{Table(table)}.{column.ColumnIdentifier.Value}".ToLowerInvariant());
        }

        private static string Table(SchemaObjectName name) => name.BaseIdentifier.Value;
    }
}
