using System.Net;
using Engagement.Core.Staff;
using Microsoft.Extensions.DependencyInjection;

namespace Engagement.Web.Tests;

/// <summary>Signs a staff member in through the real sign-in form and hands back their browser-like client.</summary>
public static class StaffClient
{
    public const string Password = "a long test password";

    public static Task<HttpClient> SignInAsync(EngagementWebFactory factory, string email, string password = Password) =>
        SignInAsync(factory.CreateBrowserClient(), email, password);

    /// <summary>Signs in with a client the caller made (e.g. one whose cookie jar outlives the site, for a restart).</summary>
    public static async Task<HttpClient> SignInAsync(HttpClient client, string email, string password = Password)
    {
        var token = await EngagementWebFactory.TokenFromAsync(await client.GetAsync("/staff/sign-in"));
        var response = await client.PostAsync("/staff/sign-in", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["Input.Email"] = email, ["Input.Password"] = password,
        }));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return client;
    }

    /// <summary>A fresh account in the role (unique email per call), signed in.</summary>
    public static Task<HttpClient> ForRoleAsync(EngagementWebFactory factory, string role) =>
        ForUserAsync(factory, $"{role.ToLowerInvariant()}-{Guid.NewGuid():N}@example.org", role);

    /// <summary>Creates (or resets) the account with the test password and role, then signs it in.</summary>
    public static async Task<HttpClient> ForUserAsync(EngagementWebFactory factory, string email, string role)
    {
        await factory.Services.GetRequiredService<StaffUserStore>().AddOrUpdateAsync(email, role, Password);
        return await SignInAsync(factory, email);
    }
}
