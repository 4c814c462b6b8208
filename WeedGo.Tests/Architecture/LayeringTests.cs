using System.Reflection;
using System.Text.RegularExpressions;

namespace WeedGo.Tests.Architecture;

public sealed class LayeringTests
{
    private static readonly string Root = FindRoot();

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "WeedGo.sln")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("WeedGo.sln not found above the test folder.");
    }

    [Fact]
    public void Core_references_no_web_or_ui_assembly()
    {
        var references = typeof(Core.Data.WeedGoDbContext).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();
        Assert.DoesNotContain(references, n => n.StartsWith("MudBlazor") || n.StartsWith("WeedGo.Web")
            || n.StartsWith("Microsoft.AspNetCore.Components") || n.StartsWith("Microsoft.AspNetCore.Mvc") || n.StartsWith("Microsoft.AspNetCore.SignalR"));
    }

    [Fact]
    public void Components_never_inject_a_db_context()
    {
        var offenders = Directory.EnumerateFiles(Path.Combine(Root, "WeedGo.Web", "Components"), "*.razor", SearchOption.AllDirectories)
            .Where(f => Regex.IsMatch(File.ReadAllText(f), @"@inject\s+[\w.<>]*(DbContext|IDbContextFactory)"))
            .Select(Path.GetFileName)
            .ToList();
        Assert.Empty(offenders);
    }

    [Fact]
    public void Every_staff_page_demands_a_policy()
    {
        var pages = typeof(Program).Assembly.GetTypes()
            .Where(t => t.Namespace?.StartsWith("WeedGo.Web.Components.Admin") == true || t.Namespace?.StartsWith("WeedGo.Web.Components.Driver") == true)
            .Where(t => t.GetCustomAttributes<Microsoft.AspNetCore.Components.RouteAttribute>().Any())
            .ToList();
        Assert.NotEmpty(pages);
        Assert.All(pages, p =>
        {
            var authorize = p.GetCustomAttribute<Microsoft.AspNetCore.Authorization.AuthorizeAttribute>();
            Assert.True(authorize?.Policy is { Length: > 0 }, $"{p.Name} has no [Authorize(Policy = …)]");
        });
    }

    [Fact]
    public void Asp_net_core_and_ef_core_packages_stay_on_10_0()
    {
        var props = File.ReadAllText(Path.Combine(Root, "Directory.Packages.props"));
        Assert.Matches(@"<AspNetCoreVersion>10\.0\.\d+</AspNetCoreVersion>", props);
        Assert.Matches(@"<EfCoreVersion>10\.0\.\d+</EfCoreVersion>", props);
    }
}
