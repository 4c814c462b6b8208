using System.Collections.Concurrent;
using System.ClientModel;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenAI;

namespace WeedGo.Core.Chat;

// The chat model's message, not the conversation entity of the same name in this namespace.
using AiChatMessage = Microsoft.Extensions.AI.ChatMessage;

/// <summary>What one reply cost: inner model calls (0 when the cache answered) and the tokens they reported.</summary>
public sealed class UsageMeter
{
    public int Calls { get; set; }
    public long InputTokens { get; set; }
    public long OutputTokens { get; set; }

    public void Add(UsageDetails? details)
    {
        InputTokens += details?.InputTokenCount ?? 0;
        OutputTokens += details?.OutputTokenCount ?? 0;
    }
}

/// <summary>Counts the calls that reach the model (below the cache) and adds up the usage they report.</summary>
public sealed class UsageRecordingChatClient(IChatClient inner, UsageMeter meter) : DelegatingChatClient(inner)
{
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<AiChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        meter.Calls++;
        var response = await base.GetResponseAsync(messages, options, cancellationToken);
        meter.Add(response.Usage);
        return response;
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<AiChatMessage> messages, ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        meter.Calls++;
        await foreach (var update in base.GetStreamingResponseAsync(messages, options, cancellationToken))
        {
            foreach (var usage in update.Contents.OfType<UsageContent>())
            {
                meter.Add(usage.Details);
            }
            yield return update;
        }
    }
}

/// <summary>
/// Response caching over <see cref="IDistributedCache"/>: the same question in the same context (store, provider, model,
/// personality, the system prompt with the customer's remembered preferences, and the conversation so far) gets the stored
/// answer, tool results and product cards included. A reply that called a tool which changed or read the customer's own state
/// (add to cart, their orders, hand-off, memory) is never stored.
/// </summary>
public sealed class AssistantCachingChatClient : CachingChatClient
{
    private readonly IDistributedCache _cache;
    private readonly TimeSpan _ttl;
    private readonly string _context;
    private readonly IReadOnlySet<string> _uncacheable;

    public AssistantCachingChatClient(IChatClient inner, IDistributedCache cache, TimeSpan ttl, string context, IReadOnlySet<string> uncacheableTools)
        : base(inner)
    {
        _cache = cache;
        _ttl = ttl;
        _context = context;
        _uncacheable = uncacheableTools;
        CoalesceStreamingUpdates = false;
    }

    private static JsonSerializerOptions Json => AIJsonUtilities.DefaultOptions;

    protected override string GetCacheKey(IEnumerable<AiChatMessage> messages, ChatOptions? options, params ReadOnlySpan<object?> additionalValues)
    {
        var sb = new StringBuilder("weedgo-assistant:v1\n").Append(_context).Append('\n');
        foreach (var m in messages)
        {
            sb.Append(m.Role.Value).Append(':').Append(m.Text.Trim().ToLowerInvariant()).Append('\n');
        }
        return "assistant:" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(sb.ToString())));
    }

    protected override async Task<ChatResponse?> ReadCacheAsync(string key, CancellationToken cancellationToken) =>
        await _cache.GetAsync(key, cancellationToken) is { } bytes ? JsonSerializer.Deserialize<ChatResponse>(bytes, Json) : null;

    protected override async Task<IReadOnlyList<ChatResponseUpdate>?> ReadCacheStreamingAsync(string key, CancellationToken cancellationToken) =>
        await _cache.GetAsync(key, cancellationToken) is { } bytes ? JsonSerializer.Deserialize<List<ChatResponseUpdate>>(bytes, Json) : null;

    protected override Task WriteCacheAsync(string key, ChatResponse value, CancellationToken cancellationToken) =>
        Cacheable(value.Messages.SelectMany(m => m.Contents))
            ? _cache.SetAsync(key, JsonSerializer.SerializeToUtf8Bytes(value, Json), Entry, cancellationToken)
            : Task.CompletedTask;

    protected override Task WriteCacheStreamingAsync(string key, IReadOnlyList<ChatResponseUpdate> value, CancellationToken cancellationToken) =>
        Cacheable(value.SelectMany(u => u.Contents))
            ? _cache.SetAsync(key, JsonSerializer.SerializeToUtf8Bytes(value, Json), Entry, cancellationToken)
            : Task.CompletedTask;

    private DistributedCacheEntryOptions Entry => new() { AbsoluteExpirationRelativeToNow = _ttl };

    private bool Cacheable(IEnumerable<AIContent> contents) =>
        !contents.OfType<FunctionCallContent>().Any(c => _uncacheable.Contains(c.Name))
        && !contents.OfType<ErrorContent>().Any();
}

