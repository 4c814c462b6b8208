using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace WeedGo.Tests.Deployment;

public sealed class ComposeFileTests
{
    private static YamlMappingNode Load()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "docker-compose.yml")))
        {
            dir = dir.Parent;
        }
        var yaml = new YamlStream();
        // Compose files use YAML merge keys (<<: *web); resolve them as Docker Compose does.
        yaml.Load(new MergingParser(new Parser(new StringReader(File.ReadAllText(Path.Combine(dir!.FullName, "docker-compose.yml"))))));
        return (YamlMappingNode)yaml.Documents[0].RootNode;
    }

    private static YamlMappingNode Service(string name) =>
        (YamlMappingNode)((YamlMappingNode)Load()["services"])[name];

    [Fact]
    public void The_database_is_postgis_15_with_a_healthcheck_and_a_named_volume()
    {
        var db = Service("db");
        Assert.StartsWith("postgis/postgis:15-3", db["image"].ToString());
        Assert.Contains("pg_isready", db["healthcheck"]["test"].ToString());
        Assert.Contains(((YamlSequenceNode)db["volumes"]).Children, v => v.ToString().StartsWith("weedgo-db:"));
        Assert.True(((YamlMappingNode)Load()["volumes"]).Children.ContainsKey("weedgo-db"));
    }

    [Fact]
    public void The_web_service_builds_the_app_waits_for_a_healthy_database_and_checks_its_own_readiness()
    {
        var web = Service("web");
        Assert.Equal("WeedGo.Web/Dockerfile", web["build"]["dockerfile"].ToString());
        Assert.Equal("service_healthy", web["depends_on"]["db"]["condition"].ToString());
        Assert.Contains("/health/ready", web["healthcheck"]["test"].ToString());
        Assert.Contains("Host=db", web["environment"]["ConnectionStrings__WeedGo"].ToString());
    }

    [Fact]
    public void The_dockerfile_publishes_weedgo_web_and_runs_as_a_non_root_user()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "WeedGo.sln")))
        {
            dir = dir.Parent;
        }
        var dockerfile = File.ReadAllText(Path.Combine(dir!.FullName, "WeedGo.Web", "Dockerfile"));
        Assert.Contains("dotnet publish WeedGo.Web/WeedGo.Web.csproj", dockerfile);
        Assert.Contains("USER $APP_UID", dockerfile);
        Assert.Contains("ENTRYPOINT [\"dotnet\", \"WeedGo.Web.dll\"]", dockerfile.Replace("\",\"", "\", \""));
    }
}
