using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Harness.ClaudeCode.Tests.FakeApi;

/// <summary>
/// A scripted Anthropic Messages API on 127.0.0.1 for the real Claude Code CLI: <c>POST /v1/messages</c>
/// answered as server-sent events (message_start with the usage, content blocks with their deltas,
/// message_delta with the output tokens, message_stop), errors as the API sends them (status, JSON
/// body, <c>retry-after</c>), and <c>count_tokens</c>. Each new Claude Code session (its
/// <c>X-Claude-Code-Session-Id</c>) plays the next script; requests without tools (the CLI's side
/// queries) get a short text. It bills every answer it sends like the API does: its usage at the
/// model's list price (<see cref="BilledUsd"/>), the truth a session's recorded cost is checked against.
/// </summary>
public sealed class FakeAnthropicApi : IDisposable
{
    private readonly HttpListener _listener;
    private readonly Task _serving;
    private readonly object _gate = new();
    private readonly Queue<Turn[]> _scripts = new();
    private readonly Dictionary<string, SessionPlay> _sessions = new(StringComparer.Ordinal);
    private readonly List<ApiRequest> _requests = [];
    private decimal _billed;
    private int _messages;

    public FakeAnthropicApi()
    {
        (_listener, Url) = Listen();
        _serving = Task.Run(ServeAsync);
    }

    /// <summary>An API on a given port: one that starts answering where nothing listened before (a connection that comes back).</summary>
    public FakeAnthropicApi(int port)
    {
        Url = $"http://127.0.0.1:{port}";
        _listener = new HttpListener();
        _listener.Prefixes.Add(Url + "/");
        _listener.Start();
        _serving = Task.Run(ServeAsync);
    }

    /// <summary>A port nothing listens on now (the kernel's pick, closed again at once).</summary>
    public static int FreePort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    /// <summary>The base URL for <c>ANTHROPIC_BASE_URL</c>.</summary>
    public string Url { get; }

    /// <summary>What the API has billed so far, over every answer it sent.</summary>
    public decimal BilledUsd
    {
        get
        {
            lock (_gate) return _billed;
        }
    }

    /// <summary>Every request, in arrival order.</summary>
    public IReadOnlyList<ApiRequest> Requests
    {
        get
        {
            lock (_gate) return _requests.ToList();
        }
    }

    /// <summary>Queues one script per Claude Code session to come, in order; a session past its script's end gets "Done.".</summary>
    public FakeAnthropicApi Script(params Turn[][] sessions)
    {
        lock (_gate)
        {
            foreach (var session in sessions) _scripts.Enqueue(session);
        }

        return this;
    }

    /// <summary>The list price the fake bills a model at (US dollars per million tokens), as the real API charges and Claude Code 2.1.332 reports it.</summary>
    public static (decimal Input, decimal Output, decimal CacheRead, decimal CacheWrite5m, decimal CacheWrite1h) PriceOf(string model) => model switch
    {
        _ when model.StartsWith("claude-sonnet-4", StringComparison.Ordinal) => (3m, 15m, 0.3m, 3.75m, 6m),
        _ when model.StartsWith("claude-haiku-4-5", StringComparison.Ordinal) => (1m, 5m, 0.1m, 1.25m, 2m),
        _ when model.StartsWith("claude-opus-4-6", StringComparison.Ordinal) => (5m, 25m, 0.5m, 6.25m, 10m),
        _ => (4m, 20m, 0.2m, 5m, 8m), // claude-opus-5-5, the CLI's default model, and what it charges for models it does not know
    };

    public void Dispose()
    {
        _listener.Close();
        try
        {
            _serving.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
        }
    }