/// <summary>Makes the inner client for a store's provider; OpenAI-compatible clients are reused per endpoint, model and key.</summary>
public sealed class ChatClientFactory(IOptionsMonitor<AssistantOptions> options)
{
    public const string DefaultOpenAIBaseUrl = "https://api.openai.com/v1";
    public const string DefaultOpenAIModel = "gpt-4o-mini";
    public const string DefaultOllamaModel = "llama3.1";

    private readonly ConcurrentDictionary<string, IChatClient> _clients = new();
    private readonly BuiltInAssistantClient _builtIn = new();

    public IChatClient BuiltIn => _builtIn;

    /// <summary>The client for the settings, or the reason it cannot be made (e.g. the named key is not configured).</summary>
    public (IChatClient? Client, string Model, string? Problem) Create(StoreAiSettings settings)
    {
        var o = options.CurrentValue;
        switch (settings.Provider)
        {
            case AssistantProvider.OpenAI:
            {
                var model = string.IsNullOrWhiteSpace(settings.Model) ? DefaultOpenAIModel : settings.Model.Trim();
                if (string.IsNullOrWhiteSpace(settings.ApiKeyName) || !o.Keys.TryGetValue(settings.ApiKeyName.Trim(), out var key) || string.IsNullOrWhiteSpace(key))
                {
                    return (null, model, $"the API key \"{settings.ApiKeyName}\" is not configured (WeedGo:Assistant:Keys:{settings.ApiKeyName})");
                }
                var baseUrl = string.IsNullOrWhiteSpace(settings.BaseUrl) ? DefaultOpenAIBaseUrl : settings.BaseUrl.Trim();
                return (OpenAICompatible(baseUrl, model, key, o.ModelTimeout), model, null);
            }
            case AssistantProvider.Ollama:
            {
                var model = string.IsNullOrWhiteSpace(settings.Model) ? DefaultOllamaModel : settings.Model.Trim();
                var baseUrl = (string.IsNullOrWhiteSpace(settings.BaseUrl) ? o.OllamaBaseUrl : settings.BaseUrl.Trim()).TrimEnd('/');
                // Ollama serves the OpenAI chat-completions API under /v1; it ignores the key.
                var endpoint = baseUrl.EndsWith("/v1", StringComparison.OrdinalIgnoreCase) ? baseUrl : baseUrl + "/v1";
                var key = settings.ApiKeyName is { Length: > 0 } name && o.Keys.TryGetValue(name, out var k) ? k : "ollama";
                return (OpenAICompatible(endpoint, model, key, o.ModelTimeout), model, null);
            }
            default:
                return (_builtIn, BuiltInAssistantClient.ModelId, null);
        }
    }

    private IChatClient OpenAICompatible(string endpoint, string model, string key, TimeSpan timeout)
    {
        var id = $"{endpoint}|{model}|{Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..16]}";
        return _clients.GetOrAdd(id, _ =>
        {
            var client = new OpenAI.Chat.ChatClient(model, new ApiKeyCredential(key),
                new OpenAIClientOptions { Endpoint = new Uri(endpoint), NetworkTimeout = timeout });
            return client.AsIChatClient();
        });
    }

    /// <summary>The same wrapping for every client: cache (outermost), usage meter, function invocation, OpenTelemetry.</summary>
    public static IChatClient Wrap(IChatClient inner, UsageMeter meter, IDistributedCache? cache, TimeSpan cacheFor, string cacheContext,
        IReadOnlySet<string> uncacheableTools, ILoggerFactory loggers, IServiceProvider services)
    {
        var builder = new ChatClientBuilder(inner);
        if (cache is not null && cacheFor > TimeSpan.Zero)
        {
            builder.Use(c => new AssistantCachingChatClient(c, cache, cacheFor, cacheContext, uncacheableTools));
        }
        return builder
            .Use(c => new UsageRecordingChatClient(c, meter))
            .UseFunctionInvocation(loggers, fi =>
            {
                fi.MaximumIterationsPerRequest = 6;
                fi.AllowConcurrentInvocation = false;
                fi.IncludeDetailedErrors = false;
            })
            .UseOpenTelemetry(loggers, AssistantService.TelemetrySource)
            .Build(services);
    }
}
