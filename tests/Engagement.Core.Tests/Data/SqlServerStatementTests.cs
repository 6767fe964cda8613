using Engagement.Core.Data;
using Microsoft.SqlServer.TransactSql.ScriptDom;

namespace Engagement.Core.Tests.Data;

/// <summary>
/// The multi-instance statements that differ by dialect: the SQLite side runs in every store test; without a server
/// here, the SQL Server side is checked to parse as T-SQL (and runs for real when ENGAGEMENT_SQLSERVER is set).
/// </summary>
public sealed class SqlServerStatementTests
{
    [Theory]
    [InlineData(nameof(JobLeaseStore.SqlServerTryAcquire))]
    [InlineData(nameof(RateLimitStore.SqlServerHit))]
    public void Parses_as_t_sql(string name)
    {
        var sql = name == nameof(JobLeaseStore.SqlServerTryAcquire) ? JobLeaseStore.SqlServerTryAcquire : RateLimitStore.SqlServerHit;
        new TSql160Parser(initialQuotedIdentifiers: true).Parse(new StringReader(sql), out var errors);
        Assert.True(errors.Count == 0, $"{name}: " + string.Join("; ", errors.Select(e => $"line {e.Line}: {e.Message}")));
    }

    [Fact]
    public void The_emerging_theme_result_upserts_parse_as_t_sql()
    {
        foreach (var sql in new[] { Engagement.Core.Emerging.EmergingThemeStore.SaveResultSql(DatabaseProvider.SqlServer), Engagement.Core.Emerging.EmergingThemeStore.SaveFailureSql(DatabaseProvider.SqlServer) })
        {
            Assert.StartsWith("MERGE emerging_theme_results", sql, StringComparison.Ordinal);
            new TSql160Parser(initialQuotedIdentifiers: true).Parse(new StringReader(sql), out var errors);
            Assert.True(errors.Count == 0, sql + ": " + string.Join("; ", errors.Select(e => $"line {e.Line}: {e.Message}")));
        }
    }

    [Fact]
    public void A_broken_statement_is_caught()
    {
        new TSql160Parser(initialQuotedIdentifiers: true).Parse(new StringReader(RateLimitStore.SqlServerHit.Replace("WHEN MATCHED THEN", "WHEN MATCHED", StringComparison.Ordinal)), out var errors);
        Assert.NotEmpty(errors);
    }
}
