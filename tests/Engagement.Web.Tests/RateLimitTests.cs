using System.Net;
using Dapper;
using Engagement.Core.Data;
using Microsoft.Extensions.DependencyInjection;

namespace Engagement.Web.Tests;

/// <summary>Rate limits counted in the database (the default, shared by every instance) or in memory (one instance).</summary>
public sealed class RateLimitTests
{
    private static readonly string Url = $"/consultations/{EngagementWebFactory.Slug}/respond";

    private static async Task<HttpStatusCode> CheckAsync(HttpClient client, string token, string? forwardedFor = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Url + "?handler=Check")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }),
        };
        if (forwardedFor is not null) request.Headers.Add("X-Forwarded-For", forwardedFor);
        var response = await client.SendAsync(request);
        if (response.StatusCode == HttpStatusCode.TooManyRequests)
            Assert.True(response.Headers.RetryAfter?.Delta is { } wait && wait > TimeSpan.Zero && wait <= TimeSpan.FromSeconds(60), "429 without a sensible Retry-After");
        return response.StatusCode;
    }

    [Theory]
    [InlineData("Database")]
    [InlineData("Memory")]
    public async Task Either_store_refuses_the_post_over_the_limit_with_429_and_retry_after(string store)
    {
        await using var site = new EngagementWebFactory { PublicPostsPerWindow = 2, Settings = new Dictionary<string, string> { ["RateLimits:Store"] = store } };
        await site.EnsureConsultationAsync();
        var client = site.CreateBrowserClient();
        var token = await EngagementWebFactory.TokenFromAsync(await client.GetAsync(Url));

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++) statuses.Add(await CheckAsync(client, token));
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(Url)).StatusCode); // reading is never limited

        await using var c = await site.Services.GetRequiredService<Database>().OpenAsync();
        var counted = await c.ExecuteScalarAsync<long?>("SELECT SUM(request_count) FROM rate_limit_windows WHERE limit_key LIKE 'post:%'");
        Assert.Equal(store == "Database" ? 3 : null, counted);
    }

    [Fact]
    public async Task Behind_a_trusted_proxy_each_forwarded_client_has_its_own_limit()
    {
        // Loopback is always a trusted proxy, so X-Forwarded-For reaches RemoteIpAddress before the limiter runs.
        await using var site = new EngagementWebFactory { PublicPostsPerWindow = 2 };
        await site.EnsureConsultationAsync();
        var client = site.CreateBrowserClient();
        var token = await EngagementWebFactory.TokenFromAsync(await client.GetAsync(Url));

        Assert.Equal(HttpStatusCode.OK, await CheckAsync(client, token, "203.0.113.1"));
        Assert.Equal(HttpStatusCode.OK, await CheckAsync(client, token, "203.0.113.1"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await CheckAsync(client, token, "203.0.113.1"));
        Assert.Equal(HttpStatusCode.OK, await CheckAsync(client, token, "203.0.113.2"));

        await using var c = await site.Services.GetRequiredService<Database>().OpenAsync();
        Assert.Equal(["post:203.0.113.1", "post:203.0.113.2"],
            await c.QueryAsync<string>("SELECT limit_key FROM rate_limit_windows ORDER BY limit_key"));
    }

    [Fact]
    public void An_unknown_store_is_refused_at_start_up_with_a_clear_message()
    {
        using var site = new EngagementWebFactory { Settings = new Dictionary<string, string> { ["RateLimits:Store"] = "Redis" } };
        var error = Assert.ThrowsAny<Exception>(() => site.CreateClient());
        Assert.Contains("RateLimits:Store is 'Redis'", error.ToString());
    }
}
