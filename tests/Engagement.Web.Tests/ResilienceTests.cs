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

    [Fact]
    public async Task A_corrupt_model_file_degrades_health_but_the_form_still_works()
    {
        var corrupt = Path.Combine(Path.GetTempPath(), $"corrupt-{Guid.NewGuid():N}.zip");
        await File.WriteAllTextAsync(corrupt, "this is not a model");
        try
        {
            await using var factory = new EngagementWebFactory { ModelPath = corrupt };
            await factory.EnsureConsultationAsync();
            var client = factory.CreateBrowserClient();

            var health = await client.GetAsync("/health");
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
            Assert.Contains("\"status\":\"Degraded\"", await health.Content.ReadAsStringAsync());

            var url = $"/consultations/{EngagementWebFactory.Slug}/respond";
            var token = await EngagementWebFactory.TokenFromAsync(await client.GetAsync(url));
            var submit = await client.PostAsync(url + "?handler=Submit", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = token, ["Input.IdempotencyKey"] = Guid.NewGuid().ToString("N"),
                ["Input.RespondentType"] = "resident", ["Input.District"] = "Med", ["Input.Comments[0].Outcome"] = "not-sure",
                ["Input.Comments[0].Text"] = "Still works without a model", ["Input.ConsentToQuote"] = "no",
            }));
            Assert.Equal(HttpStatusCode.Redirect, submit.StatusCode);
        }
        finally
        {
            File.Delete(corrupt);
        }
    }
}
