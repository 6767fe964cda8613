using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;

namespace Engagement.LoadBench;

/// <summary>The yardstick: what Kestrel does on this machine with no application work at all.</summary>
internal static class HelloServer
{
    public const string Command = "hello";

    public static async Task<int> RunAsync(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var app = builder.Build();
        app.MapGet("/", () => "Hello");
        await app.RunAsync();
        return 0;
    }
}
