using Bunit;
using MudBlazor.Services;

namespace WeedGo.Tests.Components;

/// <summary>bUnit context with MudBlazor services; MudBlazor's services are async-disposable, hence IAsyncLifetime.</summary>
public abstract class BunitTestBase : IAsyncLifetime
{
    protected BunitContext Context { get; } = new();

    protected BunitTestBase()
    {
        Context.JSInterop.Mode = JSRuntimeMode.Loose;
        Context.Services.AddMudServices();
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await Context.DisposeAsync();
}
