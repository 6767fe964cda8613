using Engagement.Core.Data;
using Microsoft.AspNetCore.Diagnostics;

namespace Engagement.Web.Infrastructure;

public static class ErrorPages
{
    /// <summary>What a 503 asks a browser or client to wait: long enough for an import batch or a lock to pass.</summary>
    public const int RetryAfterSeconds = 60;

    /// <summary>
    /// GOV.UK-style pages for every error status. Outside Development an unhandled exception gets the error page too:
    /// a busy or full database (DatabaseFaults) is a 503 with Retry-After, anything else a 500. The app keeps running either way.
    /// </summary>
    public static WebApplication UseErrorPages(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler(new ExceptionHandlerOptions
            {
                ExceptionHandlingPath = "/Error",
                StatusCodeSelector = ex => DatabaseFaults.Classify(ex) == DatabaseFault.None
                    ? StatusCodes.Status500InternalServerError
                    : StatusCodes.Status503ServiceUnavailable,
            });
        }
        app.UseStatusCodePagesWithReExecute("/Error", "?code={0}");
        return app;
    }

    /// <summary>Marks the response 503 with Retry-After; the caller writes the page.</summary>
    public static void SetServiceUnavailable(HttpResponse response)
    {
        response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The database fault behind the exception being handled, if that is what it was.</summary>
    public static DatabaseFault FaultOf(HttpContext context) =>
        DatabaseFaults.Classify(context.Features.Get<IExceptionHandlerFeature>()?.Error);
}
