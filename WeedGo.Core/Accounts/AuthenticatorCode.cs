using System.Buffers.Binary;
using System.Security.Cryptography;

namespace WeedGo.Core.Accounts;

/// <summary>
/// RFC 6238 time-based one-time passwords as authenticator apps compute them (HMAC-SHA-1, 30 s step, 6 digits) from the
/// base32 key Identity stores: the app checks codes with it (see the web app's one-use authenticator provider) and the tests
/// type codes with it.
/// </summary>
public static class AuthenticatorCode
{
    public const int StepSeconds = 30;

    /// <summary>The time step (30 s since the Unix epoch) <paramref name="at"/> falls in.</summary>
    public static long StepAt(DateTimeOffset at) => at.ToUnixTimeSeconds() / StepSeconds;

    /// <summary>The 6-digit code of <paramref name="base32Key"/> for <paramref name="step"/>.</summary>
    public static string ForStep(string base32Key, long step) => ForStep(FromBase32(base32Key), step);

    public static string ForStep(byte[] key, long step)
    {
        Span<byte> counter = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(counter, step);
        var hash = HMACSHA1.HashData(key, counter);
        var offset = hash[^1] & 0x0F;
        var binary = (BinaryPrimitives.ReadInt32BigEndian(hash.AsSpan(offset, 4)) & 0x7FFFFFFF) % 1_000_000;
        return binary.ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The step within <paramref name="tolerance"/> steps of <paramref name="at"/> (either way, for clock drift)
    /// whose code is <paramref name="code"/>; null when none is.</summary>
    public static long? MatchingStep(string base32Key, string code, DateTimeOffset at, int tolerance = 2)
    {
        code = code.Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal);
        if (code.Length != 6 || !code.All(char.IsAsciiDigit))
        {
            return null;
        }
        byte[] key;
        try
        {
            key = FromBase32(base32Key);
        }
        catch (FormatException)
        {
            return null;
        }
        var now = StepAt(at);
        for (var step = now - tolerance; step <= now + tolerance; step++)
        {
            if (CryptographicOperations.FixedTimeEquals(System.Text.Encoding.ASCII.GetBytes(ForStep(key, step)), System.Text.Encoding.ASCII.GetBytes(code)))
            {
                return step;
            }
        }
        return null;
    }

    public static byte[] FromBase32(string key)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var clean = key.Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal).TrimEnd('=').ToUpperInvariant();
        var bytes = new List<byte>(clean.Length * 5 / 8);
        int buffer = 0, bits = 0;
        foreach (var c in clean)
        {
            var value = alphabet.IndexOf(c, StringComparison.Ordinal);
            if (value < 0)
            {
                throw new FormatException($"'{c}' is not a base32 character.");
            }
            buffer = (buffer << 5) | value;
            bits += 5;
            if (bits >= 8)
            {
                bits -= 8;
                bytes.Add((byte)(buffer >> bits));
                buffer &= (1 << bits) - 1;
            }
        }
        return [.. bytes];
    }
}
