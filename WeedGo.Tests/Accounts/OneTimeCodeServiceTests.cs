using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using WeedGo.Core.Accounts;
using WeedGo.Core.Common;
using WeedGo.Core.Messaging;
using WeedGo.Tests.Support;

namespace WeedGo.Tests.Accounts;

/// <summary>A database with the demo world and the development outbox on, so tests can read what was "sent".</summary>
public sealed class OneTimeCodeFixture : DatabaseFixture
{
    protected override bool DemoData => true;

    protected override void ConfigureServices(IServiceCollection services) =>
        services.Configure<MessagingOptions>(o => o.DevOutbox = true);

    public DevOutbox Outbox => Services.GetRequiredService<DevOutbox>();
}

public sealed class OneTimeCodeServiceTests(OneTimeCodeFixture db) : IClassFixture<OneTimeCodeFixture>
{
    private static readonly Regex SixDigits = new(@"\b(\d{6})\b");

    [Fact]
    public async Task A_sign_in_code_is_six_digits_valid_ten_minutes_and_only_its_salted_hash_is_stored()
    {
        var me = await NewAccountAsync();

        var sent = await RequestAsync(me.Email);

        Assert.True(sent.Succeeded);
        Assert.Equal(db.Clock.GetUtcNow().AddMinutes(10), sent.Value.ExpiresAt);
        var message = Assert.Single(db.Outbox.To(me.Email));
        Assert.Equal(MessageChannel.Email, message.Channel);
        Assert.Equal("Your WeedGo sign-in code", message.Subject);
        var code = CodeIn(message);
        Assert.Matches("^[0-9]{6}$", code);

        var row = await SingleRowAsync(me.Email);
        Assert.Equal(me.Id, row.UserId);
        Assert.Equal(DemoWorld.NorthernLights, row.TenantId);
        Assert.Equal(OneTimeCodePurpose.SignIn, row.Purpose);
        Assert.Equal(32, row.Salt.Length);
        Assert.Equal(HMACSHA256.HashData(row.Salt, Encoding.ASCII.GetBytes(code)), row.CodeHash);
        Assert.NotEqual(SHA256.HashData(Encoding.ASCII.GetBytes(code)), row.CodeHash);
        // Nowhere in the stored row (as PostgreSQL renders it) does the code appear.
        await using var connection = new NpgsqlConnection(db.ConnectionString);
        await connection.OpenAsync();
        await using var select = new NpgsqlCommand("SELECT row_to_json(c)::text FROM one_time_codes c WHERE id = @id", connection);
        select.Parameters.AddWithValue("id", row.Id);
        var stored = (string)(await select.ExecuteScalarAsync())!;
        Assert.DoesNotContain(code, stored);
    }

    [Fact]
    public async Task The_right_code_signs_in_once_and_confirms_the_email()
    {
        var me = await NewAccountAsync();
        await RequestAsync(me.Email);
        var code = CodeIn(db.Outbox.To(me.Email)[0]);

        var first = await VerifyAsync(me.Email, code);
        var second = await VerifyAsync(me.Email, code);

        Assert.Equal(me.Id, first.Value);
        Assert.Equal("otp_used", second.Error!.Code);
        Assert.Equal("That code has already been used. Ask for a new code.", second.Error.Message);
        await using var ctx = db.Context();
        Assert.True(await ctx.Users.Where(u => u.Id == me.Id).Select(u => u.EmailConfirmed).SingleAsync());
        Assert.Equal(OneTimeCodeEnd.Used, (await SingleRowAsync(me.Email)).EndedBy);
    }

    [Fact]
    public async Task A_code_works_until_ten_minutes_have_passed_and_then_says_it_expired()
    {
        var early = await NewAccountAsync();
        await RequestAsync(early.Email);
        db.Clock.Advance(TimeSpan.FromMinutes(10) - TimeSpan.FromSeconds(1));
        Assert.True((await VerifyAsync(early.Email, CodeIn(db.Outbox.To(early.Email)[0]))).Succeeded);

        var late = await NewAccountAsync();
        await RequestAsync(late.Email);
        db.Clock.Advance(TimeSpan.FromMinutes(10));
        var expired = await VerifyAsync(late.Email, CodeIn(db.Outbox.To(late.Email)[0]));

        Assert.Equal("otp_expired", expired.Error!.Code);
        Assert.Equal("That code has expired (codes last 10 minutes). Ask for a new code.", expired.Error.Message);
    }

