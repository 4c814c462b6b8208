using WeedGo.Web;

// Command-line modes used by ./weedgo and the container: `migrate [--demo]` and `healthcheck <url>`.
if (args.Length > 0 && args[0] is "migrate" or "healthcheck")
{
    return await Commands.RunAsync(args);
}

var builder = WebApplication.CreateBuilder(args);
builder.AddWeedGo();
var app = builder.Build();
await app.PrepareAsync();
app.MapWeedGo();
await app.RunAsync();
return 0;

public partial class Program;
