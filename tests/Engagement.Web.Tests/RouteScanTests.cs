using System.Net;
using Dapper;
using Engagement.Core.Data;
using Engagement.Core.Domain;
using Engagement.Core.Staff;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Engagement.Web.Tests;

/// <summary>
/// Every endpoint the running site has, found at run time (so pages added later are covered without editing this
/// file), checked against who it says may use it.
/// </summary>
public sealed class RouteScanTests : IClassFixture<EngagementWebFactory>
{
    /// <summary>The only /staff routes open to everyone: signing in and out, and the page that says you lack access.</summary>
    private static readonly HashSet<string> OpenStaffRoutes =
        ["staff/sign-in", "staff/sign-out", "staff/access-denied", "staff/sign-in/two-factor", "staff/sign-in/set-up-two-factor"];

    /// <summary>Routes that take a POST without an antiforgery token because they change nothing: the error page and health checks.</summary>
    private static bool PostWithoutTokenIsHarmless(RouteEndpoint e) =>
        Route(e) == "Error" || Route(e).StartsWith("health", StringComparison.OrdinalIgnoreCase);

    private readonly EngagementWebFactory factory;
    private readonly ITestOutputHelper output;

    public RouteScanTests(EngagementWebFactory factory, ITestOutputHelper output)
    {
        this.factory = factory;
        this.output = output;
    }

    private sealed record Sample(string Slug, string OtherSlug, long CommentId, long SubmissionId, string Reference);

    private async Task<Sample> SeedAsync()
    {
        var consultation = await factory.EnsureConsultationAsync();
        var other = await factory.Services.GetRequiredService<ConsultationStore>().EnsureAsync(new Consultation
        {
            Slug = "route-scan-other", Title = "Another consultation", Summary = "Another.", Status = ConsultationStatuses.Open,
            OpensOn = new DateTime(2026, 10, 1, 0, 0, 0, DateTimeKind.Utc), ClosesOn = new DateTime(2027, 1, 31, 0, 0, 0, DateTimeKind.Utc),
        });
        var result = await factory.Services.GetRequiredService<SubmissionStore>().CreateAsync(new NewSubmission
        {
            ConsultationId = consultation.Id, RespondentType = RespondentTypes.Resident, District = "MA",
            Comments = [new NewComment("The walk-in centre in Maidstone closes before I finish work.", 5)],
        });
        await using var c = await factory.Services.GetRequiredService<Database>().OpenAsync();
        var commentId = await c.ExecuteScalarAsync<long>("SELECT MIN(id) FROM comments WHERE submission_id = @id", new { id = result.SubmissionId });
        return new Sample(consultation.Slug, other.Slug, commentId, result.SubmissionId, result.Reference);
    }

    private IReadOnlyList<RouteEndpoint> Endpoints() =>
        factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .GroupBy(e => e.RoutePattern.RawText ?? "").Select(g => g.First()).OrderBy(e => e.RoutePattern.RawText).ToList();

    private static string Route(RouteEndpoint e) => (e.RoutePattern.RawText ?? "").TrimStart('/');

    private static bool IsStaff(RouteEndpoint e) => Route(e).Equals("staff", StringComparison.OrdinalIgnoreCase) || Route(e).StartsWith("staff/", StringComparison.OrdinalIgnoreCase);

    private static string UrlFor(RouteEndpoint e, Sample s, string? slug = null, string? id = null)
    {
        var parts = new List<string>();
        foreach (var segment in e.RoutePattern.PathSegments)
        {
            parts.Add(string.Concat(segment.Parts.Select(part => part switch
            {
                RoutePatternLiteralPart literal => literal.Content,
                RoutePatternSeparatorPart separator => separator.Content,
                RoutePatternParameterPart p => ValueFor(p.Name, s, slug, id),
                _ => "",
            })));
        }
        return "/" + string.Join('/', parts.Where(p => p.Length > 0));
    }

    private static string ValueFor(string parameter, Sample s, string? slug, string? id) => parameter.ToLowerInvariant() switch
    {
        "slug" => slug ?? s.Slug,
        "reference" => s.Reference,
        "submissionid" => id ?? s.SubmissionId.ToString(),
        _ => id ?? s.CommentId.ToString(),
    };

