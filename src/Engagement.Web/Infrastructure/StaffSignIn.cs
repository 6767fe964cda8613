using System.Globalization;
using System.Security.Claims;
using Engagement.Core.Staff;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace Engagement.Web.Infrastructure;

public sealed class StaffSessionOptions
{
    public const string Section = "StaffSession";
    public int IdleTimeoutMinutes { get; set; } = 30;
    public int AbsoluteTimeoutHours { get; set; } = 8;
}

public static class StaffClaims
{
    public const string SecurityStamp = "engagement:stamp";
    public const string IssuedAt = "engagement:issued";

    public static ClaimsPrincipal For(StaffUser user, DateTime now) => new(new ClaimsIdentity(
    [
        new Claim(ClaimTypes.NameIdentifier, user.Id.ToString(CultureInfo.InvariantCulture)),
        new Claim(ClaimTypes.Name, user.Email),
        new Claim(ClaimTypes.Role, user.Role),
        new Claim(SecurityStamp, user.SecurityStamp),
        new Claim(IssuedAt, now.ToString("O", CultureInfo.InvariantCulture)),
    ], CookieAuthenticationDefaults.AuthenticationScheme));
}

public static class StaffSignInExtensions
{
    public static IServiceCollection AddStaffSignIn(this IServiceCollection services, IConfiguration configuration)
    {
        var session = configuration.GetSection(StaffSessionOptions.Section).Get<StaffSessionOptions>() ?? new StaffSessionOptions();
        if (session.IdleTimeoutMinutes <= 0 || session.AbsoluteTimeoutHours <= 0)
            throw new InvalidOperationException("StaffSession:IdleTimeoutMinutes and StaffSession:AbsoluteTimeoutHours must be positive numbers.");

        services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(options =>
            {
                // Cookie name and flags: SecureCookies, applied in AddWebSecurity.
                options.LoginPath = "/staff/sign-in";
                options.LogoutPath = "/staff/sign-out";
                options.AccessDeniedPath = "/staff/access-denied";
                options.ExpireTimeSpan = TimeSpan.FromMinutes(session.IdleTimeoutMinutes);
                options.SlidingExpiration = true;
                options.Events.OnValidatePrincipal = context => ValidateAsync(context, session);
                // A signed-in user without the role gets a plain 403 (the error page explains), not a redirect that hides the status.
                options.Events.OnRedirectToAccessDenied = async context =>
                {
                    context.Response.StatusCode = StatusCodes.Status403Forbidden;
                    await context.HttpContext.RecordSecurityEventAsync(SecurityEventKinds.RoleDenied,
                        detail: $"{context.Request.Method} as {context.HttpContext.User.FindFirstValue(ClaimTypes.Role)}");
                };
            });
        // Between a right password and a right two-factor code: who, for five minutes, and nothing else.
        services.AddAuthentication().AddCookie(TwoFactor.PendingScheme, options =>
        {
            options.LoginPath = "/staff/sign-in";
            options.ExpireTimeSpan = TimeSpan.FromMinutes(5);
            options.SlidingExpiration = false;
        });
        services.AddOptions<TwoFactorOptions>()
            .Bind(configuration.GetSection(TwoFactorOptions.Section))
            .PostConfigure<IHostEnvironment>((o, env) => o.Required ??= !env.IsDevelopment());
        services.AddAuthorizationBuilder()
            .AddPolicy(StaffPolicies.Staff, p => p.RequireRole(StaffRoles.All))
            .AddPolicy(StaffPolicies.Triage, p => p.RequireRole(StaffRoles.Admin, StaffRoles.EngagementTeam))
            .AddPolicy(StaffPolicies.Admin, p => p.RequireRole(StaffRoles.Admin));
        return services;
    }

    // Ends the session at the absolute limit, and as soon as the account is disabled or its password reset.
    private static async Task ValidateAsync(CookieValidatePrincipalContext context, StaffSessionOptions session)
    {
        var principal = context.Principal;
        var issuedText = principal?.FindFirstValue(StaffClaims.IssuedAt);
        var idText = principal?.FindFirstValue(ClaimTypes.NameIdentifier);
        var expired = !DateTime.TryParse(issuedText, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var issued)
            || DateTime.UtcNow - issued > TimeSpan.FromHours(session.AbsoluteTimeoutHours);

        StaffUser? user = null;
        if (!expired && long.TryParse(idText, out var id))
            user = await context.HttpContext.RequestServices.GetRequiredService<StaffUserStore>().GetAsync(id);

        // A changed role also ends the session, so a demotion takes effect at once rather than at the next sign-in.
        if (expired || user is null || user.Disabled || user.SecurityStamp != principal!.FindFirstValue(StaffClaims.SecurityStamp)
            || user.Role != principal!.FindFirstValue(ClaimTypes.Role))
        {
            var reason = expired ? "session too old" : user is null ? "account removed" : user.Disabled ? "account disabled"
                : user.Role != principal!.FindFirstValue(ClaimTypes.Role) ? "role changed" : "password or two-factor changed";
            await context.HttpContext.RecordSecurityEventAsync(SecurityEventKinds.SessionEnded,
                principal?.FindFirstValue(ClaimTypes.Name), user?.Id, reason);
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        }
    }
}

public sealed class TwoFactorOptions
{
    public const string Section = "TwoFactor";

    /// <summary>Every staff account must use an authenticator app code at sign-in. On unless the environment is Development.</summary>
    public bool? Required { get; set; }

    /// <summary>The name authenticator apps show next to the code.</summary>
    public string Issuer { get; set; } = "Kent and Medway Have your say";

    public bool IsRequired => Required ?? true;
}

/// <summary>The half-signed-in state after a right password, while the two-factor code is still to come.</summary>
public static class TwoFactor
{
    public const string PendingScheme = "TwoFactorPending";

    public static ClaimsPrincipal Pending(StaffUser user) => new(new ClaimsIdentity(
    [
        new Claim(ClaimTypes.NameIdentifier, user.Id.ToString(CultureInfo.InvariantCulture)),
        new Claim(StaffClaims.SecurityStamp, user.SecurityStamp),
    ], PendingScheme));

    /// <summary>The account waiting for its code, if the pending cookie is valid and still matches the account.</summary>
    public static async Task<StaffUser?> PendingUserAsync(HttpContext http)
    {
        var result = await http.AuthenticateAsync(PendingScheme);
        if (!result.Succeeded || !long.TryParse(result.Principal.FindFirstValue(ClaimTypes.NameIdentifier), out var id)) return null;
        var user = await http.RequestServices.GetRequiredService<StaffUserStore>().GetAsync(id);
        return user is { Disabled: false } && user.SecurityStamp == result.Principal.FindFirstValue(StaffClaims.SecurityStamp) ? user : null;
    }

    /// <summary>Swaps the pending cookie for the real session.</summary>
    public static async Task CompleteSignInAsync(HttpContext http, StaffUser user, string detail)
    {
        await http.SignOutAsync(PendingScheme);
        await http.RecordSecurityEventAsync(SecurityEventKinds.SignedIn, user.Email, user.Id, detail);
        await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, StaffClaims.For(user, DateTime.UtcNow));
    }
}

public static class StaffPolicies
{
    /// <summary>Any staff role: the default for every page under /staff.</summary>
    public const string Staff = "Staff";
    public const string Triage = "Triage";
    public const string Admin = "Admin";
}