    private static (HttpListener, string) Listen()
    {
        for (var attempt = 0; ; attempt++)
        {
            // A free port from the kernel; another process may take it before HttpListener does, so retry.
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            var url = $"http://127.0.0.1:{port}";
            var listener = new HttpListener();
            listener.Prefixes.Add(url + "/");
            try
            {
                listener.Start();
                return (listener, url);
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                listener.Close();
            }
        }
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _ = Task.Run(() => HandleAsync(context));
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        var response = context.Response;
        try
        {
            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            var body = await reader.ReadToEndAsync().ConfigureAwait(false);
            var path = context.Request.Url?.AbsolutePath ?? "";
            var sessionId = context.Request.Headers["X-Claude-Code-Session-Id"] ?? "";
            if (context.Request.HttpMethod != "POST" || !path.StartsWith("/v1/messages", StringComparison.Ordinal))
            {
                Record(new ApiRequest(sessionId, context.Request.HttpMethod + " " + path, null, -1, body.Length, null, "404"));
                await WriteJsonAsync(response, 404, """{"type":"error","error":{"type":"not_found_error","message":"the fake API serves /v1/messages only"}}""", null).ConfigureAwait(false);
                return;
            }

            var request = JsonNode.Parse(body)!.AsObject();
            var model = (string?)request["model"] ?? "claude-opus-5-5";
            if (path.EndsWith("/count_tokens", StringComparison.Ordinal))
            {
                Record(new ApiRequest(sessionId, "count_tokens", model, -1, body.Length, null, "200"));
                await WriteJsonAsync(response, 200, $$"""{"input_tokens":{{PromptTokens(body)}}}""", null).ConfigureAwait(false);
                return;
            }

            var main = request["tools"] is JsonArray { Count: > 0 };
            var (turn, index) = main ? NextTurn(sessionId) : (new TextTurn("ok"), -1);
            var lastUser = LastUserContent(request);
            if (turn is ErrorTurn error)
            {
                Record(new ApiRequest(sessionId, "messages", model, index, body.Length, lastUser, error.Status.ToString(CultureInfo.InvariantCulture)));
                var payload = new JsonObject { ["type"] = "error", ["error"] = new JsonObject { ["type"] = error.Type, ["message"] = error.Message } };
                await WriteJsonAsync(response, error.Status, payload.ToJsonString(), error.RetryAfterSeconds).ConfigureAwait(false);
                return;
            }

            Record(new ApiRequest(sessionId, "messages", model, index, body.Length, lastUser, "200"));
            var usage = UsageFor(sessionId, body, main);
            var blocks = Blocks(turn);
            var output = OutputTokens(blocks);
            var messageId = "msg_fake_" + Interlocked.Increment(ref _messages).ToString("D6", CultureInfo.InvariantCulture);
            if ((bool?)request["stream"] == true)
            {
                await StreamAsync(response, messageId, model, usage, blocks, output, turn is ToolTurn ? "tool_use" : "end_turn").ConfigureAwait(false);
            }
            else
            {
                var message = Message(messageId, model, usage, output, blocks, turn is ToolTurn ? "tool_use" : "end_turn");
                await WriteJsonAsync(response, 200, message.ToJsonString(), null).ConfigureAwait(false);
            }

            Bill(model, usage, output);
        }
        catch (Exception ex) when (ex is HttpListenerException or IOException or ObjectDisposedException)
        {
            // The CLI went away mid-answer (killed): what was not sent is not billed.
        }
        finally
        {
            try
            {
                response.Close();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
            }
        }
    }

    private (Turn Turn, int Index) NextTurn(string sessionId)
    {
        lock (_gate)
        {
            if (!_sessions.TryGetValue(sessionId, out var play))
            {
                play = new SessionPlay(_scripts.Count > 0 ? _scripts.Dequeue() : []);
                _sessions[sessionId] = play;
            }

            var index = play.Next++;
            return (index < play.Script.Length ? play.Script[index] : new TextTurn("Done."), index);
        }
    }

    /// <summary>
    /// Usage as prompt caching makes it: the first request of a session writes its prompt to the cache,
    /// later ones read what an earlier request cached and write only what grew; a few tokens stay uncached.
    /// </summary>
    private Usage UsageFor(string sessionId, string body, bool main)
    {
        var prompt = PromptTokens(body);
        const long uncached = 4;
        if (!main)
        {
            return new Usage(prompt, 0, 0);
        }

        lock (_gate)
        {
            var play = _sessions[sessionId];
            var read = Math.Min(play.Cached, prompt - uncached);
            var write = Math.Max(0, prompt - uncached - read);
            play.Cached = read + write;
            return new Usage(uncached, read, write);
        }
    }

