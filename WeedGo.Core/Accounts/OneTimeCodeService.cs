using System.Net.Mail;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WeedGo.Core.Common;
using WeedGo.Core.Data;
using WeedGo.Core.Messaging;

namespace WeedGo.Core.Accounts;

/// <summary>Settings under <c>WeedGo:OneTimeCodes</c> (defaults from DOMAIN.md and issue 4).</summary>
public sealed class OneTimeCodeOptions
{
    public const string Section = "WeedGo:OneTimeCodes";
    public TimeSpan Lifetime { get; set; } = TimeSpan.FromMinutes(10);
    public int MaxAttempts { get; set; } = 3;
    /// <summary>Codes per address per rolling hour, whatever their purpose.</summary>
    public int PerHour { get; set; } = 5;
}

/// <summary>What a person is told after asking for a code (identical whether or not an account exists).</summary>
public sealed record CodeSent(MessageChannel Channel, DateTimeOffset ExpiresAt);

/// <summary>The expected failures of one-time codes, each a sentence a person can act on.</summary>
public static class OneTimeCodeErrors
{
    public static Error TooMany(int minutes) => new("otp_too_many",
        $"Too many codes have been sent to this address. Try again in {minutes} minute{(minutes == 1 ? "" : "s")}.", ErrorKind.Conflict);
    public static Error Wrong(int attemptsLeft) => new("otp_wrong",
        $"That code is not right. {attemptsLeft} attempt{(attemptsLeft == 1 ? "" : "s")} left. Use the code from the most recent message.");
    public static Error Burned(int maxAttempts) => new("otp_burned",
        $"That code is not right, and after {maxAttempts} wrong attempts it no longer works. Ask for a new code.");
    public static Error Expired(TimeSpan lifetime) => new("otp_expired",
        $"That code has expired (codes last {lifetime.TotalMinutes:0} minutes). Ask for a new code.");
    public static readonly Error Used = new("otp_used", "That code has already been used. Ask for a new code.");
    public static readonly Error None = new("otp_none", "There is no code waiting to be checked. Ask for a new code.");
    public static readonly Error Malformed = Error.Validation("Enter the 6-digit code from the message.");
    public static readonly Error NotSent = new("otp_not_sent", "We could not send the code just now. Try again in a minute.", ErrorKind.Conflict);
    public static Error Unavailable(MessageChannel channel) => new("otp_unavailable",
        channel == MessageChannel.Sms ? "Codes by text message are not available yet." : "Codes by email are not available: no mail server is set up.",
        ErrorKind.Conflict);
}

