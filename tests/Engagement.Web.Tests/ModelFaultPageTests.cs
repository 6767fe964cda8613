using System.Net;
using System.Text.Json;
using Dapper;
using Engagement.Classifier;
using Engagement.Classifier.Tests;
using Engagement.Core.Data;
using Engagement.Core.Staff;
using Engagement.Core.Triage;
using Microsoft.Extensions.DependencyInjection;

namespace Engagement.Web.Tests;

/// <summary>
/// A missing, truncated, junk or wrong-schema model file: the site runs without suggestions, /health says why, the
/// public form still takes responses, and promoting such a file is refused with the reason while the served model stays.
/// </summary>
public sealed class ModelFaultPageTests : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "model-fault-pages-" + Guid.NewGuid().ToString("N"));

    private static string GoodModel => RepoPaths.Resolve(new ClassifierOptions().ModelPath);

    public static TheoryData<ModelFault> Faults => BrokenModels.All;

    public void Dispose()
    {
        try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
    }

    [Theory, MemberData(nameof(Faults))]
    public async Task A_broken_model_file_degrades_health_with_its_reason_and_the_form_still_works(ModelFault fault)
    {
        await using var site = new EngagementWebFactory { ModelPath = BrokenModels.Write(fault, GoodModel, folder) };
        await site.EnsureConsultationAsync();
        var client = site.CreateBrowserClient();

        var health = await client.GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        using var json = JsonDocument.Parse(await health.Content.ReadAsStringAsync());
        Assert.Equal("Degraded", json.RootElement.GetProperty("status").GetString());
        var model = json.RootElement.GetProperty("checks").GetProperty("model");
        Assert.Equal("Degraded", model.GetProperty("status").GetString());
        Assert.Contains(BrokenModels.ExpectedReason(fault), model.GetProperty("description").GetString());

        var url = EngagementWebFactory.FormUrl;
        var token = await EngagementWebFactory.TokenFromAsync(await client.GetAsync(url));
        var marker = Guid.NewGuid().ToString("N");
        var submit = await client.PostAsync(url + "?handler=Submit",
            new FormUrlEncodedContent(EngagementWebFactory.ResidentAnswers(token, "Still works without a model " + marker)));
        Assert.Equal(HttpStatusCode.Redirect, submit.StatusCode);
        await using var c = await site.Services.GetRequiredService<Database>().OpenAsync();
        Assert.Equal(1, await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM comments WHERE text LIKE @p", new { p = "%" + marker }));
    }

    [Fact]
    public async Task Promoting_a_broken_model_file_is_refused_with_its_reason_and_the_served_model_stays()
    {
        await using var site = new EngagementWebFactory();
        await site.EnsureConsultationAsync();
        var classifier = site.Services.GetRequiredService<ICommentClassifier>();
        var versions = site.Services.GetRequiredService<ModelVersionStore>();
        var serving = classifier.ModelVersion;
        Assert.NotNull(serving);
        var client = await StaffClient.ForRoleAsync(site, StaffRoles.EngagementTeam);
        var token = await EngagementWebFactory.TokenFromAsync(await client.GetAsync("/staff/models"));
        var activeBefore = (await versions.ActiveAsync())?.Id; // the models page records the served baseline

        foreach (var fault in Enum.GetValues<ModelFault>())
        {
            var id = await versions.AddAsync(new ModelVersionRow
            {
                Version = $"broken-{fault}", CreatedAt = DateTime.UtcNow, CreatedBy = "test", Trainer = "test",
                FilePath = BrokenModels.Write(fault, GoodModel, folder),
            });

            var promote = await client.PostAsync($"/staff/models?handler=Promote&id={id}",
                new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));
            var html = WebUtility.HtmlDecode(await promote.Content.ReadAsStringAsync());

            Assert.Equal(HttpStatusCode.OK, promote.StatusCode);
            Assert.Contains($"Version broken-{fault} could not be loaded", html);
            Assert.Contains(BrokenModels.ExpectedReason(fault), html);
            Assert.Equal(serving, classifier.ModelVersion);
            Assert.True(classifier.IsAvailable, fault.ToString());
            Assert.Equal(activeBefore, (await versions.ActiveAsync())?.Id);
            Assert.Equal(ModelStatuses.Candidate, (await versions.GetAsync(id))!.Status);
        }
        Assert.Contains("\"status\":\"Healthy\"", await client.GetStringAsync("/health"));
    }

    [Fact]
    public async Task A_broken_file_recorded_as_active_elsewhere_keeps_the_served_model_and_health_says_why()
    {
        await using var site = new EngagementWebFactory();
        await site.EnsureConsultationAsync();
        var classifier = site.Services.GetRequiredService<ICommentClassifier>();
        var serving = classifier.ModelVersion;
        var versions = site.Services.GetRequiredService<ModelVersionStore>();
        // Another instance (or a person with the database) records a version whose file this instance cannot load.
        var id = await versions.AddAsync(new ModelVersionRow
        {
            Version = "broken-elsewhere", CreatedAt = DateTime.UtcNow, CreatedBy = "test", Trainer = "test",
            FilePath = BrokenModels.Write(ModelFault.Truncated, GoodModel, folder),
        });
        Assert.True(await versions.PromoteAsync(id, "someone@example.org"));

        await site.Services.GetRequiredService<RetrainJob>().SyncActiveAsync();

        Assert.Equal(serving, classifier.ModelVersion);
        var client = site.CreateBrowserClient();
        using var json = JsonDocument.Parse(await client.GetStringAsync("/health"));
        var model = json.RootElement.GetProperty("checks").GetProperty("model");
        Assert.Equal("Degraded", model.GetProperty("status").GetString());
        Assert.Contains($"model {serving} loaded, but the active model version could not be loaded", model.GetProperty("description").GetString());
        Assert.Contains(BrokenModels.ExpectedReason(ModelFault.Truncated), model.GetProperty("description").GetString());
    }
}
