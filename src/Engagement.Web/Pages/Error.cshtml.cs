using Engagement.Core.Data;
using Engagement.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Engagement.Web.Pages;

[IgnoreAntiforgeryToken]
public sealed class ErrorModel : PageModel
{
    public int Code { get; private set; } = 500;

    /// <summary>What exactly was wrong with the request, when the site knows (e.g. the body was too big).</summary>
    public string? Detail { get; private set; }

    // The code comes from the query only: a re-executed POST may carry the very form that could not be read.
    public void OnGet([FromQuery] int? code) => Set(code);
    public void OnPost([FromQuery] int? code) => Set(code);

    private void Set(int? code)
    {
        Code = code ?? (Response.StatusCode >= 400 ? Response.StatusCode : 500);
        Detail = HttpContext.Items[RequestLimits.ErrorDetailKey] as string ?? ErrorPages.FaultOf(HttpContext) switch
        {
            DatabaseFault.Busy => "The service was busy with other work for longer than we wait.",
            DatabaseFault.Full => "The service has run out of storage space. Tell the service team if this keeps happening.",
            _ => null,
        };
        if (Code == StatusCodes.Status503ServiceUnavailable) ErrorPages.SetServiceUnavailable(Response);
    }
}
