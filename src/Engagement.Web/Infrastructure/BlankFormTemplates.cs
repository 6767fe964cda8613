using System.Buffers;
using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Engagement.Web.Infrastructure;

/// <summary>
/// The public form's blank first page, rendered once per consultation and then served from memory. Every visitor gets
/// the same 27 KB of HTML except three values that must be fresh per request: the CSP nonce, the antiforgery request
/// token (with its cookie) and the idempotency key. Rendered through Razor the whole request cost 430 µs of CPU; served
/// from the template it costs 141 µs, most of that the middleware and the antiforgery tokens (bench/README.md, "Load
/// results"), which is what lets one small server take a rush of residents opening the form.
/// </summary>
/// <remarks>
/// The template is cut from a real rendering: the page is rendered normally for one visitor, and the three values that
/// visitor got (random, 128 bits or more, so they cannot occur by chance elsewhere in the page) are located in the output
/// and become the slots. If any of them is not found exactly once, the page is not cached and every visitor gets a
/// normal rendering, so a template change can make the form slower but never wrong. Only anonymous visitors are served
/// from the template: a signed-in member of staff sees their name and a sign-out form in the header.
/// </remarks>
public sealed class BlankFormTemplates(IAntiforgery antiforgery, ILogger<BlankFormTemplates> log)
{
    private readonly ConcurrentDictionary<string, Entry> entries = new(StringComparer.Ordinal);

    private sealed record Entry(object Version, FormTemplate? Template);

    private const string CutRequestKey = "BlankFormTemplates.Cut";

    /// <summary>
    /// The result for a blank form. <paramref name="version"/> is whatever the page's content depends on (the consultation
    /// record): a different value renders the page again and cuts a new template from it. The page class needs
    /// <see cref="CutBlankFormAttribute"/> so the rendering can be captured.
    /// </summary>
    public IActionResult Serve(PageModel page, string key, object version, string idempotencyKey)
    {
        // HEAD gets the rendered page's headers; writing a template's body for it would be wasted work.
        if (page.User.Identity?.IsAuthenticated == true || HttpMethods.IsHead(page.Request.Method)) return page.Page();
        if (entries.TryGetValue(key, out var entry) && Equals(entry.Version, version))
            return entry.Template is null ? page.Page() : new TemplateResult(entry.Template, this, idempotencyKey);
        page.HttpContext.Items[CutRequestKey] = new CutRequest(key, version, idempotencyKey);
        return page.Page();
    }

    public bool HasTemplate(string key) => entries.TryGetValue(key, out var entry) && entry.Template is not null;

    private sealed record CutRequest(string Key, object Version, string IdempotencyKey);

    private async Task WriteAsync(HttpContext context, FormTemplate template, string idempotencyKey)
    {
        var values = new FormValues(
            context.RequestServices.GetRequiredService<CspNonce>().Value,
            RequestToken(context),
            idempotencyKey);
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/html; charset=utf-8";
        response.ContentLength = template.LengthWith(values);
        template.WriteTo(response.BodyWriter, values);
        await response.BodyWriter.FlushAsync(context.RequestAborted);
    }

    internal async Task RenderAndCutAsync(HttpContext http, Func<Task> render)
    {
        if (http.Items[CutRequestKey] is not CutRequest request)
        {
            await render();
            return;
        }
        var body = http.Response.Body;
        using var rendered = new MemoryStream();
        http.Response.Body = rendered;
        try
        {
            await render();
        }
        finally
        {
            http.Response.Body = body;
        }

        var bytes = rendered.ToArray();
        // Anything but a normal page (an error page, say) is no model for the next visitor; the next one tries again.
        if (http.Response.StatusCode == StatusCodes.Status200OK)
        {
            var values = new FormValues(http.RequestServices.GetRequiredService<CspNonce>().Value, RequestToken(http), request.IdempotencyKey);
            var template = FormTemplate.Cut(bytes, values);
            if (template is null)
                log.LogWarning("The blank form for {Key} could not be made into a template (a per-request value was not found exactly once in the page); it is rendered for every visitor.", request.Key);
            entries[request.Key] = new Entry(request.Version, template);
        }

        http.Response.ContentLength = bytes.Length;
        await http.Response.Body.WriteAsync(bytes, http.RequestAborted);
    }

