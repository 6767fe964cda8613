using System.Net;
using Engagement.Core.Data;
using Engagement.Core.Domain;
using Engagement.Core.Staff;
using Microsoft.Extensions.DependencyInjection;

namespace Engagement.Web.Tests;

public sealed class StaffTests : IClassFixture<EngagementWebFactory>
{
    private const string Password = "a long test password";
    private readonly EngagementWebFactory factory;

    public StaffTests(EngagementWebFactory factory) => this.factory = factory;

    private async Task<HttpClient> SignedInClientAsync(string email, string role)
    {
        await factory.Services.GetRequiredService<StaffUserStore>().AddOrUpdateAsync(email, role, Password);
        var client = factory.CreateBrowserClient();
        var token = await EngagementWebFactory.TokenFromAsync(await client.GetAsync("/staff/sign-in"));
        var response = await client.PostAsync("/staff/sign-in", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["Input.Email"] = email, ["Input.Password"] = Password,
        }));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/staff", response.Headers.Location!.ToString());
        return client;
    }

    [Theory]
    [InlineData("/staff")]
    [InlineData("/staff/consultations/test-consultation/responses")]
    [InlineData("/staff/comments/1")]
    public async Task Signed_out_staff_pages_redirect_to_sign_in(string path)
    {
        var response = await factory.CreateBrowserClient().GetAsync(path);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("https://localhost/staff/sign-in", response.Headers.Location!.ToString());
    }

    [Fact]
    public async Task Staff_sign_in_and_find_a_residents_comment()
    {
        var consultation = await factory.EnsureConsultationAsync();
        var marker = Guid.NewGuid().ToString("N");
        await factory.Services.GetRequiredService<SubmissionStore>().CreateAsync(new NewSubmission
        {
            ConsultationId = consultation.Id, RespondentType = RespondentTypes.Resident, District = "FH",
            Comments = [new NewComment("No buses to the hospital from Hythe " + marker, 5)],
        });
        var client = await SignedInClientAsync("team@example.org", StaffRoles.EngagementTeam);

        var dashboard = await client.GetStringAsync("/staff");
        Assert.Contains(consultation.Title, dashboard);

        var list = await client.GetStringAsync($"/staff/consultations/{consultation.Slug}/responses?Q={marker}&District=FH");
        Assert.Contains("No buses to the hospital from Hythe " + marker, list);
        Assert.Contains("<strong>1</strong> comments match", list);

        var empty = await client.GetStringAsync($"/staff/consultations/{consultation.Slug}/responses?Q={marker}&District=T");
        Assert.Contains("<strong>0</strong> comments match", empty);
    }

    [Fact]
    public async Task Wrong_password_shows_one_message_and_no_session()
    {
        await factory.Services.GetRequiredService<StaffUserStore>().AddOrUpdateAsync("author@example.org", StaffRoles.StrategyAuthor, Password);
        var client = factory.CreateBrowserClient();
        var token = await EngagementWebFactory.TokenFromAsync(await client.GetAsync("/staff/sign-in"));
        var response = await client.PostAsync("/staff/sign-in", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["Input.Email"] = "author@example.org", ["Input.Password"] = "nope",
        }));
        var html = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Enter a correct email address and password", html);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/staff")).StatusCode);
    }

    [Fact]
    public async Task An_absolute_return_url_is_not_followed()
    {
        await factory.Services.GetRequiredService<StaffUserStore>().AddOrUpdateAsync("admin2@example.org", StaffRoles.Admin, Password);
        var client = factory.CreateBrowserClient();
        var token = await EngagementWebFactory.TokenFromAsync(await client.GetAsync("/staff/sign-in?ReturnUrl=https://evil.example/"));
        var response = await client.PostAsync("/staff/sign-in", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["Input.Email"] = "admin2@example.org", ["Input.Password"] = Password,
            ["ReturnUrl"] = "https://evil.example/",
        }));
        Assert.Equal("/staff", response.Headers.Location!.ToString());
    }

    [Fact]
    public async Task Disabling_an_account_ends_its_session()
    {
        var client = await SignedInClientAsync("leaver@example.org", StaffRoles.EngagementTeam);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/staff")).StatusCode);
        var users = factory.Services.GetRequiredService<StaffUserStore>();
        await users.SetDisabledAsync((await users.FindByEmailAsync("leaver@example.org"))!.Id, true);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/staff")).StatusCode);
    }
}
