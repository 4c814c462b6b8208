using System.Net;
using Microsoft.AspNetCore.Identity;
using WeedGo.Core.Accounts;
using WeedGo.Core.Messaging;

namespace WeedGo.Web.Identity;

/// <summary>
/// Identity's account mail (password reset) sent through <see cref="IMessageSender"/>: SMTP when configured, the development
/// outbox in Development. Identity hands over HTML-encoded links; the mail is plain text, so they are decoded.
/// </summary>
internal sealed class MessageEmailSender(IMessageSender sender) : IEmailSender<AppUser>
{
    public Task SendConfirmationLinkAsync(AppUser user, string email, string confirmationLink) =>
        Send(email, "Confirm your WeedGo account", $"Confirm your account by opening this link:\n\n{WebUtility.HtmlDecode(confirmationLink)}");

    public Task SendPasswordResetLinkAsync(AppUser user, string email, string resetLink) =>
        Send(email, "Reset your WeedGo password",
            $"Choose a new password by opening this link:\n\n{WebUtility.HtmlDecode(resetLink)}\n\nIf you did not ask for it, ignore this email.");

    public Task SendPasswordResetCodeAsync(AppUser user, string email, string resetCode) =>
        Send(email, "Reset your WeedGo password", $"Your password reset code is {resetCode}");

    private Task Send(string email, string subject, string body) =>
        sender.SendAsync(new OutgoingMessage(MessageChannel.Email, email, subject, body));
}
