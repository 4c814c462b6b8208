using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace WeedGo.Tests.Chat;

/// <summary>
/// A small OpenAI-compatible chat-completions server on a loopback port: each request is recorded (its JSON body) and answered
/// with the next scripted response, streamed as server-sent events the way the real API streams (text deltas, tool-call deltas,
/// a final usage chunk, <c>[DONE]</c>). Only the real HTTP client, function invocation and usage code sit between the test and it.
/// </summary>
public sealed class FakeOpenAiServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<Scripted> _script = new();

    public List<JsonElement> Requests { get; } = [];
    public string BaseUrl { get; }

    /// <summary>A scripted answer: text (streamed in <paramref name="Chunks"/> pieces) or tool calls, with the usage it reports;
    /// or an HTTP error status.</summary>
    public sealed record Scripted(IReadOnlyList<string>? Chunks = null, IReadOnlyList<(string Name, string ArgumentsJson)>? ToolCalls = null,
        int PromptTokens = 10, int CompletionTokens = 5, int Status = 200);

    private FakeOpenAiServer(WebApplication app, string baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
    }

    public static async Task<FakeOpenAiServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        FakeOpenAiServer? server = null;
        app.MapPost("/v1/chat/completions", async (HttpContext ctx) =>
        {
            using var body = await JsonDocument.ParseAsync(ctx.Request.Body);
            lock (server!.Requests)
            {
                server.Requests.Add(body.RootElement.Clone());
            }
            if (!server._script.TryDequeue(out var next))
            {
                next = new Scripted(Chunks: ["(no scripted answer)"]);
            }
            if (next.Status != 200)
            {
                ctx.Response.StatusCode = next.Status;
                await ctx.Response.WriteAsJsonAsync(new { error = new { message = "scripted failure", type = "server_error" } });
                return;
            }
            ctx.Response.ContentType = "text/event-stream";
            foreach (var chunk in Chunks(next))
            {
                await ctx.Response.WriteAsync("data: " + chunk + "\n\n");
                await ctx.Response.Body.FlushAsync();
            }
            await ctx.Response.WriteAsync("data: [DONE]\n\n");
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server = new FakeOpenAiServer(app, address.TrimEnd('/') + "/v1");
        return server;
    }

    public FakeOpenAiServer Then(Scripted answer)
    {
        _script.Enqueue(answer);
        return this;
    }

    public FakeOpenAiServer ThenText(string text, int promptTokens = 10, int completionTokens = 5) =>
        Then(new Scripted(Chunks: text.Split(' ').Select((w, i) => i == 0 ? w : " " + w).ToList(), PromptTokens: promptTokens, CompletionTokens: completionTokens));

    public FakeOpenAiServer ThenTool(string name, string argumentsJson, int promptTokens = 10, int completionTokens = 5) =>
        Then(new Scripted(ToolCalls: [(name, argumentsJson)], PromptTokens: promptTokens, CompletionTokens: completionTokens));

    public int RequestCount
    {
        get
        {
            lock (Requests)
            {
                return Requests.Count;
            }
        }
    }

    private static IEnumerable<string> Chunks(Scripted s)
    {
        var id = "chatcmpl-" + Guid.NewGuid().ToString("N");
        object Chunk(object delta, string? finish) => new
        {
            id, @object = "chat.completion.chunk", created = 1_700_000_000, model = "fake-model",
            choices = new[] { new { index = 0, delta, finish_reason = finish } },
        };
        yield return JsonSerializer.Serialize(Chunk(new { role = "assistant", content = "" }, null));
        if (s.ToolCalls is { } calls)
        {
            for (var i = 0; i < calls.Count; i++)
            {
                var (name, args) = calls[i];
                yield return JsonSerializer.Serialize(Chunk(new
                {
                    tool_calls = new[] { new { index = i, id = $"call_{i}_{Guid.NewGuid():N}", type = "function", function = new { name, arguments = args } } },
                }, null));
            }
            yield return JsonSerializer.Serialize(Chunk(new { }, "tool_calls"));
        }
        else
        {
            foreach (var piece in s.Chunks ?? [])
            {
                yield return JsonSerializer.Serialize(Chunk(new { content = piece }, null));
            }
            yield return JsonSerializer.Serialize(Chunk(new { }, "stop"));
        }
        yield return JsonSerializer.Serialize(new
        {
            id, @object = "chat.completion.chunk", created = 1_700_000_000, model = "fake-model", choices = Array.Empty<object>(),
            usage = new { prompt_tokens = s.PromptTokens, completion_tokens = s.CompletionTokens, total_tokens = s.PromptTokens + s.CompletionTokens },
        });
    }

    /// <summary>The messages of request <paramref name="index"/> as raw JSON text (what the model was sent).</summary>
    public string MessagesOf(int index)
    {
        lock (Requests)
        {
            return Requests[index].GetProperty("messages").GetRawText();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