    private static long PromptTokens(string body) => Math.Max(8, Encoding.UTF8.GetByteCount(body) / 4);

    private void Bill(string model, Usage usage, long output)
    {
        var price = PriceOf(model);
        var usd = ((usage.Input * price.Input) + (usage.CacheRead * price.CacheRead) + (usage.CacheWrite * price.CacheWrite5m) + (output * price.Output)) / 1_000_000m;
        lock (_gate) _billed += usd;
    }

    private void Record(ApiRequest request)
    {
        lock (_gate) _requests.Add(request);
    }

    private static JsonArray Blocks(Turn turn) => turn switch
    {
        ToolTurn tool => tool.Text is null
            ? [ToolUse(tool)]
            : [new JsonObject { ["type"] = "text", ["text"] = tool.Text }, ToolUse(tool)],
        TextTurn text => [new JsonObject { ["type"] = "text", ["text"] = text.Text }],
        _ => throw new InvalidOperationException($"not an answer: {turn}"),
    };

    private static JsonObject ToolUse(ToolTurn tool) => new()
    {
        ["type"] = "tool_use",
        ["id"] = "toolu_fake_" + Guid.NewGuid().ToString("N")[..20],
        ["name"] = tool.Name,
        ["input"] = tool.Input.DeepClone(),
    };

    /// <summary>What the model "wrote": about a token per four bytes of its content, plus the reasoning a real model spends.</summary>
    private static long OutputTokens(JsonArray blocks) => 40 + (Encoding.UTF8.GetByteCount(blocks.ToJsonString()) / 4);

    private static JsonObject UsageJson(Usage usage, long output) => new()
    {
        ["input_tokens"] = usage.Input,
        ["cache_creation_input_tokens"] = usage.CacheWrite,
        ["cache_read_input_tokens"] = usage.CacheRead,
        ["cache_creation"] = new JsonObject { ["ephemeral_5m_input_tokens"] = usage.CacheWrite, ["ephemeral_1h_input_tokens"] = 0 },
        ["output_tokens"] = output,
        ["service_tier"] = "standard",
    };

    private static JsonObject Message(string id, string model, Usage usage, long output, JsonArray content, string? stopReason) => new()
    {
        ["id"] = id,
        ["type"] = "message",
        ["role"] = "assistant",
        ["model"] = model,
        ["content"] = content,
        ["stop_reason"] = stopReason,
        ["stop_sequence"] = null,
        ["usage"] = UsageJson(usage, output),
    };

    private static async Task StreamAsync(HttpListenerResponse response, string id, string model, Usage usage, JsonArray blocks, long output, string stopReason)
    {
        response.StatusCode = 200;
        response.ContentType = "text/event-stream";
        response.Headers["Cache-Control"] = "no-cache";
        response.Headers["request-id"] = "req_fake_" + id[9..];
        response.SendChunked = true;
        response.KeepAlive = false;
        var stream = response.OutputStream;

        async Task Event(string name, JsonObject data)
        {
            var bytes = Encoding.UTF8.GetBytes($"event: {name}\ndata: {data.ToJsonString()}\n\n");
            await stream.WriteAsync(bytes).ConfigureAwait(false);
            await stream.FlushAsync().ConfigureAwait(false);
        }

        await Event("message_start", new JsonObject { ["type"] = "message_start", ["message"] = Message(id, model, usage, 1, [], null) }).ConfigureAwait(false);
        await Event("ping", new JsonObject { ["type"] = "ping" }).ConfigureAwait(false);
        for (var i = 0; i < blocks.Count; i++)
        {
            var block = blocks[i]!.AsObject();
            var isTool = (string?)block["type"] == "tool_use";
            var start = isTool
                ? new JsonObject { ["type"] = "tool_use", ["id"] = (string?)block["id"], ["name"] = (string?)block["name"], ["input"] = new JsonObject() }
                : new JsonObject { ["type"] = "text", ["text"] = "" };
            await Event("content_block_start", new JsonObject { ["type"] = "content_block_start", ["index"] = i, ["content_block"] = start }).ConfigureAwait(false);
            var delta = isTool
                ? new JsonObject { ["type"] = "input_json_delta", ["partial_json"] = block["input"]!.ToJsonString() }
                : new JsonObject { ["type"] = "text_delta", ["text"] = (string?)block["text"] };
            await Event("content_block_delta", new JsonObject { ["type"] = "content_block_delta", ["index"] = i, ["delta"] = delta }).ConfigureAwait(false);
            await Event("content_block_stop", new JsonObject { ["type"] = "content_block_stop", ["index"] = i }).ConfigureAwait(false);
        }

        await Event("message_delta", new JsonObject
        {
            ["type"] = "message_delta",
            ["delta"] = new JsonObject { ["stop_reason"] = stopReason, ["stop_sequence"] = null },
            ["usage"] = new JsonObject { ["output_tokens"] = output },
        }).ConfigureAwait(false);
        await Event("message_stop", new JsonObject { ["type"] = "message_stop" }).ConfigureAwait(false);
    }