    // The same token the page's form carries: antiforgery makes one token set per request (and sets its cookie once).
    private string RequestToken(HttpContext context) =>
        antiforgery.GetAndStoreTokens(context).RequestToken ?? throw new InvalidOperationException("Antiforgery issued no request token.");

    private sealed class TemplateResult(FormTemplate template, BlankFormTemplates owner, string idempotencyKey) : IActionResult
    {
        public Task ExecuteResultAsync(ActionContext context) => owner.WriteAsync(context.HttpContext, template, idempotencyKey);
    }
}

/// <summary>Captures the page's rendering when <see cref="BlankFormTemplates.Serve"/> asked for a new template.</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class CutBlankFormAttribute : Attribute, IAsyncResultFilter
{
    public Task OnResultExecutionAsync(ResultExecutingContext context, ResultExecutionDelegate next) =>
        context.HttpContext.RequestServices.GetRequiredService<BlankFormTemplates>()
            .RenderAndCutAsync(context.HttpContext, async () => await next());
}

public readonly record struct FormValues(string Nonce, string RequestToken, string IdempotencyKey);

/// <summary>A rendered page split at its per-request values: literal UTF-8 segments with a slot between each pair.</summary>
public sealed class FormTemplate
{
    private enum Slot { Nonce, RequestToken, IdempotencyKey }

    private readonly byte[][] segments;
    private readonly Slot[] slots;
    private readonly int literalLength;

    private FormTemplate(byte[][] segments, Slot[] slots)
    {
        this.segments = segments;
        this.slots = slots;
        literalLength = segments.Sum(s => s.Length);
    }

    /// <summary>Null unless each value occurs exactly once in the page and is plain ASCII (so it needs no encoding).</summary>
    public static FormTemplate? Cut(byte[] page, FormValues values)
    {
        var found = new List<(int At, int Length, Slot Slot)>();
        foreach (var (value, slot) in new[] { (values.Nonce, Slot.Nonce), (values.RequestToken, Slot.RequestToken), (values.IdempotencyKey, Slot.IdempotencyKey) })
        {
            if (value.Length < 16 || !Ascii.IsValid(value)) return null;
            var needle = Encoding.ASCII.GetBytes(value);
            var at = page.AsSpan().IndexOf(needle);
            if (at < 0 || page.AsSpan(at + needle.Length).IndexOf(needle) >= 0) return null;
            found.Add((at, needle.Length, slot));
        }
        found.Sort((a, b) => a.At.CompareTo(b.At));

        var segments = new List<byte[]>();
        var position = 0;
        foreach (var (at, length, _) in found)
        {
            segments.Add(page[position..at]);
            position = at + length;
        }
        segments.Add(page[position..]);
        return new FormTemplate([.. segments], [.. found.Select(f => f.Slot)]);
    }

    public long LengthWith(FormValues values) => literalLength + slots.Sum(s => Value(s, values).Length);

    public void WriteTo(IBufferWriter<byte> writer, FormValues values)
    {
        for (var i = 0; i < slots.Length; i++)
        {
            writer.Write(segments[i]);
            var value = Value(slots[i], values);
            var span = writer.GetSpan(value.Length);
            var written = Encoding.ASCII.GetBytes(value, span);
            writer.Advance(written);
        }
        writer.Write(segments[^1]);
    }

    /// <summary>The page as it would be sent with these values (what <see cref="WriteTo"/> writes), as text for tests.</summary>
    public string Render(FormValues values)
    {
        var builder = new StringBuilder();
        for (var i = 0; i < slots.Length; i++)
        {
            builder.Append(Encoding.UTF8.GetString(segments[i]));
            builder.Append(Value(slots[i], values));
        }
        builder.Append(Encoding.UTF8.GetString(segments[^1]));
        return builder.ToString();
    }

    private static string Value(Slot slot, FormValues values) => slot switch
    {
        Slot.Nonce => values.Nonce,
        Slot.RequestToken => values.RequestToken,
        _ => values.IdempotencyKey,
    };
}
