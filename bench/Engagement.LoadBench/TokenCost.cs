using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Engagement.LoadBench;

/// <summary>
/// What the antiforgery tokens for one first visit cost on this machine, on one thread with nothing else running in
/// this process: a new cookie token and a request token, each encrypted and signed by Data Protection (the site's
/// algorithms are the defaults, as here; where the keys are stored does not change the cost of using them). Every form
/// GET without a cookie pays this, so it bounds how close the form can come to a bare hello endpoint.
/// </summary>
internal static class TokenCost
{
    public const string Command = "token-cost";

    public static int Run(string[] args)
    {
        var calls = args.Length > 0 && int.TryParse(args[0], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : 100_000;
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddDataProtection().UseEphemeralDataProtectionProvider();
        services.AddAntiforgery();
        using var provider = services.BuildServiceProvider();
        var antiforgery = provider.GetRequiredService<IAntiforgery>();
        var protector = provider.GetRequiredService<IDataProtectionProvider>().CreateProtector("Engagement.LoadBench.TokenCost");
        var payload = new byte[64];

        var tokenSets = new List<double>();
        var protects = new List<double>();
        for (var round = 0; round < 4; round++)
        {
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < calls; i++) antiforgery.GetAndStoreTokens(new DefaultHttpContext { RequestServices = provider });
            var tokenSet = clock.Elapsed.TotalMicroseconds / calls;
            clock.Restart();
            for (var i = 0; i < calls; i++) protector.Protect(payload);
            var protect = clock.Elapsed.TotalMicroseconds / calls;
            // The first round is warm-up (JIT, OpenSSL initialisation).
            if (round == 0) continue;
            tokenSets.Add(tokenSet);
            protects.Add(protect);
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"antiforgery tokens for a first visit (cookie + request token): best {tokenSets.Min():F1} µs, median {Median(tokenSets):F1} µs per visit; " +
            $"one Data Protection Protect: best {protects.Min():F1} µs, median {Median(protects):F1} µs ({calls:N0} calls x 3 rounds, one thread)"));
        return 0;
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
}
