using System.Collections.Concurrent;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Primitives;
using WeedGo.Core.Live;

namespace WeedGo.Web.Storefront;

/// <summary>Settings of the anonymous storefront page cache (<c>WeedGo:Storefront</c>).</summary>
public sealed class StorefrontCacheOptions
{
    public const string Section = "WeedGo:Storefront";

    /// <summary>How long a rendered menu or product page is reused for anonymous visitors; 0 turns the cache off.</summary>
    public int PageCacheSeconds { get; set; } = 10;

    /// <summary>The most memory the cached pages may take, in megabytes.</summary>
    public int PageCacheMegabytes { get; set; } = 64;
}

/// <summary>
/// Rendered storefront pages (menu and product pages) kept for a few seconds and shared by anonymous visitors who would get
/// exactly the same HTML: same host (tenant), path, menu query, confirmed age, theme and remembered store. A stock change at
/// a store (or a menu change such as a price or promotion) evicts that store's pages at once; everything else ages out after
/// <see cref="StorefrontCacheOptions.PageCacheSeconds"/>. Only the body is kept: cookies and other per-visitor headers are
/// produced for every request by the middleware before this one. Signed-in people are never served from it.
/// </summary>
public sealed class StorePageCache : IDisposable
{
    /// <summary>The page puts its store's id here while prerendering, so the cached page can be evicted with the store.</summary>
    public const string StoreIdItem = "weedgo.page-store-id";

    /// <summary>The page puts anything here when what it rendered belongs to this visitor only (a rate limit refused their
    /// search): it is sent to them and not shared.</summary>
    public const string NotSharedItem = "weedgo.page-not-shared";

    private readonly MemoryCache _pages;
    private readonly ConcurrentDictionary<Guid, StoreTokens> _stores = new();
    private readonly ConcurrentDictionary<string, Task<CachedPage?>> _rendering = new(StringComparer.Ordinal);
    private readonly List<IDisposable> _subscriptions = [];
    private readonly TimeProvider _clock;

    public StorePageCache(ILiveEvents live, Microsoft.Extensions.Options.IOptions<StorefrontCacheOptions> options, TimeProvider clock)
    {
        _clock = clock;
        Lifetime = TimeSpan.FromSeconds(Math.Max(0, options.Value.PageCacheSeconds));
        _pages = new MemoryCache(new MemoryCacheOptions { SizeLimit = Math.Max(1, options.Value.PageCacheMegabytes) * 1024L * 1024L });
        _subscriptions.Add(live.Subscribe<StockChanged>(null, e => Evict(e.StoreId)));
        _subscriptions.Add(live.Subscribe<MenuChanged>(null, e => Evict(e.StoreId)));
    }

    public TimeSpan Lifetime { get; }

    public bool Enabled => Lifetime > TimeSpan.Zero;

    /// <summary>Pages served from the cache and pages rendered for it since start (for the bench and the logs).</summary>
    public long Hits => Interlocked.Read(ref _hits);

    public long Renders => Interlocked.Read(ref _renders);

    private long _hits;
    private long _renders;

    public bool TryGet(string key, out CachedPage page)
    {
        // Also aged by the app's clock (not only the cache's own): a clock moved by tests or corrected by NTP never serves
        // a page from another time (e.g. a happy hour's prices after it ended).
        if (_pages.TryGetValue(key, out CachedPage? found) && found is not null
            && _clock.GetUtcNow() - found.RenderedAt is var age && age >= TimeSpan.Zero && age < Lifetime)
        {
            Interlocked.Increment(ref _hits);
            page = found;
            return true;
        }
        page = default!;
        return false;
    }

    /// <summary>
    /// Renders the page once for everybody asking for <paramref name="key"/> at the same moment: the first caller renders,
    /// the others wait for its result. Null means the page could not be cached (the caller renders its own).
    /// </summary>
    public Task<CachedPage?> RenderOnceAsync(string key, Func<Task<CachedPage?>> render, out bool leader)
    {
        var mine = new TaskCompletionSource<CachedPage?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var task = _rendering.GetOrAdd(key, mine.Task);
        leader = ReferenceEquals(task, mine.Task);
        if (!leader)
        {
            return task;
        }
        _ = RunAsync(key, render, mine);
        return mine.Task;
    }

    private async Task RunAsync(string key, Func<Task<CachedPage?>> render, TaskCompletionSource<CachedPage?> done)
    {
        try
        {
            done.TrySetResult(await render());
        }
        catch (Exception ex)
        {
            done.TrySetException(ex);
        }
        finally
        {
            _rendering.TryRemove(key, out _);
        }
    }

    public DateTimeOffset UtcNow => _clock.GetUtcNow();

    /// <summary>Marks the start of a render, so a store change during it keeps the (possibly stale) result out.</summary>
    public long Now() => _clock.GetTimestamp();

    /// <summary>Keeps a rendered page unless its store changed since <paramref name="renderStarted"/>.</summary>
    public void Store(string key, CachedPage page, Guid storeId, long renderStarted)
    {
        Interlocked.Increment(ref _renders);
        var tokens = _stores.GetOrAdd(storeId, _ => new StoreTokens());
        var source = tokens.Current;
        if (tokens.LastEvicted >= renderStarted)
        {
            return;
        }
        using var entry = _pages.CreateEntry(key);
        entry.Value = page;
        entry.Size = page.Body.Length + key.Length * 2 + 256;
        entry.AbsoluteExpirationRelativeToNow = Lifetime;
        entry.AddExpirationToken(new CancellationChangeToken(source.Token));
    }

    private Task Evict(Guid? storeId)
    {
        var now = _clock.GetTimestamp();
        if (storeId is { } id)
        {
            _stores.GetOrAdd(id, _ => new StoreTokens()).Evict(now);
        }
        else
        {
            // A change for every store of a tenant (e.g. a promotion): rare, so every cached page goes.
            foreach (var tokens in _stores.Values)
            {
                tokens.Evict(now);
            }
        }
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        foreach (var s in _subscriptions)
        {
            s.Dispose();
        }
        _pages.Dispose();
    }

    private sealed class StoreTokens
    {
        private CancellationTokenSource _current = new();

        public CancellationTokenSource Current => Volatile.Read(ref _current);

        public long LastEvicted { get; private set; }

        public void Evict(long at)
        {
            LastEvicted = at;
            // Not disposed: a page being stored right now may still register on the old token (it is then evicted at once).
            Interlocked.Exchange(ref _current, new CancellationTokenSource()).Cancel();
        }
    }
}

/// <summary>A rendered page: its HTML and content type.</summary>
public sealed record CachedPage(byte[] Body, string ContentType, DateTimeOffset RenderedAt);
