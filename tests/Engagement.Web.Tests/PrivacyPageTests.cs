using System.Net;
using Dapper;
using Engagement.Core.Data;
using Engagement.Core.Domain;
using Engagement.Core.Privacy;
using Engagement.Core.Staff;
using Microsoft.Extensions.DependencyInjection;

namespace Engagement.Web.Tests;

/// <summary>Erasure by reference through the staff pages: real sign-in, real antiforgery tokens, no JavaScript.</summary>
public sealed class PrivacyPageTests : IClassFixture<EngagementWebFactory>
{
    private const string Page = "/staff/privacy/erase";
    private readonly EngagementWebFactory factory;

    public PrivacyPageTests(EngagementWebFactory factory) => this.factory = factory;

    private async Task<string> SubmitAsync(string text)
    {
        var consultation = await factory.EnsureConsultationAsync();
        var result = await factory.Services.GetRequiredService<SubmissionStore>().CreateAsync(new NewSubmission
        {
            ConsultationId = consultation.Id, RespondentType = RespondentTypes.Resident, District = "SW", Organisation = "Sheerness Carers",
            Comments = [new NewComment(text, 5)],
        });
        return result.Reference;
    }

    private static FormUrlEncodedContent Form(string token, params (string Key, string Value)[] fields) =>
        new(fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value)).Append(new("__RequestVerificationToken", token)));

    [Fact]
    public async Task Admin_enters_a_reference_checks_it_and_erases_the_response()
    {
        var reference = await SubmitAsync("I am Sam Smith and my son's GP at Sheerness never answers");
        var admin = await StaffClient.ForRoleAsync(factory, StaffRoles.Admin);

        var token = await EngagementWebFactory.TokenFromAsync(await admin.GetAsync(Page));
        var check = await admin.PostAsync(Page, Form(token, ("Reference", " " + reference.ToLowerInvariant())));
        var checkHtml = await check.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, check.StatusCode);
        Assert.Contains("Check before you erase", checkHtml);
        Assert.Contains(reference, checkHtml);
        // Nothing has changed yet.
        var privacy = factory.Services.GetRequiredService<PrivacyStore>();
        Assert.Null((await privacy.FindAsync(reference))!.ErasedAt);

        var confirmToken = await EngagementWebFactory.TokenFromAsync(check);
        var done = await admin.PostAsync(Page + "?handler=Erase", Form(confirmToken, ("Reference", reference)));
        var doneHtml = await done.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        Assert.Contains("Response erased", doneHtml);

        Assert.NotNull((await privacy.FindAsync(reference))!.ErasedAt);
        await using var c = await factory.Services.GetRequiredService<Database>().OpenAsync();
        var (text, organisation) = await c.QuerySingleAsync<(string, string?)>("""
            SELECT m.text, s.organisation FROM comments m JOIN submissions s ON s.id = m.submission_id WHERE s.reference = @reference
            """, new { reference });
        Assert.Equal((PrivacyStore.RemovedText, (string?)null), (text, organisation));
        var events = await factory.Services.GetRequiredService<SecurityEventStore>().ListAsync(SecurityEventKinds.SubmissionErased, 50);
        Assert.Contains(events, e => e.Detail!.Contains(reference));
    }

    [Fact]
    public async Task An_unknown_or_empty_reference_gets_a_clear_error()
    {
        var admin = await StaffClient.ForRoleAsync(factory, StaffRoles.Admin);
        var token = await EngagementWebFactory.TokenFromAsync(await admin.GetAsync(Page));

        var empty = await (await admin.PostAsync(Page, Form(token, ("Reference", "  ")))).Content.ReadAsStringAsync();
        var unknown = await (await admin.PostAsync(Page, Form(token, ("Reference", "KM-0000-0000")))).Content.ReadAsStringAsync();

        Assert.Contains("Enter the reference number", empty);
        Assert.Contains("No response has that reference number", unknown);
        Assert.Contains("<title>Error:", unknown);
    }

    [Fact]
    public async Task Engagement_team_cannot_erase()
    {
        var reference = await SubmitAsync("Please keep the walk-in centre open");
        var admin = await StaffClient.ForRoleAsync(factory, StaffRoles.Admin);
        var token = await EngagementWebFactory.TokenFromAsync(await admin.GetAsync(Page));
        var team = await StaffClient.ForRoleAsync(factory, StaffRoles.EngagementTeam);

        var get = await team.GetAsync(Page);
        var teamToken = await EngagementWebFactory.TokenFromAsync(await team.GetAsync("/staff"));
        var post = await team.PostAsync(Page + "?handler=Erase", Form(teamToken, ("Reference", reference)));

        Assert.Equal(HttpStatusCode.Forbidden, get.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, post.StatusCode);
        Assert.Null((await factory.Services.GetRequiredService<PrivacyStore>().FindAsync(reference))!.ErasedAt);
        Assert.NotEmpty(token);
    }

    [Fact]
    public async Task The_privacy_notice_covers_basis_retention_rights_and_complaints()
    {
        var html = await (await factory.CreateBrowserClient().GetAsync("/privacy")).Content.ReadAsStringAsync();

        foreach (var expected in new[]
        {
            "joint controllers", "Article 6(1)(e)", "Article 9(2)(g)", "Article 9(2)(h)", "What we collect",
            $"{new PrivacyOptions().DefaultRetentionMonths} months after the consultation closes", "reference number", "erase",
            "Information Commissioner", "0303 123 1113", "Contact us",
        })
            Assert.Contains(expected, html);
    }

    [Fact]
    public async Task The_notice_shows_the_configured_retention_period_and_contact()
    {
        using var configured = new EngagementWebFactory
        {
            Settings = new Dictionary<string, string> { ["Privacy:DefaultRetentionMonths"] = "18", ["Privacy:ContactEmail"] = "privacy@example.org" },
        };
        var html = await (await configured.CreateBrowserClient().GetAsync("/privacy")).Content.ReadAsStringAsync();

        Assert.Contains("18 months after the consultation closes", html);
        Assert.Contains("mailto:privacy@example.org", html);
    }
}
