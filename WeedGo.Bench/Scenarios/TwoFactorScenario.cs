using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using WeedGo.Core.Accounts;
using WeedGo.Core.Data.DemoData;
using WeedGo.Tests.Support;

namespace WeedGo.Bench.Scenarios;

/// <summary>
/// What admin two-factor authentication costs: checking a code with Identity's authenticator provider (reads the key from
/// the database, tries the time steps around now) next to computing the TOTP alone in the same run; and a bearer token for an
/// admin (password + code) next to one for a store manager (password only).
/// </summary>
public sealed class TwoFactorScenario : IThroughputScenario
{
    private const int Checks = 2_000;
    private const int Tokens = 40;

    public string Name => "two-factor";

    public string Description =>
        "Admin 2FA overhead: `UserManager.VerifyTwoFactorTokenAsync` (authenticator provider: key lookup, RFC 6238 " +
        "check) against the bare TOTP computation (baseline), one at a time in-process; then `POST /api/auth/token` for " +
        "admin@northernlights.demo with `twoFactorCode` against manager@northernlights.demo with the password only (baseline), " +
        "sequential, ABBA rounds. Both token requests pay the 210,000-iteration password hash.";

    public async Task<string> RunAsync(BenchContext context, CancellationToken ct)
    {
        await using var scope = context.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var admin = await users.FindByEmailAsync("admin@northernlights.demo")
                    ?? throw new BenchVerificationException("The demo tenant admin is missing.");
        if (!await users.VerifyTwoFactorTokenAsync(admin, TokenOptions.DefaultAuthenticatorProvider, Totp.DemoCode()))
        {
            throw new BenchVerificationException("The demo admin's code was refused.");
        }

        var bare = new List<double>(Checks);
        var identity = new List<double>(Checks);
        for (var i = 0; i < Checks; i++)
        {
            var start = Stopwatch.GetTimestamp();
            var ok = Totp.DemoCode().Length == 6;
            bare.Add(Stopwatch.GetElapsedTime(start).TotalMicroseconds);
            start = Stopwatch.GetTimestamp();
            ok &= await users.VerifyTwoFactorTokenAsync(admin, TokenOptions.DefaultAuthenticatorProvider, Totp.DemoCode());
            identity.Add(Stopwatch.GetElapsedTime(start).TotalMicroseconds);
            if (!ok)
            {
                throw new BenchVerificationException("A code check failed.");
            }
        }

        var passwordOnly = new List<double>();
        var withCode = new List<double>();
        for (var round = 0; round < 4; round++)
        {
            foreach (var second in round % 2 == 0 ? new[] { false, true } : [true, false])
            {
                for (var i = 0; i < Tokens / 4; i++)
                {
                    var start = Stopwatch.GetTimestamp();
                    using var response = await context.Client.PostAsJsonAsync("/api/auth/token", second
                        ? new { email = "admin@northernlights.demo", password = DemoDataSeeder.DemoPassword, twoFactorCode = (string?)Totp.DemoCode() }
                        : new { email = "manager@northernlights.demo", password = DemoDataSeeder.DemoPassword, twoFactorCode = (string?)null }, ct);
                    if (!response.IsSuccessStatusCode)
                    {
                        throw new BenchVerificationException($"/api/auth/token answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(ct)}");
                    }
                    (second ? withCode : passwordOnly).Add(Stopwatch.GetElapsedTime(start).TotalMicroseconds);
                }
            }
        }

        string F(double v) => v.ToString("0.0", CultureInfo.InvariantCulture);
        string Row(string what, List<double> samples, double scale = 1)
        {
            samples.Sort();
            double P(double q) => samples[Math.Min(samples.Count - 1, (int)(q * samples.Count))] / scale;
            return $"| {what} | {samples.Count:N0} | {F(P(.5))} | {F(P(.95))} | {F(samples.Average() / scale)} |";
        }
        var load = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";
        return string.Join("\n",
            "| what | calls | p50 | p95 | mean |",
            "|---|--:|--:|--:|--:|",
            Row("baseline: bare TOTP computation (µs)", bare),
            Row("`VerifyTwoFactorTokenAsync` (µs)", identity),
            Row("baseline: token, password only (ms)", passwordOnly, 1000),
            Row("token, password + authenticator code (ms)", withCode, 1000)) + "\n\n" +
            $"The code check adds {F(identity.Average() - bare.Average())} µs mean over computing the TOTP alone (the key lookup, which the scope's " +
            $"context serves from its tracked entities after the first read, and up to five HMACs); the admin token costs {F((withCode.Average() - passwordOnly.Average()) / 1000)} ms " +
            $"more than a password-only one, next to the password hash both pay. Load average at the end: {load} on " +
            $"{Environment.ProcessorCount} cores.\n";
    }
}
