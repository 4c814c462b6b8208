using Microsoft.Extensions.Configuration;
using Npgsql;

namespace WeedGo.Core.Data;

/// <summary>Where the database is: <c>WEEDGO_CONNECTION</c>, else <c>ConnectionStrings:WeedGo</c>.</summary>
public static class ConnectionStrings
{
    public const string DefaultLocal = "Host=127.0.0.1;Port=5434;Database=weedgo;Username=weedgo;Password=weedgo";

    public static string Resolve(IConfiguration? configuration)
    {
        var value = configuration?.GetConnectionString("WeedGo");
        if (string.IsNullOrWhiteSpace(value))
        {
            value = Environment.GetEnvironmentVariable("ConnectionStrings__WeedGo");
        }
        if (string.IsNullOrWhiteSpace(value))
        {
            value = Environment.GetEnvironmentVariable("WEEDGO_CONNECTION");
        }
        return Validate(string.IsNullOrWhiteSpace(value) ? DefaultLocal : value);
    }

    /// <summary>Parses the string and throws a sentence saying what to fix when it is not a PostgreSQL connection string.</summary>
    public static string Validate(string value)
    {
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(value);
            if (string.IsNullOrWhiteSpace(builder.Host))
            {
                throw new InvalidOperationException(
                    "The WeedGo connection string has no Host. Set WEEDGO_CONNECTION (or ConnectionStrings__WeedGo) to e.g. " +
                    "'Host=127.0.0.1;Port=5432;Database=weedgo;Username=weedgo;Password=...'.");
            }
            return builder.ConnectionString;
        }
        catch (ArgumentException e)
        {
            throw new InvalidOperationException(
                $"The WeedGo connection string is not valid ({e.Message}). Set WEEDGO_CONNECTION (or ConnectionStrings__WeedGo) to e.g. " +
                "'Host=127.0.0.1;Port=5432;Database=weedgo;Username=weedgo;Password=...'.", e);
        }
    }
}
