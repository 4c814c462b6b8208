using WeedGo.Core.Accounts;

namespace WeedGo.Tests.Support;

/// <summary>
/// The code an authenticator app shows (<see cref="AuthenticatorCode"/>): what tests, the E2E journeys and the bench type at
/// the code step. Shared by link with WeedGo.E2E and WeedGo.Bench.
/// </summary>
public static class Totp
{
    public static string Code(string base32Key, DateTimeOffset? at = null) =>
        AuthenticatorCode.ForStep(base32Key, AuthenticatorCode.StepAt(at ?? DateTimeOffset.UtcNow));

    /// <summary>The code of the demo admins (<see cref="Core.Data.DemoData.DemoDataSeeder.DemoAuthenticatorKey"/>).</summary>
    public static string DemoCode() => Code(Core.Data.DemoData.DemoDataSeeder.DemoAuthenticatorKey);
}
