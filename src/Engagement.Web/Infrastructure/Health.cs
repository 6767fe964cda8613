using System.Text.Json;
using Dapper;
using Engagement.Classifier;
using Engagement.Core.Data;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Engagement.Web.Infrastructure;

public static class HealthExtensions
{
    public static IServiceCollection AddEngagementHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database")
            .AddCheck<ModelHealthCheck>("model");
        return services;
    }

    public static void MapEngagementHealthChecks(this WebApplication app) =>
        app.MapHealthChecks("/health", new Microsoft.AspNetCore.Diagnostics.HealthChecks.HealthCheckOptions
        {
            ResponseWriter = async (context, report) =>
            {
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync(JsonSerializer.Serialize(new
                {
                    status = report.Status.ToString(),
                    checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Description }),
                }));
            },
        });
}

public sealed class DatabaseHealthCheck(Database db) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        try
        {
            await using var c = await db.OpenAsync(ct);
            await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM consultations");
            return HealthCheckResult.Healthy($"{db.Provider} reachable");
        }
        catch (Exception ex)
        {
            return HealthCheckResult.Unhealthy($"{db.Provider} unreachable: {ex.Message}");
        }
    }
}

/// <summary>A missing model degrades the service (no suggestions) but the site keeps working, so this is Degraded, not Unhealthy.</summary>
public sealed class ModelHealthCheck(ICommentClassifier classifier) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default) =>
        Task.FromResult(classifier.IsAvailable
            ? HealthCheckResult.Healthy($"model {classifier.ModelVersion} loaded")
            : HealthCheckResult.Degraded($"suggestions off: {classifier.UnavailableReason}"));
}
