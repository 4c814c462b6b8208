namespace WeedGo.Core.Common;

/// <summary>Nobody: the identity of background jobs (the hold-expiry sweep). Holds no roles, so it passes no policy.</summary>
public sealed class SystemUser : ICurrentUser
{
    public static SystemUser Instance { get; } = new();
    public Guid? UserId => null;
    public bool IsAuthenticated => false;
    public string? Email => null;
    public bool IsInRole(string role) => false;
    public IReadOnlyCollection<Guid> StoreIds => [];
}
