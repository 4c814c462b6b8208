using System.Data;
using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;

namespace WeedGo.Core.Data;

/// <summary>
/// Puts the context's tenant scope on every connection EF opens, for PostgreSQL row-level security
/// (<see cref="RowLevelSecurity"/>): <c>app.tenant_id</c> (the tenant, or empty) and <c>app.all_tenants</c> (<c>on</c> only for
/// the platform scope), set when the connection is opened for the lease and cleared before it goes back to the pool.
/// <para>
/// Why per lease and not per transaction: every statement EF sends, with or without a transaction, and every raw command sent
/// over the context's own connection (<c>db.Database.GetDbConnection()</c> after <c>db.Database.OpenConnectionAsync()</c>,
/// as catalogue search, import and stock holds do) runs on a connection EF opened, so all of them carry the scope. Pooled
/// connections are not reset on return (<c>No Reset On Close</c>), so the scope is cleared on close and on dispose; when that
/// fails the physical connection is thrown away rather than returned with a tenant on it. A connection opened behind EF's back
/// (<c>connection.OpenAsync()</c>) gets no scope and sees no tenant rows at all: the wall fails closed.
/// </para>
/// </summary>
public sealed class TenantSessionInterceptor : DbConnectionInterceptor
{
    private const string SetSql = "SELECT set_config('app.tenant_id', $1, false), set_config('app.all_tenants', $2, false)";
    private const string ClearSql = "SELECT set_config('app.tenant_id', '', false), set_config('app.all_tenants', '', false)";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) =>
        Scope(connection, eventData.Context as WeedGoDbContext, async: false, default).GetAwaiter().GetResult();

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default) =>
        Scope(connection, eventData.Context as WeedGoDbContext, async: true, cancellationToken);

    public override InterceptionResult ConnectionClosing(DbConnection connection, ConnectionEventData eventData, InterceptionResult result)
    {
        Clear(connection, eventData, async: false).GetAwaiter().GetResult();
        return result;
    }

    public override async ValueTask<InterceptionResult> ConnectionClosingAsync(DbConnection connection, ConnectionEventData eventData, InterceptionResult result)
    {
        await Clear(connection, eventData, async: true);
        return result;
    }

    public override InterceptionResult ConnectionDisposing(DbConnection connection, ConnectionEventData eventData, InterceptionResult result)
    {
        Clear(connection, eventData, async: false).GetAwaiter().GetResult();
        return result;
    }

    public override async ValueTask<InterceptionResult> ConnectionDisposingAsync(DbConnection connection, ConnectionEventData eventData, InterceptionResult result)
    {
        await Clear(connection, eventData, async: true);
        return result;
    }

    /// <summary>The values a scope puts in <c>app.tenant_id</c> and <c>app.all_tenants</c>.</summary>
    public static (string TenantId, string AllTenants) Values(Guid? tenantId, bool allTenants) =>
        (tenantId?.ToString() ?? "", allTenants ? "on" : "off");

    private static async Task Scope(DbConnection connection, WeedGoDbContext? db, bool async, CancellationToken ct)
    {
        if (connection is not NpgsqlConnection npgsql)
        {
            return;
        }
        var (tenant, all) = Values(db?.CurrentTenantId, db?.AllTenants == true);
        await using var cmd = new NpgsqlCommand(SetSql, npgsql);
        cmd.Parameters.Add(new NpgsqlParameter { Value = tenant });
        cmd.Parameters.Add(new NpgsqlParameter { Value = all });
        if (async)
        {
            await cmd.ExecuteNonQueryAsync(ct);
        }
        else
        {
            cmd.ExecuteNonQuery();
        }
    }

    /// <summary>
    /// Called by <see cref="WeedGoDbContext"/> as a lease ends: a connection the caller opened and never closed is cleared here
    /// (returning a pooled context does not close it through the interceptor), so neither the Npgsql pool nor the context pool
    /// hands it on with this lease's tenant.
    /// </summary>
    public static async ValueTask ReleaseAsync(WeedGoDbContext db, bool async)
    {
        var connection = db.Database.GetDbConnection();
        if (connection.State == ConnectionState.Open)
        {
            await Clear(connection, db, async);
            if (async)
            {
                await db.Database.CloseConnectionAsync();
            }
            else
            {
                db.Database.CloseConnection();
            }
        }
    }

    private static Task Clear(DbConnection connection, ConnectionEventData eventData, bool async) =>
        Clear(connection, eventData.Context, async);

    private static async Task Clear(DbConnection connection, DbContext? context, bool async)
    {
        if (connection is not NpgsqlConnection npgsql || npgsql.State != ConnectionState.Open)
        {
            return;
        }
        if (context?.Database.CurrentTransaction is not null)
        {
            // A clear inside a transaction that is then rolled back would be undone with it.
            NpgsqlConnection.ClearPool(npgsql);
            return;
        }
        try
        {
            await using var cmd = new NpgsqlCommand(ClearSql, npgsql);
            if (async)
            {
                await cmd.ExecuteNonQueryAsync();
            }
            else
            {
                cmd.ExecuteNonQuery();
            }
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
        {
            // Busy (an open reader), inside a failed transaction, or broken: never hand this connection to the next lease.
            NpgsqlConnection.ClearPool(npgsql);
        }
    }
}
