using System.Net;
using System.Text.RegularExpressions;
using Engagement.Core.Staff;
using Microsoft.Extensions.DependencyInjection;

namespace Engagement.Web.Tests;

/// <summary>TOTP two-factor through the real pages, with codes computed from the secret the page shows.</summary>
public sealed partial class TwoFactorTests : IAsyncLifetime
{
    private readonly EngagementWebFactory required = new() { TwoFactorRequired = true };

    public Task InitializeAsync() => required.EnsureConsultationAsync();
    public async Task DisposeAsync() => await required.DisposeAsync();

    private static async Task<HttpResponseMessage> PasswordAsync(HttpClient client, string email)
    {
        var token = await EngagementWebFactory.TokenFromAsync(await client.GetAsync("/staff/sign-in"));
        return await client.PostAsync("/staff/sign-in", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["Input.Email"] = email, ["Input.Password"] = StaffClient.Password,
            ["ReturnUrl"] = "/staff/consultations/test-consultation/responses",
        }));
    }

    private static async Task<HttpResponseMessage> CodeAsync(HttpClient client, string page, string code)
    {
        var token = await EngagementWebFactory.TokenFromAsync(await client.GetAsync(page));
        return await client.PostAsync(page, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["Code"] = code, ["ReturnUrl"] = "/staff/consultations/test-consultation/responses",
        }));
    }

    private static string CodeFor(byte[] key, int stepsAhead = 0) => Totp.Code(key, Totp.StepAt(DateTime.UtcNow) + stepsAhead);

    private async Task<(string Email, byte[] Key, long UsedStep)> EnrolAsync()
    {
        var email = $"totp-{Guid.NewGuid():N}@example.org";
        await required.Services.GetRequiredService<StaffUserStore>().AddOrUpdateAsync(email, StaffRoles.EngagementTeam, StaffClient.Password);
        var client = required.CreateBrowserClient();

        var password = await PasswordAsync(client, email);
        Assert.Equal(HttpStatusCode.Redirect, password.StatusCode);
        Assert.StartsWith("/staff/sign-in/set-up-two-factor?ReturnUrl=", password.Headers.Location!.ToString());
        // A right password alone is not a session.
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/staff")).StatusCode);

        var setup = await client.GetStringAsync("/staff/sign-in/set-up-two-factor");
        var secret = SetupKey().Match(setup).Groups[1].Value.Replace(" ", "");
        Assert.Equal(32, secret.Length);
        Assert.Contains($"otpauth://totp/", setup);
        Assert.Contains($"secret={secret}", setup);
        var key = Totp.Base32Decode(secret);

        var wrong = await CodeAsync(client, "/staff/sign-in/set-up-two-factor", "000000" == CodeFor(key) ? "111111" : "000000");
        Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
        Assert.Contains("The code is not right", await wrong.Content.ReadAsStringAsync());

        var usedStep = Totp.StepAt(DateTime.UtcNow);
        var right = await CodeAsync(client, "/staff/sign-in/set-up-two-factor", Totp.Code(key, usedStep));
        Assert.Equal(HttpStatusCode.Redirect, right.StatusCode);
        Assert.Equal("/staff/consultations/test-consultation/responses", right.Headers.Location!.ToString());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/staff")).StatusCode);
        return (email, key, usedStep);
    }

    [Fact]
    public async Task Required_two_factor_makes_a_new_account_set_up_an_app_before_its_first_session()
    {
        var (email, _, _) = await EnrolAsync();
        var kinds = (await required.Services.GetRequiredService<SecurityEventStore>().ListAsync(null, 200)).Where(e => e.Email == email).Select(e => e.Kind).ToList();
        Assert.Contains(SecurityEventKinds.TwoFactorEnabled, kinds);
        Assert.Contains(SecurityEventKinds.TwoFactorFailed, kinds);
        Assert.Contains(SecurityEventKinds.SignedIn, kinds);
    }

    [Fact]
    public async Task Sign_in_asks_for_the_code_refuses_wrong_and_reused_codes_and_accepts_the_next_one()
    {
        var (email, key, usedStep) = await EnrolAsync();
        var client = required.CreateBrowserClient();
        var password = await PasswordAsync(client, email);
        Assert.StartsWith("/staff/sign-in/two-factor?ReturnUrl=", password.Headers.Location!.ToString());
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/staff")).StatusCode);

        var empty = await CodeAsync(client, "/staff/sign-in/two-factor", "");
        Assert.Contains("Enter the 6-digit code", await empty.Content.ReadAsStringAsync());

        // The code used to turn two-factor on has been used: it does not work twice.
        var reused = await CodeAsync(client, "/staff/sign-in/two-factor", Totp.Code(key, usedStep));
        var reusedHtml = await reused.Content.ReadAsStringAsync();
        Assert.True(reused.StatusCode == HttpStatusCode.OK && reusedHtml.Contains("The code is not right"), "a used code was accepted again");
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/staff")).StatusCode);

        // The phone a step ahead (clock drift, or the next 30 seconds) is accepted.
        var next = await CodeAsync(client, "/staff/sign-in/two-factor", Totp.Code(key, usedStep + 1));
        Assert.Equal(HttpStatusCode.Redirect, next.StatusCode);
        Assert.Equal("/staff/consultations/test-consultation/responses", next.Headers.Location!.ToString());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/staff")).StatusCode);
    }

    [Fact]
    public async Task A_secret_that_cannot_be_decrypted_says_to_ask_an_administrator_and_never_offers_a_new_app()
    {
        var (email, key, _) = await EnrolAsync();
        // As if the Data Protection key that encrypted the secret were lost: the stored value no longer decrypts.
        await using (var c = await required.Services.GetRequiredService<Engagement.Core.Data.Database>().OpenAsync())
            await Dapper.SqlMapper.ExecuteAsync(c, "UPDATE staff_users SET totp_secret = @junk WHERE email = @email",
                new { email, junk = TotpSecretProtector.Prefix + Convert.ToBase64String(new byte[80]) });

        var client = required.CreateBrowserClient();
        var password = await PasswordAsync(client, email);
        Assert.StartsWith("/staff/sign-in/two-factor?ReturnUrl=", password.Headers.Location!.ToString());
        var code = await CodeAsync(client, "/staff/sign-in/two-factor", CodeFor(key, 1));

        var html = await code.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, code.StatusCode);
        Assert.Contains("Ask an administrator to reset your two-factor sign-in", html);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/staff")).StatusCode);
        var setUp = await client.GetAsync("/staff/sign-in/set-up-two-factor");
        Assert.DoesNotContain("otpauth://", await setUp.Content.ReadAsStringAsync());
        var events = await required.Services.GetRequiredService<SecurityEventStore>().ListAsync(null, 200);
        Assert.Contains(events, e => e.Email == email && e.Kind == SecurityEventKinds.TwoFactorFailed && e.Detail == "two-factor secret cannot be read");
    }

    [Fact]
    public async Task Without_a_right_password_the_code_pages_send_you_to_sign_in()
    {
        var client = required.CreateBrowserClient();
        foreach (var page in new[] { "/staff/sign-in/two-factor", "/staff/sign-in/set-up-two-factor" })
        {
            var response = await client.GetAsync(page);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Equal("/staff/sign-in", response.Headers.Location!.ToString());
        }
    }

    [Fact]
    public async Task When_two_factor_is_optional_an_account_that_turned_it_on_still_needs_its_code()
    {
        await using var optional = new EngagementWebFactory();
        await optional.EnsureConsultationAsync();
        var users = optional.Services.GetRequiredService<StaffUserStore>();
        var email = $"optional-{Guid.NewGuid():N}@example.org";
        await users.AddOrUpdateAsync(email, StaffRoles.StrategyAuthor, StaffClient.Password);

        var client = await StaffClient.SignInAsync(optional, email); // password only: two-factor is optional and off
        var setup = await client.GetStringAsync("/staff/sign-in/set-up-two-factor");
        var key = Totp.Base32Decode(SetupKey().Match(setup).Groups[1].Value.Replace(" ", ""));
        Assert.Equal(HttpStatusCode.Redirect, (await CodeAsync(client, "/staff/sign-in/set-up-two-factor", CodeFor(key))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/staff")).StatusCode); // this session carries on

        var again = optional.CreateBrowserClient();
        var password = await PasswordAsync(again, email);
        Assert.StartsWith("/staff/sign-in/two-factor", password.Headers.Location!.ToString());

        // Turning it off (allowed only when optional) puts the password-only sign-in back.
        var onPage = await client.GetAsync("/staff/sign-in/set-up-two-factor");
        var token = await EngagementWebFactory.TokenFromAsync(onPage);
        var off = await client.PostAsync("/staff/sign-in/set-up-two-factor?handler=TurnOff", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));
        Assert.Equal(HttpStatusCode.Redirect, off.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await PasswordAsync(optional.CreateBrowserClient(), email)).StatusCode);
        Assert.False((await users.FindByEmailAsync(email))!.TotpEnabled);
    }

    [GeneratedRegex("id=\"setup-key\">([A-Z2-7 ]+)</code>")]
    private static partial Regex SetupKey();
}
