using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace Engagement.Web.Infrastructure;

public sealed class RateLimitOptions
{
    public const string Section = "RateLimits";

    /// <summary>Public form POSTs allowed per client address per window.</summary>
    public int PublicPostsPerWindow { get; set; } = 20;
    public int SignInAttemptsPerWindow { get; set; } = 10;
    public int WindowSeconds { get; set; } = 60;
}

public static class RateLimitPolicies
{
    public const string PublicPost = "public-post";
    public const string SignIn = "sign-in";
}

public static class PublicFormProtectionExtensions
{
    public static IServiceCollection AddPublicFormProtection(this IServiceCollection services, IConfiguration configuration)
    {
        var limits = configuration.GetSection(RateLimitOptions.Section).Get<RateLimitOptions>() ?? new RateLimitOptions();
        if (limits.PublicPostsPerWindow <= 0 || limits.SignInAttemptsPerWindow <= 0 || limits.WindowSeconds <= 0)
            throw new InvalidOperationException("RateLimits values must be positive numbers.");

        services.AddAntiforgery(o =>
        {
            // Cookie name and flags: SecureCookies, applied in AddWebSecurity.
            // The security headers middleware sends X-Frame-Options: DENY (and frame-ancestors 'none') on every response.
            o.SuppressXFrameOptionsHeader = true;
        });

        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = async (context, _) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(limits.WindowSeconds);
                context.HttpContext.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                var signIn = context.HttpContext.Request.Path.StartsWithSegments("/staff");
                // Guessing passwords is worth knowing about; a resident sending the form too fast is not a security event.
                if (signIn) await context.HttpContext.RecordSecurityEventAsync(Engagement.Core.Staff.SecurityEventKinds.RateLimited, detail: "sign-in attempts");
                // No body here: the status code page shows the GOV.UK-style explanation (Error.cshtml, 429).
            };
            o.AddPolicy(RateLimitPolicies.PublicPost, context => PostsOnly(context, "post", limits.PublicPostsPerWindow, limits.WindowSeconds));
            o.AddPolicy(RateLimitPolicies.SignIn, context => PostsOnly(context, "sign-in", limits.SignInAttemptsPerWindow, limits.WindowSeconds));
        });
        return services;
    }

    // GETs are never limited: reading the form costs nothing, and a resident must always be able to see their answers.
    private static RateLimitPartition<string> PostsOnly(HttpContext context, string name, int permits, int windowSeconds)
    {
        if (!HttpMethods.IsPost(context.Request.Method)) return RateLimitPartition.GetNoLimiter(name + ":get");
        var client = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        return RateLimitPartition.GetFixedWindowLimiter(name + ":" + client, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = permits,
            Window = TimeSpan.FromSeconds(windowSeconds),
            QueueLimit = 0,
        });
    }
}