    [Fact]
    public async Task Three_wrong_attempts_burn_the_code_and_say_how_many_are_left_before_that()
    {
        var me = await NewAccountAsync();
        await RequestAsync(me.Email);
        var code = CodeIn(db.Outbox.To(me.Email)[0]);
        var wrong = WrongCode(code);

        var first = await VerifyAsync(me.Email, wrong);
        var second = await VerifyAsync(me.Email, wrong);
        var third = await VerifyAsync(me.Email, wrong);
        var rightButTooLate = await VerifyAsync(me.Email, code);

        Assert.Equal("That code is not right. 2 attempts left. Use the code from the most recent message.", first.Error!.Message);
        Assert.Equal("That code is not right. 1 attempt left. Use the code from the most recent message.", second.Error!.Message);
        Assert.Equal("otp_burned", third.Error!.Code);
        Assert.Contains("after 3 wrong attempts it no longer works", third.Error.Message);
        Assert.Equal("otp_burned", rightButTooLate.Error!.Code);
        var row = await SingleRowAsync(me.Email);
        Assert.Equal(3, row.Attempts);
        Assert.Equal(OneTimeCodeEnd.TooManyAttempts, row.EndedBy);
    }

    [Fact]
    public async Task Something_that_is_not_six_digits_is_refused_without_using_an_attempt()
    {
        var me = await NewAccountAsync();
        await RequestAsync(me.Email);

        var result = await VerifyAsync(me.Email, "12a45");

        Assert.Equal("Enter the 6-digit code from the message.", result.Error!.Message);
        Assert.Equal(0, (await SingleRowAsync(me.Email)).Attempts);
        Assert.True((await VerifyAsync(me.Email, " " + CodeIn(db.Outbox.To(me.Email)[0]).Insert(3, " ") + " ")).Succeeded);
    }

    [Fact]
    public async Task Five_codes_per_hour_per_address_the_sixth_is_refused_with_the_wait_and_a_slot_frees_after_an_hour()
    {
        var me = await NewAccountAsync();
        for (var i = 0; i < 5; i++)
        {
            if (i > 0)
            {
                db.Clock.Advance(TimeSpan.FromMinutes(10)); // requests at 0, 10, 20, 30, 40 minutes
            }
            Assert.True((await RequestAsync(me.Email)).Succeeded, $"request {i + 1}");
        }

        var sixth = await RequestAsync(me.Email);

        Assert.Equal("otp_too_many", sixth.Error!.Code);
        Assert.Equal(ErrorKind.Conflict, sixth.Error.Kind);
        Assert.Equal("Too many codes have been sent to this address. Try again in 20 minutes.", sixth.Error.Message);
        Assert.Equal(5, db.Outbox.To(me.Email).Count);
        db.Clock.Advance(TimeSpan.FromMinutes(20)); // the first code is now an hour old
        Assert.True((await RequestAsync(me.Email)).Succeeded);
        Assert.Equal(6, db.Outbox.To(me.Email).Count);
    }

    [Fact]
    public async Task Codes_older_than_a_day_are_removed_when_the_address_asks_again()
    {
        var me = await NewAccountAsync();
        await RequestAsync(me.Email);
        db.Clock.Advance(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(1));

        await RequestAsync(me.Email);

        await using var ctx = db.Context();
        Assert.Equal(1, await ctx.OneTimeCodes.CountAsync(c => c.Address == me.Email));
    }

