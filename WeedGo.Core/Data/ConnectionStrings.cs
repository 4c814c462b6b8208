using Microsoft.Extensions.Configuration;
using Npgsql;

namespace WeedGo.Core.Data;

/// <summary>
/// Where the database is, and as whom. Two roles: the <b>owner</b> (<c>ConnectionStrings:WeedGo</c>, else
/// <c>WEEDGO_CONNECTION</c>) owns the tables and runs migrations; the <b>app role</b> (<see cref="ResolveApp"/>, default
/// <c>weedgo_app</c>: not the owner, no BYPASSRLS) is what the running app connects as, so PostgreSQL's row-level security
/// and the audit log's insert-only grant apply to everything it does.
/// </summary>
public static class ConnectionStrings
{
    public const string DefaultLocal = "Host=127.0.0.1;Port=5434;Database=weedgo;Username=weedgo;Password=weedgo";

    /// <summary>The runtime role's name unless <c>WeedGo:Database:AppRole</c> says otherwise.</summary>
    public const string DefaultAppRole = "weedgo_app";

    /// <summary>
    /// The connection the running app uses: <c>ConnectionStrings:WeedGoApp</c> (env <c>WEEDGO_APP_CONNECTION</c>) when set;
    /// otherwise <paramref name="ownerConnection"/> with the user <c>WeedGo:Database:AppRole</c> (default <c>weedgo_app</c>)
    /// and the password <c>WeedGo:Database:AppPassword</c> (default: the owner's).
    /// </summary>
    public static string ResolveApp(IConfiguration? configuration, string ownerConnection)
    {
        var value = configuration?.GetConnectionString("WeedGoApp");
        if (string.IsNullOrWhiteSpace(value))
        {
            value = Environment.GetEnvironmentVariable("WEEDGO_APP_CONNECTION");
        }
        if (!string.IsNullOrWhiteSpace(value))
        {
            return Validate(value);
        }
        var role = configuration?["WeedGo:Database:AppRole"];
        var password = configuration?["WeedGo:Database:AppPassword"];
        return ForRole(ownerConnection, string.IsNullOrWhiteSpace(role) ? DefaultAppRole : role, password);
    }

    /// <summary><paramref name="connection"/> as another role (same server and database); the password stays unless given.</summary>
    public static string ForRole(string connection, string role, string? password = null)
    {
        var builder = new NpgsqlConnectionStringBuilder(connection) { Username = role };
        if (!string.IsNullOrEmpty(password))
        {
            builder.Password = password;
        }
        return builder.ConnectionString;
    }

    /// <summary>The user name in a connection string.</summary>
    public static string? RoleOf(string connection) => new NpgsqlConnectionStringBuilder(connection).Username;

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
