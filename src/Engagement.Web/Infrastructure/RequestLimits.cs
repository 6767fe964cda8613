using System.Globalization;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Features;

namespace Engagement.Web.Infrastructure;

public sealed class RequestLimitOptions
{
    public const string Section = "RequestLimits";

    /// <summary>
    /// Largest url-encoded form body accepted. The public form at its fullest (7 comments of 5,000 characters, every
    /// character needing 9 bytes once UTF-8 and percent-encoded) is about 320 KB.
    /// </summary>
    public int MaxFormBytes { get; set; } = 1024 * 1024;

    /// <summary>Most fields in one form, and the longest field name (ASP.NET Core's own defaults).</summary>
    public int MaxFormFields { get; set; } = 1024;
    public int MaxFieldNameLength { get; set; } = 2048;
}

/// <summary>
/// Reads every url-encoded form body here, once, within fixed limits, before antiforgery or model binding see it, so a
/// body that is too big, has too many fields or an absurd field name gets a clear 413 or 400 page instead of an
/// exception deep in the framework. File uploads (multipart) keep their own limits on the page that takes them.
/// </summary>
public static class RequestLimits
{
    public const string ErrorDetailKey = "engagement:error-detail";

    public static IServiceCollection AddRequestLimits(this IServiceCollection services, IConfiguration configuration)
    {
        var limits = configuration.GetSection(RequestLimitOptions.Section).Get<RequestLimitOptions>() ?? new RequestLimitOptions();
        if (limits.MaxFormBytes <= 0 || limits.MaxFormFields <= 0 || limits.MaxFieldNameLength <= 0)
            throw new InvalidOperationException("RequestLimits values must be positive numbers.");
        services.AddSingleton(limits);
        services.Configure<FormOptions>(o =>
        {
            o.ValueCountLimit = limits.MaxFormFields;
            o.KeyLengthLimit = limits.MaxFieldNameLength;
            o.ValueLengthLimit = limits.MaxFormBytes;
        });
        return services;
    }

    public static IApplicationBuilder UseRequestLimits(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var request = context.Request;
        // The error page re-executes the same request: let it through to render.
        if (!HttpMethods.IsPost(request.Method) || !IsUrlEncoded(request.ContentType) || context.Features.Get<IStatusCodeReExecuteFeature>() is not null)
        {
            await next(context);
            return;
        }

        var limits = context.RequestServices.GetRequiredService<RequestLimitOptions>();
        if (request.ContentLength > limits.MaxFormBytes)
        {
            Refuse(context, StatusCodes.Status413PayloadTooLarge, TooBig(limits));
            return;
        }

        // Chunked or lying about its length: read at most one byte past the limit into memory, then stop.
        var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, context.RequestAborted)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > limits.MaxFormBytes)
            {
                Refuse(context, StatusCodes.Status413PayloadTooLarge, TooBig(limits));
                return;
            }
        }
        buffer.Position = 0;
        request.Body = buffer;
        request.ContentLength = buffer.Length;

        try
        {
            await request.ReadFormAsync(context.RequestAborted);
        }
        catch (InvalidDataException ex)
        {
            Refuse(context, StatusCodes.Status400BadRequest, Explain(ex, limits));
            return;
        }
        buffer.Position = 0;
        await next(context);
    });

    // The framework's form reader says what it refused only in its message.
    private static string Explain(InvalidDataException ex, RequestLimitOptions limits) =>
        ex.Message.Contains("invalid characters", StringComparison.OrdinalIgnoreCase)
            ? "Something you sent contains a character that cannot be stored, such as a null character. Go back, remove it (retyping the text usually does) and try again."
            : ex.Message.Contains("count", StringComparison.OrdinalIgnoreCase)
                ? $"The form had more than {limits.MaxFormFields.ToString("N0", CultureInfo.InvariantCulture)} fields, which no page on this site sends."
                : "The form had a field name longer than any page on this site sends.";

    private static string TooBig(RequestLimitOptions limits) =>
        $"What you sent is too big: the most this service accepts is {limits.MaxFormBytes / 1024:N0} KB. Go back, shorten your answers and try again.";

    // No body: the status code page renders the GOV.UK-style error page and shows this detail.
    private static void Refuse(HttpContext context, int status, string detail)
    {
        context.Items[ErrorDetailKey] = detail;
        context.Response.StatusCode = status;
        // The rest of an over-long body is not worth reading; tell the client the connection is done with.
        if (status == StatusCodes.Status413PayloadTooLarge) context.Response.Headers.Connection = "close";
    }

    private static bool IsUrlEncoded(string? contentType) =>
        contentType is not null && contentType.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase);
}
