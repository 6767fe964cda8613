using System.Diagnostics;
using System.Globalization;
using System.Threading.RateLimiting;
using Engagement.Core.Data;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Engagement.Web.Infrastructure;

public sealed class RateLimitOptions
{
    public const string Section = "RateLimits";

    /// <summary>Public form POSTs allowed per client address per window.</summary>
    public int PublicPostsPerWindow { get; set; } = 20;
    public int SignInAttemptsPerWindow { get; set; } = 10;
    public int WindowSeconds { get; set; } = 60;

    /// <summary>
    /// Where the counts live. Database (default): in the site's database, so several instances behind a load balancer
    /// enforce one limit per client. Memory: in each process, for a single instance that wants no database write per POST.
    /// </summary>
    public string Store { get; set; } = nameof(RateLimitStoreKind.Database);

    public RateLimitStoreKind ParsedStore =>
        Enum.TryParse<RateLimitStoreKind>(Store, ignoreCase: true, out var kind) && Enum.IsDefined(kind)
            ? kind
            : throw new InvalidOperationException($"RateLimits:Store is '{Store}'. Use 'Database' (the default, shared by every instance) or 'Memory' (one instance only).");
}

public enum RateLimitStoreKind { Database, Memory }

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
        var store = limits.ParsedStore;
        services.AddSingleton(sp => new DatabaseRateLimits(
            sp.GetRequiredService<RateLimitStore>(), TimeSpan.FromSeconds(limits.WindowSeconds),
            sp.GetService<TimeProvider>() ?? TimeProvider.System, sp.GetRequiredService<ILogger<DatabaseRateLimits>>()));

        services.AddSingleton<RecentConsultations>();
        services.AddSingleton<BlankFormTemplates>();
        services.TryAddSingleton(TimeProvider.System);
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
            o.AddPolicy(RateLimitPolicies.PublicPost, context => PostsOnly(context, store, "post", limits.PublicPostsPerWindow, limits.WindowSeconds));
            o.AddPolicy(RateLimitPolicies.SignIn, context => PostsOnly(context, store, "sign-in", limits.SignInAttemptsPerWindow, limits.WindowSeconds));
        });
        return services;
    }

    // GETs are never limited: reading the form costs nothing, and a resident must always be able to see their answers.
    // The client is RemoteIpAddress, which UseForwardedHeaders (UseWebSecurity, first in the pipeline) has already set to
    // the real client when the request came through a proxy listed in Https:TrustedProxies.
    private static RateLimitPartition<string> PostsOnly(HttpContext context, RateLimitStoreKind store, string name, int permits, int windowSeconds)
    {
        if (!HttpMethods.IsPost(context.Request.Method)) return RateLimitPartition.GetNoLimiter(name + ":get");
        var key = name + ":" + (context.Connection.RemoteIpAddress?.ToString() ?? "unknown");
        if (store == RateLimitStoreKind.Database)
        {
            var shared = context.RequestServices.GetRequiredService<DatabaseRateLimits>();
            return RateLimitPartition.Get(key, k => shared.Limiter(k, permits));
        }
        return RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = permits,
            Window = TimeSpan.FromSeconds(windowSeconds),
            QueueLimit = 0,
        });
    }
}

/// <summary>
/// Fixed windows counted in the database (rate_limit_windows). As with the in-memory limiter, a client's window starts at
/// its first request; the start is stored with the count, so every instance agrees on it. One upsert per limited
/// request; rows of ended windows are deleted every few minutes.
/// </summary>
public sealed class DatabaseRateLimits(RateLimitStore store, TimeSpan window, TimeProvider clock, ILogger<DatabaseRateLimits> log)
{
    private static readonly TimeSpan CleanupEvery = TimeSpan.FromMinutes(5);
    private long lastCleanupTicks;

    public TimeSpan Window => window;

    public RateLimiter Limiter(string key, int permits) => new WindowLimiter(this, key, permits);

    /// <summary>Counts one request; the time to wait when it is over the limit, or null when it may go ahead.</summary>
    public async Task<TimeSpan?> HitAsync(string key, int permits, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var seconds = (int)window.TotalSeconds;
        RateLimitWindow counted;
        try
        {
            counted = await store.HitAsync(key, now.ToUnixTimeSeconds(), seconds, ct);
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or InvalidOperationException or TimeoutException)
        {
            // Let the request through uncounted: a busy or full database is the form's to answer (the 503 page that
            // keeps the resident's answers), not a reason to refuse or to fail here.
            log.LogWarning(ex, "Rate limit for {Key} not counted: the database did not answer.", key);
            return null;
        }
        CleanUpNowAndThen(now, now.ToUnixTimeSeconds() - seconds);
        if (counted.Count <= permits) return null;
        var retry = DateTimeOffset.FromUnixTimeSeconds(counted.WindowStart + seconds) - now;
        return retry > TimeSpan.FromSeconds(1) ? retry : TimeSpan.FromSeconds(1);
    }

    private void CleanUpNowAndThen(DateTimeOffset now, long endedBefore)
    {
        var last = Interlocked.Read(ref lastCleanupTicks);
        if (now.UtcTicks - last < CleanupEvery.Ticks) return;
        if (Interlocked.CompareExchange(ref lastCleanupTicks, now.UtcTicks, last) != last) return;
        _ = Task.Run(async () =>
        {
            try { await store.DeleteStartedBeforeAsync(endedBefore); }
            catch (Exception ex) when (ex is System.Data.Common.DbException or InvalidOperationException or TimeoutException)
            {
                log.LogDebug(ex, "Could not delete old rate limit windows; trying again later.");
            }
        });
    }

    /// <summary>One partition (policy and client). Holds no counts itself, so any instance's limiter can serve any request.</summary>
    private sealed class WindowLimiter(DatabaseRateLimits limits, string key, int permits) : RateLimiter
    {
        private long lastUsed = Stopwatch.GetTimestamp();

        public override TimeSpan? IdleDuration => Stopwatch.GetElapsedTime(Interlocked.Read(ref lastUsed));

        public override RateLimiterStatistics? GetStatistics() => null;

        // The middleware tries this synchronous path first and, when it is refused, awaits AcquireAsync: counting
        // happens there only, so each request costs one statement.
        protected override RateLimitLease AttemptAcquireCore(int permitCount) => permitCount == 0 ? Lease.Granted : Lease.Undecided;

        protected override async ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
        {
            Interlocked.Exchange(ref lastUsed, Stopwatch.GetTimestamp());
            if (permitCount == 0) return Lease.Granted;
            var wait = await limits.HitAsync(key, permits, cancellationToken);
            return wait is null ? Lease.Granted : new Lease(false, wait);
        }
    }

    private sealed class Lease(bool acquired, TimeSpan? retryAfter) : RateLimitLease
    {
        public static readonly Lease Granted = new(true, null);
        public static readonly Lease Undecided = new(false, null);

        public override bool IsAcquired => acquired;

        public override IEnumerable<string> MetadataNames => retryAfter is null ? [] : [MetadataName.RetryAfter.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = retryAfter;
            return retryAfter is not null && metadataName == MetadataName.RetryAfter.Name;
        }
    }
}
