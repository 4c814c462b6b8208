using Microsoft.AspNetCore.Identity;
using WeedGo.Core.Accounts;

namespace WeedGo.Web.Identity;

/// <summary>
/// Email seam for account mail. No mail server is configured in this build, so messages are written to the log
/// (the reset link is never shown on the page). A real sender replaces this registration.
/// </summary>
internal sealed class LoggingEmailSender(ILogger<LoggingEmailSender> logger) : IEmailSender<AppUser>
{
    public Task SendConfirmationLinkAsync(AppUser user, string email, string confirmationLink) => Log(email, "confirm your account", confirmationLink);
    public Task SendPasswordResetLinkAsync(AppUser user, string email, string resetLink) => Log(email, "reset your password", resetLink);
    public Task SendPasswordResetCodeAsync(AppUser user, string email, string resetCode) => Log(email, "reset your password (code)", "[code withheld from logs]");

    private Task Log(string email, string purpose, string link)
    {
        logger.LogInformation("Email to {Email}: {Purpose}: {Link}", email, purpose, link);
        return Task.CompletedTask;
    }
}
