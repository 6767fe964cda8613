using System.Text.Json;
using Dapper;
using Engagement.Classifier;
using Engagement.Core.Data;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Engagement.Web.Infrastructure;

/// <summary>
/// Three addresses. /health/live: the process answers (no dependency is asked, so a database outage never gets a
/// load balancer to restart healthy processes). /health/ready: this instance can serve (database reachable and
/// migrated; a missing model only turns suggestions off, so Degraded still counts as ready). /health: every check, for people.
/// None needs signing in, none is rate-limited or cached, and all answer plain http (WebSecurity lets /health through).
/// </summary>
public static class HealthExtensions
{
    public const string ReadyTag = "ready";

    /// <summary>A load balancer gives up after a few seconds; an unreachable SQL Server should fail the probe, not hang it.</summary>
    private static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(5);

    public static IServiceCollection AddEngagementHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", tags: [ReadyTag], timeout: CheckTimeout)
            .AddCheck<ModelHealthCheck>("model", tags: [ReadyTag], timeout: CheckTimeout);
        return services;
    }

    public static void MapEngagementHealthChecks(this WebApplication app)
    {
        app.MapHealthChecks("/health", Options(_ => true, WriteReport));
        app.MapHealthChecks("/health/live", Options(_ => false, WriteReport));
        app.MapHealthChecks("/health/ready", Options(check => check.Tags.Contains(ReadyTag), WriteReadiness));
    }

    private static HealthCheckOptions Options(Func<HealthCheckRegistration, bool> predicate, Func<HttpContext, HealthReport, Task> writer) => new()
    {
        Predicate = predicate,
        ResponseWriter = writer,
        // Said outright although these are the defaults: Degraded must stay 200, and no answer may be cached
        // (the middleware then sends Cache-Control: no-store, no-cache).
        ResultStatusCodes =
        {
            [HealthStatus.Healthy] = StatusCodes.Status200OK,
            [HealthStatus.Degraded] = StatusCodes.Status200OK,
            [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
        },
        AllowCachingResponses = false,
    };

    private static Task WriteReport(HttpContext context, HealthReport report) => WriteJson(context, new
    {
        status = report.Status.ToString(),
        checks = Checks(report),
    });

    private static Task WriteReadiness(HttpContext context, HealthReport report) => WriteJson(context, new
    {
        status = report.Status.ToString(),
        ready = report.Status != HealthStatus.Unhealthy,
        note = report.Status switch
        {
            HealthStatus.Healthy => "Ready.",
            HealthStatus.Degraded => "Ready: the site works without the classifier (residents can respond, staff can triage by hand); only suggestions are off.",
            _ => "Not ready: the database is unreachable or not migrated.",
        },
        checks = Checks(report),
    });

    private static Dictionary<string, object> Checks(HealthReport report) =>
        report.Entries.ToDictionary(e => e.Key, e => (object)new { status = e.Value.Status.ToString(), description = e.Value.Description });

    private static async Task WriteJson(HttpContext context, object body)
    {
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(JsonSerializer.Serialize(body));
    }
}

public sealed class DatabaseHealthCheck(Database db) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        try
        {
            await using var c = await db.OpenAsync(ct);
            await c.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM consultations", cancellationToken: ct));
            var pending = Migrator.PendingScripts(db);
            return pending.Count == 0
                ? HealthCheckResult.Healthy($"{db.Provider} reachable and migrated")
                : HealthCheckResult.Unhealthy($"{db.Provider} reachable but not migrated: {pending.Count} script(s) to run ({string.Join(", ", pending)}). Run: engage db migrate");
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
        Task.FromResult(!classifier.IsAvailable
            ? HealthCheckResult.Degraded($"suggestions off: {classifier.UnavailableReason}")
            : classifier is Engagement.Core.Triage.ActiveModelClassifier { ActiveVersionProblem: { } problem }
                ? HealthCheckResult.Degraded($"model {classifier.ModelVersion} loaded, but {problem}")
                : HealthCheckResult.Healthy($"model {classifier.ModelVersion} loaded"));
}
