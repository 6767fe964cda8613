using System.Security.Claims;
using Engagement.Core.Staff;
using Microsoft.Net.Http.Headers;

namespace Engagement.Web.Infrastructure;

/// <summary>Writes security events with who, from where and on which page, filled in from the request.</summary>
public static class SecurityLog
{
    public static Task RecordSecurityEventAsync(this HttpContext http, string kind, string? email = null, long? staffUserId = null, string? detail = null)
    {
        var signedIn = http.User.Identity?.IsAuthenticated == true;
        if (staffUserId is null && signedIn && long.TryParse(http.User.FindFirstValue(ClaimTypes.NameIdentifier), out var id)) staffUserId = id;
        return http.RequestServices.GetRequiredService<SecurityEventStore>().AddAsync(new SecurityEvent
        {
            Kind = kind,
            Email = email ?? (signedIn ? http.User.Identity!.Name : null),
            StaffUserId = staffUserId,
            ClientAddress = http.Connection.RemoteIpAddress?.ToString(),
            Path = http.Request.Path.Value,
            Detail = detail,
        }, CancellationToken.None); // recorded even if the visitor has gone
    }

    /// <summary>
    /// Every file a signed-in user downloads is an export, whichever page sends it (reports today, others later):
    /// recorded once the response is sent as an attachment.
    /// </summary>
    public static IApplicationBuilder UseExportAudit(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        await next(context);
        if (context.User.Identity?.IsAuthenticated == true
            && context.Response.StatusCode == StatusCodes.Status200OK
            && context.Response.Headers.ContentDisposition.ToString() is { Length: > 0 } disposition
            && ContentDispositionHeaderValue.TryParse(disposition, out var parsed)
            && parsed.DispositionType.Equals("attachment", StringComparison.OrdinalIgnoreCase))
        {
            var file = parsed.FileNameStar.HasValue ? parsed.FileNameStar.Value : parsed.FileName.Value;
            await context.RecordSecurityEventAsync(SecurityEventKinds.Export, detail: $"{file} ({context.Response.ContentType}){context.Request.QueryString}");
        }
    });
}
