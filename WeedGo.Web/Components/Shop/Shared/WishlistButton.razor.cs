using Microsoft.AspNetCore.Components;
using MudBlazor;
using WeedGo.Core.Common;
using WeedGo.Core.Ordering;

namespace WeedGo.Web.Components.Shop.Shared;

/// <summary>The heart toggle for product cards (see the comment in WishlistButton.razor).</summary>
public partial class WishlistButton
{
    [Parameter, EditorRequired] public Guid StoreId { get; set; }
    [Parameter, EditorRequired] public Guid ProductId { get; set; }
    /// <summary>Whether it is on the list already; null: the button asks the service itself.</summary>
    [Parameter] public bool? Saved { get; set; }
    [Parameter] public EventCallback<bool> SavedChanged { get; set; }
    /// <summary>For the screen-reader label ("Save Blue Dream 3.5 g to your wishlist").</summary>
    [Parameter] public string? ProductName { get; set; }
    [Parameter] public Size Size { get; set; } = Size.Medium;

    [Inject] private WishlistService Wishlist { get; set; } = default!;
    [Inject] private ICurrentUser User { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;

    private bool? _saved;
    private bool _busy;

    private bool IsSaved => _saved ?? false;

    protected override async Task OnParametersSetAsync()
    {
        if (Saved is not null)
        {
            _saved = Saved;
        }
        else if (_saved is null && User.UserId is not null)
        {
            var saved = (await Wishlist.ProductIdsAsync(StoreId)).Contains(ProductId);
            _saved ??= saved; // a click that landed while this was loading already knows better
        }
    }

    private async Task ToggleAsync()
    {
        if (User.UserId is null)
        {
            var back = "/" + Navigation.ToBaseRelativePath(Navigation.Uri);
            Snackbar.Add("Sign in to keep a wishlist.", Severity.Info, o =>
            {
                o.Action = "Sign in";
                o.ActionColor = Color.Primary;
                o.OnClick = _ =>
                {
                    Navigation.NavigateTo("Account/Login?ReturnUrl=" + Uri.EscapeDataString(back), forceLoad: true);
                    return Task.CompletedTask;
                };
            });
            return;
        }
        _busy = true;
        try
        {
            var result = await Wishlist.ToggleAsync(StoreId, ProductId);
            if (!result.Succeeded)
            {
                Snackbar.Add(result.Error!.Message, Severity.Error);
                return;
            }
            _saved = result.Value;
            Snackbar.Add($"{ProductName ?? "It"} is {(result.Value ? "on" : "off")} your wishlist.", Severity.Success);
            await SavedChanged.InvokeAsync(result.Value);
        }
        finally
        {
            _busy = false;
        }
    }
}
