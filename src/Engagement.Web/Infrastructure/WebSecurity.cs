using System.Net;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Engagement.Web.Infrastructure;

public sealed class HttpsOptions
{
    public const string Section = "Https";

    /// <summary>
    /// HTTPS only: __Host- Secure cookies, and plain-http requests redirected (GET) or refused. On unless the
    /// environment is Development, where the site runs on http://localhost.
    /// </summary>
    public bool? Require { get; set; }

    /// <summary>
    /// Addresses of reverse proxies or load balancers whose X-Forwarded-For/-Proto headers are believed, so the site
    /// knows the request was HTTPS and rate-limits the real client rather than the proxy. Loopback is always trusted.
    /// </summary>
    public List<string> TrustedProxies { get; set; } = [];

    public bool Required => Require ?? true;
}

/// <summary>
/// A fresh random value per request. The only inline script and style blocks the site has carry it, so the
/// Content-Security-Policy can refuse every other inline script or style (anything an attacker managed to inject).
/// </summary>
public sealed class CspNonce
{
    // Hex so it needs no HTML or header escaping.
    public string Value { get; } = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
}

public static class WebSecurity
{
    /// <summary>The policy for every response. 'self' only: the site loads nothing from other origins.</summary>
    public static string ContentSecurityPolicy(string nonce) =>
        "default-src 'self'; " +
        $"script-src 'self' 'nonce-{nonce}'; " +
        $"style-src 'self' 'nonce-{nonce}'; " +
        "img-src 'self' data:; font-src 'self'; connect-src 'self'; " +
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

    public static IServiceCollection AddWebSecurity(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<HttpsOptions>()
            .Bind(configuration.GetSection(HttpsOptions.Section))
            .PostConfigure<IHostEnvironment>((o, env) => o.Require ??= !env.IsDevelopment());
        services.AddScoped<CspNonce>();
        services.AddHsts(o =>
        {
            o.MaxAge = TimeSpan.FromDays(365);
            o.IncludeSubDomains = true;
        });

        var proxies = configuration.GetSection(HttpsOptions.Section).Get<HttpsOptions>()?.TrustedProxies ?? [];
        services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            foreach (var proxy in proxies)
            {
                if (!IPAddress.TryParse(proxy, out var address))
                    throw new InvalidOperationException($"Https:TrustedProxies contains '{proxy}', which is not an IP address.");
                o.KnownProxies.Add(address);
            }
        });

        // Every cookie the site sets gets the same hardening, named once here.
        services.AddOptions<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme)
            .Configure<IOptions<HttpsOptions>>((o, https) => SecureCookies.Apply(o.Cookie, SecureCookies.StaffSession, https.Value));
        services.AddOptions<CookieAuthenticationOptions>(TwoFactor.PendingScheme)
            .Configure<IOptions<HttpsOptions>>((o, https) => SecureCookies.Apply(o.Cookie, SecureCookies.TwoFactorPending, https.Value));
        services.AddOptions<AntiforgeryOptions>()
            .Configure<IOptions<HttpsOptions>>((o, https) => SecureCookies.Apply(o.Cookie, SecureCookies.Antiforgery, https.Value));
        services.AddOptions<CookieTempDataProviderOptions>()
            .Configure<IOptions<HttpsOptions>>((o, https) => SecureCookies.Apply(o.Cookie, SecureCookies.TempData, https.Value));
        return services;
    }

    /// <summary>Forwarded headers, HTTPS only, then the security headers on every response (errors and static files too).</summary>
    public static WebApplication UseWebSecurity(this WebApplication app)
    {
        app.UseForwardedHeaders();
        var https = app.Services.GetRequiredService<IOptions<HttpsOptions>>().Value;
        app.Use(async (context, next) =>
        {
            if (https.Required && !context.Request.IsHttps && !context.Request.Path.StartsWithSegments("/health"))
            {
                await RefusePlainHttpAsync(context);
                return;
            }
            context.Response.OnStarting(() =>
            {
                AddHeaders(context);
                return Task.CompletedTask;
            });
            await next(context);
        });
        if (!app.Environment.IsDevelopment()) app.UseHsts();
        return app;
    }

    // A GET is sent to the same address over HTTPS; anything else is refused, so answers never travel in clear text.
    private static async Task RefusePlainHttpAsync(HttpContext context)
    {
        var request = context.Request;
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
        {
            context.Response.StatusCode = StatusCodes.Status308PermanentRedirect;
            context.Response.Headers.Location = $"https://{request.Host.Host}{request.PathBase}{request.Path}{request.QueryString}";
            return;
        }
        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        context.Response.ContentType = "text/plain; charset=utf-8";
        await context.Response.WriteAsync("This service only accepts secure (https) connections. Go to the https address and try again.");
    }

    private static void AddHeaders(HttpContext context)
    {
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy(context.RequestServices.GetRequiredService<CspNonce>().Value);
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "same-origin";
        headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=(), usb=()";
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
        headers["Cross-Origin-Resource-Policy"] = "same-origin";
        // Staff pages show residents' words and health details: never keep them in a shared or browser cache.
        if (context.Request.Path.StartsWithSegments("/staff") || context.User.Identity?.IsAuthenticated == true)
        {
            headers.CacheControl = "no-store";
            headers.Pragma = "no-cache";
        }
    }
}

/// <summary>
/// Every cookie the site sets. Over HTTPS: __Host- prefixed, so browsers insist on Secure, no Domain and Path=/ (a
/// sibling subdomain cannot plant or overwrite them). Always HttpOnly so script cannot read them, and SameSite=Strict.
/// </summary>
public static class SecureCookies
{
    public const string StaffSession = "engagement-staff";
    public const string Antiforgery = "engagement-antiforgery";
    public const string TempData = "engagement-tempdata";
    public const string TwoFactorPending = "engagement-2fa";
    public const string HostPrefix = "__Host-";

    public static void Apply(CookieBuilder cookie, string name, HttpsOptions https)
    {
        // A __Host- cookie without Secure is thrown away by the browser, so the prefix goes only with HTTPS.
        cookie.Name = https.Required ? HostPrefix + name : name;
        cookie.SecurePolicy = https.Required ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
        cookie.HttpOnly = true;
        cookie.SameSite = SameSiteMode.Strict;
        cookie.Path = "/";
        cookie.Domain = null;
    }
}