    /// <summary>The staff roles the endpoint's authorisation metadata allows (all of them if it names none).</summary>
    private async Task<IReadOnlySet<string>> AllowedRolesAsync(RouteEndpoint e)
    {
        var provider = factory.Services.GetRequiredService<IAuthorizationPolicyProvider>();
        IEnumerable<string> allowed = StaffRoles.All;
        foreach (var data in e.Metadata.GetOrderedMetadata<IAuthorizeData>())
        {
            if (!string.IsNullOrEmpty(data.Roles)) allowed = allowed.Intersect(data.Roles.Split(',', StringSplitOptions.TrimEntries));
            if (!string.IsNullOrEmpty(data.Policy) && await provider.GetPolicyAsync(data.Policy) is { } policy)
                foreach (var roles in policy.Requirements.OfType<Microsoft.AspNetCore.Authorization.Infrastructure.RolesAuthorizationRequirement>())
                    allowed = allowed.Intersect(roles.AllowedRoles);
        }
        return allowed.ToHashSet();
    }

    [Fact]
    public async Task The_scan_finds_the_pages_it_is_meant_to_cover()
    {
        var routes = Endpoints().Select(Route).ToList();
        foreach (var expected in new[] { "staff", "staff/sign-in", "staff/comments/{id:long}", "consultations/{slug}/respond" })
            Assert.Contains(expected, routes);
        Assert.True(Endpoints().Count(IsStaff) >= 10, "Found only " + string.Join(", ", routes));
    }