    private static async Task WriteJsonAsync(HttpListenerResponse response, int status, string json, int? retryAfterSeconds)
    {
        response.StatusCode = status;
        response.ContentType = "application/json";
        response.KeepAlive = false;
        if (retryAfterSeconds is { } seconds)
        {
            response.Headers["retry-after"] = seconds.ToString(CultureInfo.InvariantCulture);
        }

        var bytes = Encoding.UTF8.GetBytes(json);
        response.ContentLength64 = bytes.Length;
        await response.OutputStream.WriteAsync(bytes).ConfigureAwait(false);
    }

    /// <summary>The text of the conversation's messages since the model last spoke (tool results, hook context), for tests to see what the CLI told the model.</summary>
    private static string? LastUserContent(JsonObject request)
    {
        if (request["messages"] is not JsonArray { Count: > 0 } messages)
        {
            return null;
        }

        var since = messages.OfType<JsonObject>().Reverse().TakeWhile(m => (string?)m["role"] != "assistant").Reverse();
        return string.Join("\n", since.Select(m => m["content"] switch
        {
            JsonValue text => (string?)text,
            JsonArray parts => string.Join("\n", parts.OfType<JsonObject>().Select(p => (string?)p["text"] ?? (p["content"] is JsonValue c ? (string?)c : p["content"]?.ToJsonString()))),
            _ => null,
        }));
    }

    private sealed record Usage(long Input, long CacheRead, long CacheWrite);

    private sealed class SessionPlay(Turn[] script)
    {
        public Turn[] Script { get; } = script;

        public int Next { get; set; }

        public long Cached { get; set; }
    }
}

/// <summary>One answer of the scripted model.</summary>
public abstract record Turn;

/// <summary>Plain text: the end of the model's turn.</summary>
public sealed record TextTurn(string Text) : Turn;

/// <summary>A tool call (optionally after some text); the CLI runs it and asks again with the result.</summary>
public sealed record ToolTurn(string Name, JsonObject Input, string? Text = null) : Turn
{
    public static ToolTurn Write(string path, string content) => new("Write", new JsonObject { ["file_path"] = path, ["content"] = content });

    public static ToolTurn Read(string path) => new("Read", new JsonObject { ["file_path"] = path });

    public static ToolTurn Bash(string command) => new("Bash", new JsonObject { ["command"] = command, ["description"] = "Run a command" });
}

/// <summary>An HTTP error as the API sends it: 429 <c>rate_limit_error</c>, 529 <c>overloaded_error</c>, 400 <c>invalid_request_error</c>.</summary>
public sealed record ErrorTurn(int Status, string Type, string Message, int? RetryAfterSeconds = null) : Turn;

/// <summary>A request as the fake saw it.</summary>
/// <param name="SessionId">Claude Code's session id (header).</param>
/// <param name="Kind"><c>messages</c>, <c>count_tokens</c>, or the method and path of anything else.</param>
/// <param name="TurnIndex">Which turn of the session's script answered it; -1 for side queries.</param>
/// <param name="LastUserContent">What the CLI sent as the last user message (tool results).</param>
/// <param name="Status">The HTTP status answered.</param>
public sealed record ApiRequest(string SessionId, string Kind, string? Model, int TurnIndex, int BodyBytes, string? LastUserContent, string Status);
