using System.Net;

namespace Engagement.Web.Tests;

public sealed class ResilienceTests
{
    [Fact]
    public async Task The_public_post_is_rate_limited_with_retry_after()
    {
        await using var factory = new EngagementWebFactory { PublicPostsPerWindow = 2 };
        await factory.EnsureConsultationAsync();
        var client = factory.CreateBrowserClient();
        var url = $"/consultations/{EngagementWebFactory.Slug}/respond";
        var token = await EngagementWebFactory.TokenFromAsync(await client.GetAsync(url));
        var form = new Dictionary<string, string> { ["__RequestVerificationToken"] = token };

        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? last = null;
        for (var i = 0; i < 3; i++)
        {
            last = await client.PostAsync(url + "?handler=Check", new FormUrlEncodedContent(form));
            statuses.Add(last.StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
        Assert.True(last!.Headers.RetryAfter is not null || last.Headers.Contains("Retry-After"));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(url)).StatusCode);
    }

    // Broken model files (missing, truncated, junk, wrong schema): ModelFaultPageTests.
}