    [Fact]
    public async Task Every_staff_route_sends_signed_out_visitors_to_sign_in_for_get_and_post()
    {
        var sample = await SeedAsync();
        var anonymous = factory.CreateBrowserClient();
        foreach (var endpoint in Endpoints().Where(e => IsStaff(e) && !OpenStaffRoutes.Contains(Route(e))))
        {
            Assert.Empty(endpoint.Metadata.GetOrderedMetadata<IAllowAnonymous>());
            var url = UrlFor(endpoint, sample);
            foreach (var method in new[] { HttpMethod.Get, HttpMethod.Post })
            {
                using var request = new HttpRequestMessage(method, url);
                if (method == HttpMethod.Post) request.Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["x"] = "1" });
                var response = await anonymous.SendAsync(request);
                Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"{method} {url} gave {(int)response.StatusCode} to a signed-out visitor");
                Assert.StartsWith("https://localhost/staff/sign-in?ReturnUrl=", response.Headers.Location!.ToString());
            }
        }
    }

    [Fact]
    public async Task Every_staff_route_refuses_the_wrong_role_with_403_and_serves_the_right_ones()
    {
        var sample = await SeedAsync();
        var clients = new Dictionary<string, HttpClient>();
        foreach (var role in StaffRoles.All) clients[role] = await StaffClient.ForRoleAsync(factory, role);

        var matrix = new List<string>();
        foreach (var endpoint in Endpoints().Where(e => IsStaff(e) && !OpenStaffRoutes.Contains(Route(e))))
        {
            var allowed = await AllowedRolesAsync(endpoint);
            var url = UrlFor(endpoint, sample);
            matrix.Add($"{Route(endpoint)}: {string.Join(", ", allowed.Order())}");
            foreach (var role in StaffRoles.All)
            {
                var get = await clients[role].GetAsync(url);
                if (allowed.Contains(role))
                {
                    Assert.True((int)get.StatusCode < 500, $"GET {url} as {role} gave {(int)get.StatusCode}");
                    Assert.True(get.StatusCode != HttpStatusCode.Forbidden, $"GET {url} as {role} gave 403, but the page's [Authorize] metadata allows {role}: declare the real rule with [Authorize(Policy = ...)]");
                    Assert.False(get.Headers.Location?.ToString().Contains("/staff/sign-in") ?? false, $"GET {url} as {role} was sent to sign in");
                }
                else
                {
                    Assert.True(get.StatusCode == HttpStatusCode.Forbidden, $"GET {url} as {role} gave {(int)get.StatusCode}, not 403");
                    var post = await clients[role].PostAsync(url, new FormUrlEncodedContent(new Dictionary<string, string> { ["x"] = "1" }));
                    Assert.True(post.StatusCode == HttpStatusCode.Forbidden, $"POST {url} as {role} gave {(int)post.StatusCode}, not 403");
                }
            }
        }
        output.WriteLine(string.Join('\n', matrix));
    }

    [Fact]
    public async Task Every_post_without_an_antiforgery_token_is_refused()
    {
        var sample = await SeedAsync();
        var admin = await StaffClient.ForRoleAsync(factory, StaffRoles.Admin);
        var anonymous = factory.CreateBrowserClient();
        foreach (var endpoint in Endpoints().Where(e => !PostWithoutTokenIsHarmless(e) && AcceptsPost(e)))
        {
            var client = IsStaff(endpoint) ? admin : anonymous;
            var url = UrlFor(endpoint, sample);
            var response = await client.PostAsync(url, new FormUrlEncodedContent(new Dictionary<string, string> { ["x"] = "1" }));
            Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Forbidden or HttpStatusCode.NotFound,
                $"POST {url} without a token gave {(int)response.StatusCode}");
        }
    }

    [Fact]
    public async Task Every_post_with_an_oversized_or_malformed_body_gets_a_4xx_page_never_a_500()
    {
        var sample = await SeedAsync();
        var admin = await StaffClient.ForRoleAsync(factory, StaffRoles.Admin);
        // A real token for this signed-in user (the sign-out form on every staff page carries one): the bodies get
        // past antiforgery's cookie check and reach the limits themselves.
        var token = await EngagementWebFactory.TokenFromAsync(await admin.GetAsync("/staff"));
        var bodies = new (string Name, Func<Dictionary<string, string>> Build, HttpStatusCode Expected)[]
        {
            ("2 MB field", () => new() { ["__RequestVerificationToken"] = token, ["x"] = new string('a', 2 * 1024 * 1024) }, HttpStatusCode.RequestEntityTooLarge),
            ("1,025 fields", () => Enumerable.Range(0, 1025).ToDictionary(i => $"f{i}", _ => "x").Append(new("__RequestVerificationToken", token)).ToDictionary(), HttpStatusCode.BadRequest),
            ("3 KB field name", () => new() { ["__RequestVerificationToken"] = token, [new string('k', 3072)] = "x" }, HttpStatusCode.BadRequest),
            ("NUL", () => new() { ["__RequestVerificationToken"] = token, ["Q"] = "a\0b" }, HttpStatusCode.BadRequest),
        };
        foreach (var endpoint in Endpoints().Where(e => IsStaff(e) && AcceptsPost(e) && !PostWithoutTokenIsHarmless(e)))
        {
            var url = UrlFor(endpoint, sample);
            foreach (var (name, build, expected) in bodies)
            {
                var response = await admin.PostAsync(url, new FormUrlEncodedContent(build()));
                Assert.True(response.StatusCode == expected, $"POST {url} with {name} gave {(int)response.StatusCode}, not {(int)expected}");
                Assert.Contains("govuk-heading-l", await response.Content.ReadAsStringAsync());
            }
        }
    }

    private static bool AcceptsPost(RouteEndpoint e) =>
        e.Metadata.GetMetadata<IHttpMethodMetadata>() is not { } methods || methods.HttpMethods.Count == 0 || methods.HttpMethods.Contains("POST");

    [Fact]
    public async Task Staff_routes_with_an_unknown_slug_or_id_give_404_never_another_records_data()
    {
        var sample = await SeedAsync();
        var admin = await StaffClient.ForRoleAsync(factory, StaffRoles.Admin);
        foreach (var endpoint in Endpoints().Where(e => IsStaff(e) && e.RoutePattern.Parameters.Count > 0))
        {
            var url = UrlFor(endpoint, sample, slug: "no-such-consultation", id: "987654321");
            var response = await admin.GetAsync(url);
            Assert.True(response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Forbidden, $"GET {url} gave {(int)response.StatusCode}");
        }
    }

    [Fact]
    public async Task A_reference_under_another_consultations_address_is_not_found()
    {
        var sample = await SeedAsync();
        var client = factory.CreateBrowserClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/consultations/{sample.Slug}/confirmation/{sample.Reference}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/consultations/{sample.OtherSlug}/confirmation/{sample.Reference}")).StatusCode);
    }

    [Fact]
    public async Task A_demoted_user_loses_access_on_their_next_request()
    {
        var email = $"demoted-{Guid.NewGuid():N}@example.org";
        var users = factory.Services.GetRequiredService<StaffUserStore>();
        await users.AddOrUpdateAsync(email, StaffRoles.Admin, StaffClient.Password);
        var client = await StaffClient.SignInAsync(factory, email);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/staff/themes")).StatusCode);

        await using (var c = await factory.Services.GetRequiredService<Database>().OpenAsync())
            await c.ExecuteAsync("UPDATE staff_users SET role = @role WHERE email = @email", new { role = StaffRoles.StrategyAuthor, email });

        var after = await client.GetAsync("/staff/themes");
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.StartsWith("https://localhost/staff/sign-in", after.Headers.Location!.ToString());
    }
}
