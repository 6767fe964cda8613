using System.Net;
using System.Text.RegularExpressions;
using Engagement.Core.Data;
using Engagement.Core.Domain;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.Extensions.DependencyInjection;

namespace Engagement.Web.Tests;

/// <summary>The real site over HTTP, on its own SQLite file, with one open consultation.</summary>
public sealed partial class EngagementWebFactory : WebApplicationFactory<Program>
{
    public const string Slug = "test-consultation";
    private readonly string ownDataDirectory = Path.Combine(Path.GetTempPath(), "engagement-web-tests", Guid.NewGuid().ToString("N"));

    /// <summary>
    /// A folder shared with other factories, to run the site again on the same database (a restart, a second
    /// instance). The test deletes it. Unset: a fresh folder of this factory's own, deleted when it is disposed.
    /// </summary>
    public string? DataDirectory { get; init; }

    /// <summary>The site's cookies are Secure and __Host- prefixed, so clients talk HTTPS as a browser would (TestServer honours the scheme).</summary>
    public static readonly Uri BaseAddress = new("https://localhost");

    public EngagementWebFactory() => ClientOptions.BaseAddress = BaseAddress;

    public int PublicPostsPerWindow { get; init; } = 1000;
    public int SignInAttemptsPerWindow { get; init; } = 1000;
    public string? ModelPath { get; init; }

    /// <summary>Extra configuration for one test's site, e.g. Triage:TrainingDataDir.</summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();
    public string Environment { get; init; } = "Testing";

    /// <summary>Services one test's site replaces (e.g. a held emerging-themes finder), applied after the site's own.</summary>
    public Action<IServiceCollection>? TestServices { get; init; }

    /// <summary>Off for most tests, which sign in with a password only; the two-factor tests turn it on.</summary>
    public bool TwoFactorRequired { get; init; }
    private bool plainHttpKestrel;

    /// <summary>
    /// Browser tests drive Chromium against real Kestrel on plain-http loopback, the way Development runs, so the
    /// HTTPS-only rule (redirects, __Host- Secure cookies) is off for them. Every other test talks HTTPS.
    /// </summary>
    public new void UseKestrel(int port)
    {
        plainHttpKestrel = true;
        base.UseKestrel(port);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(Environment);
        builder.UseSetting("Database:DataDirectory", DataDirectory ?? ownDataDirectory);
        builder.UseSetting("Demo:LoadOnFirstRun", "false");
        builder.UseSetting("TwoFactor:Required", TwoFactorRequired ? "true" : "false");
        builder.UseSetting("RateLimits:PublicPostsPerWindow", PublicPostsPerWindow.ToString());
        builder.UseSetting("RateLimits:SignInAttemptsPerWindow", SignInAttemptsPerWindow.ToString());
        if (plainHttpKestrel) builder.UseSetting("Https:Require", "false");
        if (ModelPath is not null) builder.UseSetting("Classifier:ModelPath", ModelPath);
        foreach (var (key, value) in Settings) builder.UseSetting(key, value);
        if (TestServices is not null) builder.ConfigureTestServices(TestServices);
    }

    public Task<Consultation> EnsureConsultationAsync() => EnsureConsultationAsync(Services.GetRequiredService<Database>());

    /// <summary>The open test consultation, in any database: this site's, or the file a real process (WebProcess) uses.</summary>
    public static Task<Consultation> EnsureConsultationAsync(Database database) =>
        new ConsultationStore(database).EnsureAsync(new Consultation
        {
            Slug = Slug, Title = "Refresh of the Integrated Care Strategy", Summary = "Tell us what you think.", Status = ConsultationStatuses.Open,
            OpensOn = new DateTime(2026, 10, 1, 0, 0, 0, DateTimeKind.Utc), ClosesOn = new DateTime(2027, 1, 31, 0, 0, 0, DateTimeKind.Utc),
        });

    public const string FormUrl = $"/consultations/{Slug}/respond";

    /// <summary>A resident's minimal valid answers to the test consultation's form, with a fresh idempotency key.</summary>
    public static Dictionary<string, string> ResidentAnswers(string token, string text) => new()
    {
        ["__RequestVerificationToken"] = token, ["Input.IdempotencyKey"] = Guid.NewGuid().ToString("N"),
        ["Input.RespondentType"] = "resident", ["Input.District"] = "Med", ["Input.Comments[0].Outcome"] = "not-sure",
        ["Input.Comments[0].Text"] = text, ["Input.ConsentToQuote"] = "no",
    };

    /// <summary>Opens the form and sends one response; the reference from the confirmation redirect, or null if it was refused.</summary>
    public static async Task<string?> SubmitResponseAsync(HttpClient client, string text)
    {
        var token = await TokenFromAsync(await client.GetAsync(FormUrl));
        var response = await client.PostAsync(FormUrl + "?handler=Submit", new FormUrlEncodedContent(ResidentAnswers(token, text)));
        if (response.StatusCode != HttpStatusCode.Redirect) return null;
        var location = response.Headers.Location!.ToString();
        return WebUtility.UrlDecode(location[(location.LastIndexOf('/') + 1)..]);
    }

    public HttpClient CreateBrowserClient() => CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true, BaseAddress = BaseAddress });

    /// <summary>A browser-like client whose cookies live in the given jar, so they can be carried to another factory.</summary>
    public HttpClient CreateBrowserClient(CookieContainer cookies) => CreateDefaultClient(BaseAddress, new CookieContainerHandler(cookies));

    public static async Task<string> TokenFromAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        var match = TokenPattern().Match(html);
        Assert.True(match.Success, "The page has no antiforgery token.");
        return WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (DataDirectory is not null) return;
        try { Directory.Delete(ownDataDirectory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