/// <summary>
/// One-time codes: 6 digits from a cryptographic generator, valid 10 minutes, 3 attempts, used once, 5 per address per hour;
/// a new code supersedes the older unused ones for the same address and purpose. Used to sign in (by email or SMS to the
/// account's phone) and to confirm the signed-in person's email or phone.
/// </summary>
public sealed class OneTimeCodeService(
    IDbContextFactory<WeedGoDbContext> contexts, IMessageSender sender, ICurrentUser currentUser, TimeProvider clock,
    IOptions<OneTimeCodeOptions> options, ILogger<OneTimeCodeService> logger, Audit.IAuditLog audit,
    RateLimiting.IOperationLimiter? limiter = null)
{
    private OneTimeCodeOptions Options => options.Value;

    /// <summary>
    /// Sends a sign-in code for the account with <paramref name="email"/>, by email or by SMS to the phone on file. The answer
    /// is the same whether or not the account (or its phone) exists; only existing accounts are sent anything.
    /// </summary>
    public async Task<Result<CodeSent>> RequestSignInCodeAsync(string email, MessageChannel channel, CancellationToken ct = default)
    {
        if (NormaliseEmail(email) is not { } address)
        {
            return Error.Validation("Enter a valid email address.");
        }
        if (!sender.CanSend(channel))
        {
            return OneTimeCodeErrors.Unavailable(channel);
        }
        await using var db = await contexts.CreateDbContextAsync(ct);
        var account = await FindAccountAsync(db, address, ct);
        var target = SignInTarget(account, address, channel);
        return await IssueAndRecordAsync(db, account, target, OneTimeCodePurpose.SignIn, channel, ct);
    }

    /// <summary>Checks a sign-in code; on success returns the account to sign in (the caller still applies lockout).</summary>
    public async Task<Result<Guid>> VerifySignInCodeAsync(string email, MessageChannel channel, string code, CancellationToken ct = default)
    {
        if (NormaliseCode(code) is not { } digits)
        {
            return OneTimeCodeErrors.Malformed;
        }
        if (NormaliseEmail(email) is not { } address)
        {
            return OneTimeCodeErrors.None;
        }
        await using var db = await contexts.CreateDbContextAsync(ct);
        var account = await FindAccountAsync(db, address, ct);
        var target = SignInTarget(account, address, channel);
        // Where nothing was delivered (no account, or a text asked for an account without a phone) the row has no account:
        // check against it, so the answers match those for an unknown address and nothing can sign in.
        var checkedCode = await CheckAsync(db, target, OneTimeCodePurpose.SignIn, channel, digits, target.Deliver ? account?.Id : null, ct);
        return checkedCode.Succeeded ? account!.Id : checkedCode.Error!;
    }

    /// <summary>Sends the signed-in person a code to confirm their email (<see cref="OneTimeCodePurpose.VerifyEmail"/>) or phone.</summary>
    public async Task<Result<CodeSent>> RequestVerificationAsync(OneTimeCodePurpose purpose, CancellationToken ct = default)
    {
        if (purpose == OneTimeCodePurpose.SignIn)
        {
            throw new ArgumentOutOfRangeException(nameof(purpose), "Sign-in codes are requested with RequestSignInCodeAsync.");
        }
        await using var db = await contexts.CreateDbContextAsync(ct);
        var (account, target, channel, error) = await VerificationTargetAsync(db, purpose, ct);
        if (error is not null)
        {
            return error;
        }
        if (!sender.CanSend(channel))
        {
            return OneTimeCodeErrors.Unavailable(channel);
        }
        return await IssueAndRecordAsync(db, account, target!, purpose, channel, ct);
    }

    /// <summary>Checks the signed-in person's confirmation code and marks their email or phone confirmed.</summary>
    public async Task<Result> ConfirmVerificationAsync(OneTimeCodePurpose purpose, string code, CancellationToken ct = default)
    {
        if (NormaliseCode(code) is not { } digits)
        {
            return OneTimeCodeErrors.Malformed;
        }
        await using var db = await contexts.CreateDbContextAsync(ct);
        var (account, target, channel, error) = await VerificationTargetAsync(db, purpose, ct);
        if (error is not null)
        {
            return error;
        }
        return await CheckAsync(db, target!, purpose, channel, digits, account!.Id, ct);
    }

    /// <summary>Lower-case trimmed email, or null when it is not an email address.</summary>
    public static string? NormaliseEmail(string? email)
    {
        var trimmed = email?.Trim();
        return !string.IsNullOrEmpty(trimmed) && trimmed.Length <= 256 && MailAddress.TryCreate(trimmed, out var parsed)
               && parsed.Address == trimmed
            ? trimmed.ToLowerInvariant()
            : null;
    }

    /// <summary>The six digits typed (spaces and dashes ignored), or null.</summary>
    public static string? NormaliseCode(string? code)
    {
        var digits = new string((code ?? "").Where(c => c is not (' ' or '-')).ToArray());
        return digits.Length == 6 && digits.All(char.IsAsciiDigit) ? digits : null;
    }

    private sealed record Account(Guid Id, Guid? TenantId, string Email, string? Phone, bool EmailConfirmed, bool PhoneConfirmed);

    private static async Task<Account?> FindAccountAsync(WeedGoDbContext db, string address, CancellationToken ct)
    {
        // Identity's default lookup normaliser upper-cases invariantly.
        var normalised = address.ToUpperInvariant();
        return await db.Users.AsNoTracking().Where(u => u.NormalizedEmail == normalised)
            .Select(u => new Account(u.Id, u.TenantId, u.Email!, u.PhoneNumber ?? u.Profile!.Phone, u.EmailConfirmed, u.PhoneNumberConfirmed))
            .FirstOrDefaultAsync(ct);
    }

    /// <summary>
    /// Where a sign-in code goes: the email, or the account's phone for SMS. Without an account (or a phone) the typed email
    /// stands in as the key, so the hourly limit behaves the same and nothing reveals whether the account exists.
    /// </summary>
    private static Target SignInTarget(Account? account, string email, MessageChannel channel) =>
        channel == MessageChannel.Sms && account is not null && PhoneNumbers.ToE164(account.Phone) is { } phone
            ? new Target(phone, Deliver: true)
            : new Target(email, Deliver: account is not null && channel == MessageChannel.Email);

    private sealed record Target(string Address, bool Deliver);

    private async Task<(Account? Account, Target? Target, MessageChannel Channel, Error? Error)> VerificationTargetAsync(
        WeedGoDbContext db, OneTimeCodePurpose purpose, CancellationToken ct)
    {
        var channel = purpose == OneTimeCodePurpose.VerifyPhone ? MessageChannel.Sms : MessageChannel.Email;
        if (currentUser.UserId is not { } id)
        {
            return (null, null, channel, new Error("unauthenticated", "Please sign in first.", ErrorKind.Forbidden));
        }
        var account = await db.Users.AsNoTracking().Where(u => u.Id == id)
            .Select(u => new Account(u.Id, u.TenantId, u.Email!, u.PhoneNumber ?? u.Profile!.Phone, u.EmailConfirmed, u.PhoneNumberConfirmed))
            .FirstOrDefaultAsync(ct);
        if (account is null)
        {
            return (null, null, channel, Error.NotFound("Your account"));
        }
        if (purpose == OneTimeCodePurpose.VerifyEmail)
        {
            return NormaliseEmail(account.Email) is { } email
                ? (account, new Target(email, Deliver: true), channel, null)
                : (account, null, channel, Error.Validation("Your account has no valid email address."));
        }
        return PhoneNumbers.ToE164(account.Phone) is { } phone
            ? (account, new Target(phone, Deliver: true), channel, null)
            : (account, null, channel, Error.Validation("Add a mobile number to your profile first (e.g. 416-555-0123)."));
    }

    /// <summary>Issues the code and records the request in the audit log (purpose, channel, address, outcome; never the code).
    /// Requests for addresses without an account go to the platform chain.</summary>
    private async Task<Result<CodeSent>> IssueAndRecordAsync(
        WeedGoDbContext db, Account? account, Target target, OneTimeCodePurpose purpose, MessageChannel channel, CancellationToken ct)
    {
        // The limiter's rule (per IP address by default) comes on top of the 5-per-address rule below: it stops one client
        // spraying codes over many addresses. Its refusal is recorded as a violation by the limiter, not as a code request.
        if (limiter is not null && await limiter.TryAcquireAsync(RateLimiting.RateOperations.OneTimeCode, ct) is { Allowed: false } refused)
        {
            return RateLimiting.RateLimitErrors.From(refused);
        }
        var issued = await IssueAsync(db, account, target, purpose, channel, ct);
        var known = target.Deliver && account is not null;
        await audit.RecordAsync(Audit.AuditEvents.OneTimeCodeRequested, issued.Succeeded ? Audit.AuditSeverity.Info : Audit.AuditSeverity.Warning,
            new { purpose = purpose.ToString(), channel = channel.ToString(), address = target.Address, account = known, outcome = issued.Succeeded ? "sent" : issued.Error!.Code },
            tenantId: known ? account!.TenantId : null, userId: known ? account!.Id : null, platform: !known || account!.TenantId is null, ct: ct);
        return issued;
    }

    private async Task<Result<CodeSent>> IssueAsync(
        WeedGoDbContext db, Account? account, Target target, OneTimeCodePurpose purpose, MessageChannel channel, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var code = RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
        var salt = RandomNumberGenerator.GetBytes(32);
        var row = new OneTimeCode
        {
            UserId = target.Deliver ? account?.Id : null,
            TenantId = target.Deliver ? account?.TenantId : null,
            Purpose = purpose,
            Channel = channel,
            Address = target.Address,
            Salt = salt,
            CodeHash = Hash(salt, code),
            ExpiresAt = now + Options.Lifetime,
        };

        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            // One request per address at a time, so two parallel requests cannot both take the fifth slot.
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtextextended({target.Address}, 0))", ct);
            var hourAgo = now - TimeSpan.FromHours(1);
            var recent = await db.OneTimeCodes.Where(c => c.Address == target.Address && c.CreatedAt > hourAgo)
                .OrderByDescending(c => c.CreatedAt).Select(c => c.CreatedAt).Take(Options.PerHour).ToListAsync(ct);
            if (recent.Count >= Options.PerHour)
            {
                var freeAt = recent.Min() + TimeSpan.FromHours(1);
                return OneTimeCodeErrors.TooMany(Math.Max(1, (int)Math.Ceiling((freeAt - now).TotalMinutes)));
            }
            // Superseded: this account's (or, for an unknown address, the account-less) earlier live codes for the purpose.
            // Another account sharing the address (a family phone) keeps its own code.
            var owner = row.UserId;
            await db.OneTimeCodes
                .Where(c => c.Address == target.Address && c.Purpose == purpose && c.UserId == owner && c.ConsumedAt == null)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(c => c.ConsumedAt, now)
                    .SetProperty(c => c.EndedBy, OneTimeCodeEnd.Superseded)
                    .SetProperty(c => c.UpdatedAt, now), ct);
            // Rows older than a day serve no rule (the limit looks back an hour, a code lives 10 minutes): keep the address tidy.
            var dayAgo = now - TimeSpan.FromDays(1);
            await db.OneTimeCodes.Where(c => c.Address == target.Address && c.CreatedAt < dayAgo).ExecuteDeleteAsync(ct);
            db.OneTimeCodes.Add(row);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }

        if (target.Deliver)
        {
            try
            {
                await sender.SendAsync(Compose(purpose, channel, target.Address, code), ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Could not send a {Purpose} code by {Channel}", purpose, channel);
                row.ConsumedAt = clock.GetUtcNow();
                row.EndedBy = OneTimeCodeEnd.NotSent;
                await db.SaveChangesAsync(CancellationToken.None);
                return OneTimeCodeErrors.NotSent;
            }
        }
        return new CodeSent(channel, row.ExpiresAt);
    }

    /// <summary>
    /// Checks <paramref name="digits"/> against the newest code sent to the address for this account (for an unknown address:
    /// the newest account-less one), under a row lock.
    /// </summary>
    private async Task<Result> CheckAsync(WeedGoDbContext db, Target target, OneTimeCodePurpose purpose, MessageChannel channel,
        string digits, Guid? expectedUser, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var purposeName = purpose.ToString();
        var channelName = channel.ToString();
        var row = await db.OneTimeCodes
            .FromSql($"""
                SELECT * FROM one_time_codes
                WHERE address = {target.Address} AND purpose = {purposeName} AND channel = {channelName}
                  AND user_id IS NOT DISTINCT FROM {expectedUser}
                ORDER BY created_at DESC, id DESC LIMIT 1 FOR UPDATE
                """)
            .FirstOrDefaultAsync(ct);
        var now = clock.GetUtcNow();
        if (row is null || row.EndedBy is OneTimeCodeEnd.Superseded or OneTimeCodeEnd.NotSent)
        {
            return OneTimeCodeErrors.None;
        }
        if (row.EndedBy == OneTimeCodeEnd.Used)
        {
            return OneTimeCodeErrors.Used;
        }
        if (row.EndedBy == OneTimeCodeEnd.TooManyAttempts)
        {
            return OneTimeCodeErrors.Burned(Options.MaxAttempts);
        }
        if (now >= row.ExpiresAt)
        {
            return OneTimeCodeErrors.Expired(Options.Lifetime);
        }

        var matches = CryptographicOperations.FixedTimeEquals(Hash(row.Salt, digits), row.CodeHash);
        // A row without an account (an unknown address) never signs anyone in, even if the digits happen to match.
        if (matches && row.UserId is { } owner && owner == expectedUser)
        {
            row.ConsumedAt = now;
            row.EndedBy = OneTimeCodeEnd.Used;
            await ConfirmAsync(db, owner, purpose, channel, ct);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            return Result.Ok();
        }

        row.Attempts++;
        Error error;
        if (row.Attempts >= Options.MaxAttempts)
        {
            row.ConsumedAt = now;
            row.EndedBy = OneTimeCodeEnd.TooManyAttempts;
            error = OneTimeCodeErrors.Burned(Options.MaxAttempts);
        }
        else
        {
            error = OneTimeCodeErrors.Wrong(Options.MaxAttempts - row.Attempts);
        }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return error;
    }

    /// <summary>A code that arrived proves the address: a sign-in or a confirmation by email confirms the email, by SMS the phone.</summary>
    private static async Task ConfirmAsync(WeedGoDbContext db, Guid userId, OneTimeCodePurpose purpose, MessageChannel channel, CancellationToken ct)
    {
        var user = await db.Users.Include(u => u.Profile).FirstAsync(u => u.Id == userId, ct);
        if (purpose == OneTimeCodePurpose.VerifyPhone || (purpose == OneTimeCodePurpose.SignIn && channel == MessageChannel.Sms))
        {
            user.PhoneNumber ??= user.Profile?.Phone;
            user.PhoneNumberConfirmed = true;
        }
        else
        {
            user.EmailConfirmed = true;
        }
        // Identity's optimistic concurrency token: a user row changed outside UserManager gets a new stamp.
        user.ConcurrencyStamp = Guid.NewGuid().ToString();
    }

    private static byte[] Hash(byte[] salt, string code) => HMACSHA256.HashData(salt, Encoding.ASCII.GetBytes(code));

    private OutgoingMessage Compose(OneTimeCodePurpose purpose, MessageChannel channel, string to, string code)
    {
        var minutes = (int)Options.Lifetime.TotalMinutes;
        var what = purpose == OneTimeCodePurpose.SignIn ? "sign-in" : "confirmation";
        if (channel == MessageChannel.Sms)
        {
            return new OutgoingMessage(channel, to, "", $"WeedGo {what} code: {code}. It works once, for {minutes} minutes. Do not share it.");
        }
        var subject = purpose == OneTimeCodePurpose.SignIn ? "Your WeedGo sign-in code" : "Confirm your email for WeedGo";
        var body = $"""
            Your WeedGo {what} code is {code}

            It works once, for {minutes} minutes. If you did not ask for it, ignore this email: nobody can use your account without it.
            """;
        return new OutgoingMessage(channel, to, subject, body);
    }
}

/// <summary>Phone numbers as SMS needs them.</summary>
public static class PhoneNumbers
{
    /// <summary>E.164 (<c>+14165550199</c>) from what people type; 10 digits are taken as North American. Null when unusable.</summary>
    public static string? ToE164(string? phone)
    {
        if (string.IsNullOrWhiteSpace(phone))
        {
            return null;
        }
        var trimmed = phone.Trim();
        var digits = new string(trimmed.Where(char.IsAsciiDigit).ToArray());
        if (trimmed.StartsWith('+'))
        {
            return digits.Length is >= 8 and <= 15 ? "+" + digits : null;
        }
        return digits.Length switch
        {
            10 => "+1" + digits,
            11 when digits[0] == '1' => "+" + digits,
            _ => null,
        };
    }
}
