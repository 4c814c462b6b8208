using Microsoft.EntityFrameworkCore;
using WeedGo.Core.Common;
using WeedGo.Core.Data;

namespace WeedGo.Core.Accounts;

public sealed record ProfileDetails(string DisplayName, string? Phone, DateOnly? BirthDate, CustomerType CustomerType);

/// <summary>The signed-in person's own profile. Nobody edits another person's profile through this service.</summary>
public sealed class ProfileService(IDbContextFactory<WeedGoDbContext> contexts, ICurrentUser user)
{
    public async Task<Result<ProfileDetails>> GetMineAsync(CancellationToken ct = default)
    {
        if (user.UserId is not { } id)
        {
            return new Error("unauthenticated", "Please sign in first.", ErrorKind.Forbidden);
        }
        await using var db = await contexts.CreateDbContextAsync(ct);
        var row = await db.Users.AsNoTracking().Where(u => u.Id == id)
            .Select(u => new { u.DisplayName, u.PhoneNumber, u.Profile })
            .FirstOrDefaultAsync(ct);
        return row is null
            ? Error.NotFound("Your account")
            : new ProfileDetails(row.DisplayName, row.Profile?.Phone ?? row.PhoneNumber, row.Profile?.BirthDate,
                row.Profile?.CustomerType ?? CustomerType.Recreational);
    }

    /// <summary>Saves name, phone and customer type. A birth date can be set once; after that only staff can correct it.</summary>
    public async Task<Result> SaveMineAsync(ProfileDetails details, CancellationToken ct = default)
    {
        if (user.UserId is not { } id)
        {
            return new Error("unauthenticated", "Please sign in first.", ErrorKind.Forbidden);
        }
        if (string.IsNullOrWhiteSpace(details.DisplayName))
        {
            return Error.Validation("Enter your name.");
        }
        await using var db = await contexts.CreateDbContextAsync(ct);
        var account = await db.Users.Include(u => u.Profile).FirstOrDefaultAsync(u => u.Id == id, ct);
        if (account is null)
        {
            return Error.NotFound("Your account");
        }
        account.Profile ??= new Profile { UserId = id };
        if (account.Profile.BirthDate is null && details.BirthDate is { } born)
        {
            if (born > DateOnly.FromDateTime(DateTime.UtcNow.Date))
            {
                return Error.Validation("The date of birth cannot be in the future.");
            }
            account.Profile.BirthDate = born;
        }
        account.DisplayName = details.DisplayName.Trim();
        var phone = string.IsNullOrWhiteSpace(details.Phone) ? null : details.Phone.Trim();
        if (PhoneNumbers.ToE164(phone) != PhoneNumbers.ToE164(account.PhoneNumber ?? account.Profile.Phone))
        {
            // A new number has not been proven yet (see OneTimeCodeService).
            account.PhoneNumberConfirmed = false;
        }
        account.PhoneNumber = phone;
        account.Profile.Phone = account.PhoneNumber;
        account.Profile.CustomerType = details.CustomerType;
        await db.SaveChangesAsync(ct);
        return Result.Ok();
    }
}