    [Fact]
    public async Task Parallel_requests_cannot_get_more_than_five_codes_out_of_one_address()
    {
        var me = await NewAccountAsync();

        var results = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Task.Run(() => RequestAsync(me.Email))));

        Assert.Equal(5, results.Count(r => r.Succeeded));
        Assert.All(results.Where(r => !r.Succeeded), r => Assert.Equal("otp_too_many", r.Error!.Code));
        Assert.Equal(5, db.Outbox.To(me.Email).Count);
    }

    [Fact]
    public async Task Each_request_is_in_the_audit_log_with_its_outcome_and_never_the_code()
    {
        var me = await NewAccountAsync();
        await RequestAsync(me.Email);
        var code = CodeIn(db.Outbox.To(me.Email)[0]);
        var stranger = $"nobody.{Guid.NewGuid():N}@example.com";
        await RequestAsync(stranger);

        await using var ctx = db.Context(TestUser.Platform(Guid.NewGuid()));
        var mine = await ctx.AuditLogs.AsNoTracking().Where(a => a.EventType == "auth.one_time_code.requested" && a.UserId == me.Id).ToListAsync();
        var entry = Assert.Single(mine);
        Assert.Contains("\"sent\"", entry.Details);
        Assert.DoesNotContain(code, entry.Details);
        var unknown = (await ctx.AuditLogs.AsNoTracking().Where(a => a.EventType == "auth.one_time_code.requested").ToListAsync())
            .Where(a => a.Details!.Contains(stranger)).ToList();
        Assert.Null(Assert.Single(unknown).TenantId); // no account: the platform chain
    }

    [Fact]
    public async Task A_new_code_supersedes_the_older_unused_one()
    {
        var me = await NewAccountAsync();
        await RequestAsync(me.Email);
        var older = CodeIn(db.Outbox.To(me.Email)[0]);
        await RequestAsync(me.Email);
        var newer = CodeIn(db.Outbox.To(me.Email)[0]);
        if (older == newer)
        {
            return; // one chance in a million: nothing to tell apart
        }

        var withOlder = await VerifyAsync(me.Email, older);
        var withNewer = await VerifyAsync(me.Email, newer);

        Assert.Equal("otp_wrong", withOlder.Error!.Code);
        Assert.Equal(me.Id, withNewer.Value);
        await using var ctx = db.Context();
        var ends = await ctx.OneTimeCodes.Where(c => c.Address == me.Email).OrderBy(c => c.CreatedAt).ThenBy(c => c.Id)
            .Select(c => c.EndedBy).ToListAsync();
        Assert.Equal([OneTimeCodeEnd.Superseded, OneTimeCodeEnd.Used], ends);
    }

    [Fact]
    public async Task An_unknown_address_gets_the_same_answers_and_is_sent_nothing()
    {
        var known = await NewAccountAsync();
        var unknown = $"nobody-{Guid.NewGuid():N}@test.example";

        var toKnown = await RequestAsync(known.Email);
        var toUnknown = await RequestAsync(unknown);

        Assert.True(toUnknown.Succeeded);
        Assert.Equal(toKnown.Value, toUnknown.Value);
        Assert.Empty(db.Outbox.To(unknown));
        Assert.Null((await SingleRowAsync(unknown)).UserId);
        // Guessing behaves the same too, and the hourly limit arrives at the same request.
        Assert.Equal((await VerifyAsync(known.Email, "000000")).Error?.Message ?? "", (await VerifyAsync(unknown, "000000")).Error!.Message);
        for (var i = 0; i < 4; i++)
        {
            Assert.True((await RequestAsync(unknown)).Succeeded);
        }
        Assert.Equal("otp_too_many", (await RequestAsync(unknown)).Error!.Code);
        Assert.Empty(db.Outbox.To(unknown));
    }

    [Fact]
    public async Task An_invalid_email_is_refused_before_anything_is_stored()
    {
        var result = await RequestAsync("not an email");
        Assert.Equal("Enter a valid email address.", result.Error!.Message);
    }

    [Fact]
    public async Task A_code_by_text_goes_to_the_phone_on_file_and_confirms_it()
    {
        var me = await NewAccountAsync(phone: "(416) 555-0142");

        var sent = await RequestAsync(me.Email, MessageChannel.Sms);

        Assert.True(sent.Succeeded);
        Assert.Empty(db.Outbox.To(me.Email));
        var text = Assert.Single(db.Outbox.To("+14165550142"));
        Assert.Equal(MessageChannel.Sms, text.Channel);
        Assert.StartsWith("WeedGo sign-in code: ", text.Body);
        Assert.Equal(me.Id, (await VerifyAsync(me.Email, CodeIn(text), MessageChannel.Sms)).Value);
        await using var ctx = db.Context();
        var user = await ctx.Users.SingleAsync(u => u.Id == me.Id);
        Assert.True(user.PhoneNumberConfirmed);
        Assert.False(user.EmailConfirmed);
    }

    [Fact]
    public async Task Two_accounts_sharing_a_phone_each_keep_their_own_code()
    {
        var parent = await NewAccountAsync(phone: "416-555-0161");
        var child = await NewAccountAsync(phone: "4165550161");
        await RequestAsync(parent.Email, MessageChannel.Sms);
        var parentCode = CodeIn(db.Outbox.To("+14165550161")[0]);
        await RequestAsync(child.Email, MessageChannel.Sms);
        var childCode = CodeIn(db.Outbox.To("+14165550161")[0]);

        Assert.Equal(parent.Id, (await VerifyAsync(parent.Email, parentCode, MessageChannel.Sms)).Value);
        Assert.Equal(child.Id, (await VerifyAsync(child.Email, childCode, MessageChannel.Sms)).Value);
    }

    [Fact]
    public async Task A_text_for_an_account_without_a_phone_gets_the_same_answer_and_sends_nothing()
    {
        var me = await NewAccountAsync();
        var before = db.Outbox.Recent().Count;

        var sent = await RequestAsync(me.Email, MessageChannel.Sms);

        Assert.True(sent.Succeeded);
        Assert.Equal(before, db.Outbox.Recent().Count);
        // Guessing answers exactly as for an address nobody has.
        var unknown = $"nobody-{Guid.NewGuid():N}@test.example";
        await RequestAsync(unknown, MessageChannel.Sms);
        var forAccount = await VerifyAsync(me.Email, "000000", MessageChannel.Sms);
        var forNobody = await VerifyAsync(unknown, "000000", MessageChannel.Sms);
        Assert.Equal("That code is not right. 2 attempts left. Use the code from the most recent message.", forAccount.Error!.Message);
        Assert.Equal(forNobody.Error!.Message, forAccount.Error.Message);
    }

    [Fact]
    public async Task A_signed_in_customer_verifies_their_email_and_phone_with_codes()
    {
        var me = await NewAccountAsync(phone: "416 555 0177");
        await using var scope = db.As(new TestUser { UserId = me.Id, TenantId = DemoWorld.NorthernLights, Email = me.Email, Roles = [Roles.Customer] });
        var codes = scope.ServiceProvider.GetRequiredService<OneTimeCodeService>();

        Assert.True((await codes.RequestVerificationAsync(OneTimeCodePurpose.VerifyEmail)).Succeeded);
        var mail = Assert.Single(db.Outbox.To(me.Email));
        Assert.Equal("Confirm your email for WeedGo", mail.Subject);
        Assert.Equal("otp_wrong", (await codes.ConfirmVerificationAsync(OneTimeCodePurpose.VerifyEmail, WrongCode(CodeIn(mail)))).Error!.Code);
        Assert.True((await codes.ConfirmVerificationAsync(OneTimeCodePurpose.VerifyEmail, CodeIn(mail))).Succeeded);

        Assert.True((await codes.RequestVerificationAsync(OneTimeCodePurpose.VerifyPhone)).Succeeded);
        var text = Assert.Single(db.Outbox.To("+14165550177"));
        // A sign-in code for the same account cannot stand in for the phone confirmation (purposes are separate).
        Assert.Equal("otp_none", (await VerifyAsync(me.Email, CodeIn(text), MessageChannel.Email)).Error!.Code);
        Assert.True((await codes.ConfirmVerificationAsync(OneTimeCodePurpose.VerifyPhone, CodeIn(text))).Succeeded);

        await using var ctx = db.Context();
        var user = await ctx.Users.SingleAsync(u => u.Id == me.Id);
        Assert.True(user.EmailConfirmed);
        Assert.True(user.PhoneNumberConfirmed);
    }

    [Fact]
    public async Task Verifying_a_phone_needs_a_phone_and_verifying_anything_needs_a_signed_in_person()
    {
        var me = await NewAccountAsync();
        await using (var scope = db.As(new TestUser { UserId = me.Id, TenantId = DemoWorld.NorthernLights, Roles = [Roles.Customer] }))
        {
            var noPhone = await scope.ServiceProvider.GetRequiredService<OneTimeCodeService>().RequestVerificationAsync(OneTimeCodePurpose.VerifyPhone);
            Assert.StartsWith("Add a mobile number to your profile first", noPhone.Error!.Message);
        }
        await using (var anonymous = db.As(TestUser.Anonymous(DemoWorld.NorthernLights)))
        {
            var refused = await anonymous.ServiceProvider.GetRequiredService<OneTimeCodeService>().RequestVerificationAsync(OneTimeCodePurpose.VerifyEmail);
            Assert.Equal(ErrorKind.Forbidden, refused.Error!.Kind);
        }
    }

    [Fact]
    public async Task Changing_the_phone_in_the_profile_unconfirms_it()
    {
        var me = await NewAccountAsync(phone: "416-555-0188");
        await using (var ctx = db.Context())
        {
            await ctx.Users.Where(u => u.Id == me.Id).ExecuteUpdateAsync(u => u.SetProperty(x => x.PhoneNumberConfirmed, true));
        }
        await using var scope = db.As(new TestUser { UserId = me.Id, TenantId = DemoWorld.NorthernLights, Roles = [Roles.Customer] });
        var profiles = scope.ServiceProvider.GetRequiredService<ProfileService>();

        await profiles.SaveMineAsync(new ProfileDetails("Same Phone", "(416) 555-0188", null, CustomerType.Recreational));
        Assert.True(await ConfirmedPhoneAsync(me.Id));
        await profiles.SaveMineAsync(new ProfileDetails("New Phone", "416-555-0189", null, CustomerType.Recreational));
        Assert.False(await ConfirmedPhoneAsync(me.Id));
    }

    [Theory]
    [InlineData("416-555-0199", "+14165550199")]
    [InlineData("(416) 555 0199", "+14165550199")]
    [InlineData("1 416 555 0199", "+14165550199")]
    [InlineData("+44 20 7946 0958", "+442079460958")]
    [InlineData("555-0199", null)]
    [InlineData("", null)]
    public void Phone_numbers_are_normalised_to_e164(string typed, string? expected) =>
        Assert.Equal(expected, PhoneNumbers.ToE164(typed));

    private sealed record Account(Guid Id, string Email);

    private async Task<Account> NewAccountAsync(string? phone = null)
    {
        var id = Guid.CreateVersion7();
        var email = $"otp-{id:N}@test.example";
        await using var ctx = db.Context();
        ctx.Users.Add(new AppUser
        {
            Id = id, TenantId = DemoWorld.NorthernLights, UserName = email, NormalizedUserName = email.ToUpperInvariant(), Email = email,
            NormalizedEmail = email.ToUpperInvariant(), DisplayName = "Code Tester", SecurityStamp = Guid.NewGuid().ToString(),
            Profile = new Profile { UserId = id, FirstName = "Code", LastName = "Tester", Phone = phone },
        });
        await ctx.SaveChangesAsync();
        return new Account(id, email);
    }

    private async Task<Result<CodeSent>> RequestAsync(string email, MessageChannel channel = MessageChannel.Email)
    {
        await using var scope = db.As(TestUser.Anonymous(DemoWorld.NorthernLights));
        return await scope.ServiceProvider.GetRequiredService<OneTimeCodeService>().RequestSignInCodeAsync(email, channel);
    }

    private async Task<Result<Guid>> VerifyAsync(string email, string code, MessageChannel channel = MessageChannel.Email)
    {
        await using var scope = db.As(TestUser.Anonymous(DemoWorld.NorthernLights));
        return await scope.ServiceProvider.GetRequiredService<OneTimeCodeService>().VerifySignInCodeAsync(email, channel, code);
    }

    private async Task<OneTimeCode> SingleRowAsync(string address)
    {
        await using var ctx = db.Context();
        return await ctx.OneTimeCodes.AsNoTracking().SingleAsync(c => c.Address == address);
    }

    private async Task<bool> ConfirmedPhoneAsync(Guid id)
    {
        await using var ctx = db.Context();
        return await ctx.Users.Where(u => u.Id == id).Select(u => u.PhoneNumberConfirmed).SingleAsync();
    }

    private static string CodeIn(OutboxMessage message) => SixDigits.Match(message.Body).Groups[1].Value;

    private static string WrongCode(string code) => ((int.Parse(code) + 1) % 1_000_000).ToString("D6");
}
