using Bunit;
using MudBlazor.Services;

namespace WeedGo.Tests.Components;

/// <summary>bUnit context with MudBlazor services; MudBlazor's services are async-disposable, hence IAsyncLifetime.</summary>
public abstract class BunitTestBase : IAsyncLifetime
{
    protected BunitContext Context { get; } = new();

    protected BunitTestBase()
    {
        // Components here load from a real database; on a busy 2-core machine the first render can take a few seconds.
        BunitContext.DefaultWaitTimeout = TimeSpan.FromSeconds(15);
        Context.JSInterop.Mode = JSRuntimeMode.Loose;
        Context.Services.AddMudServices();
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await Context.DisposeAsync();
}
