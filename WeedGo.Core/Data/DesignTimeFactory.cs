using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace WeedGo.Core.Data;

/// <summary>Lets <c>dotnet ef</c> build the context without starting the web app.</summary>
public sealed class DesignTimeFactory : IDesignTimeDbContextFactory<WeedGoDbContext>
{
    public WeedGoDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<WeedGoDbContext>();
        DependencyInjection.ConfigureDatabase(options, ConnectionStrings.Resolve(null));
        return new WeedGoDbContext(options.Options);
    }
}
