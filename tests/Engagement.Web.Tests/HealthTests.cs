using System.Net;
using System.Text.Json;
using Dapper;
using Engagement.Core.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Routing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Engagement.Web.Tests;

/// <summary>/health/live and /health/ready, as a load balancer uses them.</summary>
public sealed class HealthTests
{
    private static readonly string[] HealthRoutes = ["/health", "/health/live", "/health/ready"];

    [Fact]
    public async Task Live_and_ready_answer_200_with_json_and_are_never_cached()
    {
        await using var factory = new EngagementWebFactory();
        var client = factory.CreateClient();

        var live = await client.GetAsync("/health/live");
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal("Healthy", Json(await live.Content.ReadAsStringAsync()).GetProperty("status").GetString());

        var ready = await client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("application/json", ready.Content.Headers.ContentType?.MediaType);
        var json = Json(await ready.Content.ReadAsStringAsync());
        Assert.True(json.GetProperty("ready").GetBoolean());
        Assert.Equal("Healthy", json.GetProperty("checks").GetProperty("database").GetProperty("status").GetString());
        Assert.Contains("migrated", json.GetProperty("checks").GetProperty("database").GetProperty("description").GetString());
        Assert.True(json.GetProperty("checks").TryGetProperty("model", out _));

        foreach (var url in HealthRoutes)
        {
            var response = await client.GetAsync(url);
            Assert.True(response.Headers.CacheControl is { NoStore: true, NoCache: true }, $"{url} may be cached: {response.Headers.CacheControl}");
        }
    }

    [Fact]
    public async Task Health_routes_need_no_sign_in_no_https_and_no_rate_limit_permit()
    {
        await using var factory = new EngagementWebFactory();
        var endpoints = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => HealthRoutes.Contains("/" + e.RoutePattern.RawText?.TrimStart('/'))).ToList();
        Assert.Equal(HealthRoutes.Length, endpoints.Count);
        foreach (var endpoint in endpoints)
        {
            Assert.Empty(endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>());
            Assert.Null(endpoint.Metadata.GetMetadata<EnableRateLimitingAttribute>());
        }
        // A global limiter would count every probe from the load balancer; if one is ever added, exempt these routes.
        Assert.Null(factory.Services.GetRequiredService<IOptions<RateLimiterOptions>>().Value.GlobalLimiter);

        // A load balancer probes the instance over plain http; that must not be redirected to https (HTTPS is required here).
        var plainHttp = factory.CreateClient(new() { AllowAutoRedirect = false, BaseAddress = new Uri("http://localhost") });
        foreach (var url in HealthRoutes)
            Assert.Equal(HttpStatusCode.OK, (await plainHttp.GetAsync(url)).StatusCode);
    }

    [Fact]
    public async Task Without_a_model_ready_stays_200_and_says_why()
    {
        var corrupt = Path.Combine(Path.GetTempPath(), $"corrupt-{Guid.NewGuid():N}.zip");
        await File.WriteAllTextAsync(corrupt, "this is not a model");
        try
        {
            await using var factory = new EngagementWebFactory { ModelPath = corrupt };
            var ready = await factory.CreateClient().GetAsync("/health/ready");

            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
            var json = Json(await ready.Content.ReadAsStringAsync());
            Assert.Equal("Degraded", json.GetProperty("status").GetString());
            Assert.True(json.GetProperty("ready").GetBoolean());
            Assert.Contains("without the classifier", json.GetProperty("note").GetString());
            Assert.Equal("Degraded", json.GetProperty("checks").GetProperty("model").GetProperty("status").GetString());
        }
        finally
        {
            File.Delete(corrupt);
        }
    }

    [Fact]
    public async Task An_unreachable_database_makes_ready_503_while_live_stays_200_and_ready_recovers()
    {
        await using var factory = new EngagementWebFactory();
        var client = factory.CreateClient();
        var db = factory.Services.GetRequiredService<Database>();
        var file = new SqliteConnectionStringBuilder(db.ConnectionString).DataSource;
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);

        // The file swapped for a folder of the same name: SQLite cannot open it, as with a lost volume or a bad mount.
        // Pooled connections would keep the old file open, so they are closed first.
        SqliteConnection.ClearPool(new SqliteConnection(db.ConnectionString));
        File.Move(file, file + ".away");
        Directory.CreateDirectory(file);
        try
        {
            var ready = await client.GetAsync("/health/ready");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
            var json = Json(await ready.Content.ReadAsStringAsync());
            Assert.False(json.GetProperty("ready").GetBoolean());
            Assert.Contains("unreachable", json.GetProperty("checks").GetProperty("database").GetProperty("description").GetString());
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
        }
        finally
        {
            Directory.Delete(file);
            File.Move(file + ".away", file);
            SqliteConnection.ClearPool(new SqliteConnection(db.ConnectionString));
        }

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);
    }

    [Fact]
    public async Task A_database_behind_this_builds_migrations_makes_ready_503()
    {
        await using var factory = new EngagementWebFactory();
        var client = factory.CreateClient();
        string newest;
        await using (var c = await factory.Services.GetRequiredService<Database>().OpenAsync())
        {
            // As if this build were deployed before `engage db migrate` ran (Database:MigrateOnStartup=false).
            newest = await c.ExecuteScalarAsync<string>("SELECT ScriptName FROM SchemaVersions ORDER BY SchemaVersionID DESC LIMIT 1") ?? "";
            await c.ExecuteAsync("DELETE FROM SchemaVersions WHERE ScriptName = @newest", new { newest });
        }

        var ready = await client.GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        var description = Json(await ready.Content.ReadAsStringAsync()).GetProperty("checks").GetProperty("database").GetProperty("description").GetString();
        Assert.Contains("not migrated", description);
        Assert.Contains(newest, description);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
    }

    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement;
}
