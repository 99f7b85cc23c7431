using System.Globalization;
using System.Text.Json;

namespace Harness.Core.Agents;

/// <summary>
/// Reads Claude Code's <c>--output-format=stream-json</c> one line at a time and keeps what the
/// session result needs. Holds no line after it is parsed, so memory stays flat however long the
/// transcript is. Not thread-safe: one reader feeds it.
/// </summary>
internal sealed class StreamJsonSession
{
    private const int MaxEventText = 500;
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 256 };

    /// <summary>Denials kept with their details; the count goes on past it.</summary>
    public const int MaxDenialsKept = 50;

    private readonly List<string> _errors = [];
    private readonly List<PermissionDenial> _denials = [];

    public int JsonLines { get; private set; }

    public int SkippedLines { get; private set; }

    public string? SessionId { get; private set; }

    public string? Model { get; private set; }

    public bool HasResult { get; private set; }

    public string? Subtype { get; private set; }

    public bool IsError { get; private set; }

    public int? ApiErrorStatus { get; private set; }

    public string? TerminalReason { get; private set; }

    public string? ResultText { get; private set; }

    public int? Turns { get; private set; }

    public decimal? CostUsd { get; private set; }

    public long InputTokens { get; private set; }

    public long OutputTokens { get; private set; }

    public long CacheReadTokens { get; private set; }

    public long CacheCreationTokens { get; private set; }

    public int PermissionDenials { get; private set; }

    /// <summary>The refused tool calls (<c>permission_denials</c>), at most <see cref="MaxDenialsKept"/>.</summary>
    public IReadOnlyList<PermissionDenial> Denials => _denials;

    /// <summary>
    /// True once the agent printed a session event (<c>system/init</c>, <c>assistant</c>, <c>result</c>):
    /// it accepted its command line and got going. A Claude Code that refuses to start (as root
    /// without IS_SANDBOX, a bad flag) prints none.
    /// </summary>
    public bool Started { get; private set; }

    /// <summary>Every API message's usage as the stream showed it, for pricing a session that has no result event.</summary>
    public UsageLedger Usage { get; } = new();

    /// <summary>The last <c>rate_limit_event</c>.</summary>
    public RateLimitInfo? RateLimit { get; private set; }

    /// <summary>True once any rate_limit_event said <c>rejected</c>, even if a later one allowed again.</summary>
    public bool RateLimitRejected { get; private set; }

    /// <summary>The last <c>system/api_retry</c>'s <c>retry_delay_ms</c>: the server's retry-after as the CLI honoured it.</summary>
    public int? LastRetryDelayMs { get; private set; }

    /// <summary>The last <c>system/api_retry</c>'s <c>error_status</c> (null: no HTTP answer, a connection failure).</summary>
    public int? LastRetryStatus { get; private set; }

    /// <summary>Whether any <c>system/api_retry</c> event came: the CLI met an API failure it retried by itself.</summary>
    public bool ApiRetried { get; private set; }

    /// <summary>
    /// The text of the last assistant event that carried an <c>error</c> (the CLI's synthetic message,
    /// e.g. "You've hit your limit · resets 5pm (Europe/Vilnius)"). Only these and an error result's
    /// text are read for usage limits: never tool output, which may quote anything.
    /// </summary>
    public string? AssistantErrorText { get; private set; }

    /// <summary>The error names of assistant events (<c>rate_limit</c>, <c>overloaded</c>, ...), in order.</summary>
    public IReadOnlyList<string> AssistantErrors => _assistantErrors;

    private readonly List<string> _assistantErrors = [];

    /// <summary>Result <c>errors[]</c> and assistant <c>error</c> values.</summary>
    public IReadOnlyList<string> Errors => _errors;

    /// <summary>
    /// Parses one line (without its newline). Lines that are not a JSON object are counted in
    /// <see cref="SkippedLines"/> and otherwise ignored. Events worth showing go to <paramref name="progress"/>.
    /// </summary>
    public void ParseLine(ReadOnlyMemory<byte> line, IProgress<AgentEvent>? progress = null)
    {
        var span = line.Span;
        var start = 0;
        while (start < span.Length && span[start] is (byte)' ' or (byte)'\t' or (byte)'\r') start++;
        if (start == span.Length) return; // blank: neither JSON nor worth counting
        if (span[start] != (byte)'{')
        {
            SkippedLines++;
            return;
        }

        JsonDocument document;
        try
        {
            // Parses in place: the document points into the caller's buffer and is disposed before it is reused.
            document = JsonDocument.Parse(line[start..], DocumentOptions);
        }
        catch (JsonException)
        {
            SkippedLines++;
            return;
        }

        using (document)
        {
            JsonLines++;
            Handle(document.RootElement, progress);
        }
    }

    internal void CountSkipped() => SkippedLines++;

    /// <summary>Parses one line given as text (tests, samples).</summary>
    public void ParseLine(string line, IProgress<AgentEvent>? progress = null) =>
        ParseLine(System.Text.Encoding.UTF8.GetBytes(line), progress);

    private void Handle(JsonElement root, IProgress<AgentEvent>? progress)
    {
        if (root.ValueKind != JsonValueKind.Object) return;
        switch (Str(root, "type"))
        {
            case "system":
                HandleSystem(root, progress);
                break;
            case "assistant":
                HandleAssistant(root, progress);
                break;
            case "user":
                HandleUser(root, progress);
                break;
            case "rate_limit_event":
                HandleRateLimit(root, progress);
                break;
            case "result":
                HandleResult(root, progress);
                break;
            case "stream_event":
                HandleStreamEvent(root);
                break;
        }
    }

    private void HandleSystem(JsonElement root, IProgress<AgentEvent>? progress)
    {
        switch (Str(root, "subtype"))
        {
            case "init":
                Started = true;
                SessionId = Str(root, "session_id") ?? SessionId;
                Model = Str(root, "model") ?? Model;
                progress?.Report(new AgentEvent(AgentEventKind.Init) { SessionId = SessionId, Model = Model });
                break;
            case "api_retry":
                ApiRetried = true;
                LastRetryDelayMs = Int(root, "retry_delay_ms");
                LastRetryStatus = Int(root, "error_status");
                progress?.Report(new AgentEvent(AgentEventKind.ApiRetry)
                {
                    Attempt = Int(root, "attempt"),
                    MaxRetries = Int(root, "max_retries"),
                    RetryDelayMs = Int(root, "retry_delay_ms"),
                    ErrorStatus = Int(root, "error_status"),
                    Text = Truncate(Str(root, "error")),
                });
                break;
        }
    }

    private void HandleAssistant(JsonElement root, IProgress<AgentEvent>? progress)
    {
        Started = true;
        if (Str(root, "error") is { } error)
        {
            _assistantErrors.Add(error);
            _errors.Add("assistant error: " + error);
            AssistantErrorText = MessageText(root) ?? AssistantErrorText;
            progress?.Report(new AgentEvent(AgentEventKind.AssistantError) { Text = error, IsError = true });
        }

        if (!root.TryGetProperty("message", out var message) || message.ValueKind != JsonValueKind.Object) return;
        if (message.TryGetProperty("usage", out var usage)) Usage.Record(Str(message, "id"), Str(message, "model"), usage);
        if (progress is null) return;
        if (!message.TryGetProperty("content", out var content) || content.ValueKind != JsonValueKind.Array) return;
        foreach (var block in content.EnumerateArray())
        {
            if (block.ValueKind != JsonValueKind.Object) continue;
            switch (Str(block, "type"))
            {
                case "tool_use":
                    progress.Report(new AgentEvent(AgentEventKind.ToolUse) { ToolName = Str(block, "name") });
                    break;
                case "text":
                    progress.Report(new AgentEvent(AgentEventKind.AssistantText) { Text = Truncate(Str(block, "text")) });
                    break;
            }
        }
    }

    private static void HandleUser(JsonElement root, IProgress<AgentEvent>? progress)
    {
        if (progress is null) return;
        if (!root.TryGetProperty("message", out var message) || message.ValueKind != JsonValueKind.Object) return;
        if (!message.TryGetProperty("content", out var content) || content.ValueKind != JsonValueKind.Array) return;
        foreach (var block in content.EnumerateArray())
        {
            if (block.ValueKind != JsonValueKind.Object || Str(block, "type") != "tool_result") continue;
            if (!(block.TryGetProperty("is_error", out var isError) && isError.ValueKind == JsonValueKind.True)) continue;
            progress.Report(new AgentEvent(AgentEventKind.ToolError) { Text = Truncate(ToolResultText(block)), IsError = true });
        }
    }

    private void HandleRateLimit(JsonElement root, IProgress<AgentEvent>? progress)
    {
        var info = root.TryGetProperty("rate_limit_info", out var i) && i.ValueKind == JsonValueKind.Object ? i : root;
        DateTimeOffset? resetsAt = null;
        if (info.TryGetProperty("resets_at", out var r) || info.TryGetProperty("resetsAt", out r))
        {
            double seconds = 0;
            var ok = r.ValueKind == JsonValueKind.Number ? r.TryGetDouble(out seconds)
                : r.ValueKind == JsonValueKind.String && double.TryParse(r.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out seconds);
            if (ok && seconds > 0 && seconds < 1e11) resetsAt = DateTimeOffset.FromUnixTimeMilliseconds((long)(seconds * 1000));
        }

        RateLimit = new RateLimitInfo(Str(info, "status"), resetsAt, Str(info, "rate_limit_type"));
        if (RateLimit.Rejected) RateLimitRejected = true;
        progress?.Report(new AgentEvent(AgentEventKind.RateLimit) { RateLimit = RateLimit, IsError = RateLimit.Rejected });
    }

    /// <summary>
    /// <c>--include-partial-messages</c>: only the usage matters here (message_start: input and cache
    /// tokens; message_delta: the final output count), never shown as progress.
    /// </summary>
    private void HandleStreamEvent(JsonElement root)
    {
        if (!root.TryGetProperty("event", out var e) || e.ValueKind != JsonValueKind.Object) return;
        switch (Str(e, "type"))
        {
            case "message_start" when e.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.Object && message.TryGetProperty("usage", out var usage):
                Usage.Record(Str(message, "id"), Str(message, "model"), usage);
                break;
            case "message_delta" when e.TryGetProperty("usage", out var usage):
                Usage.Record(Str(root, "api_message_id"), model: null, usage);
                break;
        }
    }

    private void HandleResult(JsonElement root, IProgress<AgentEvent>? progress)
    {
        HasResult = true;
        Started = true;
        Subtype = Str(root, "subtype");
        IsError = root.TryGetProperty("is_error", out var e) && e.ValueKind == JsonValueKind.True;
        ApiErrorStatus = Int(root, "api_error_status");
        TerminalReason = Str(root, "terminal_reason");
        ResultText = Str(root, "result");
        Turns = Int(root, "num_turns");
        SessionId = Str(root, "session_id") ?? SessionId;
        if (root.TryGetProperty("total_cost_usd", out var cost) && cost.ValueKind == JsonValueKind.Number && cost.TryGetDecimal(out var usd)) CostUsd = usd;

        if (root.TryGetProperty("usage", out var usage) && usage.ValueKind == JsonValueKind.Object)
        {
            InputTokens = Long(usage, "input_tokens");
            OutputTokens = Long(usage, "output_tokens");
            CacheReadTokens = Long(usage, "cache_read_input_tokens");
            CacheCreationTokens = Long(usage, "cache_creation_input_tokens");
        }
        else if (root.TryGetProperty("modelUsage", out var models) && models.ValueKind == JsonValueKind.Object)
        {
            InputTokens = OutputTokens = CacheReadTokens = CacheCreationTokens = 0;
            foreach (var model in models.EnumerateObject())
            {
                if (model.Value.ValueKind != JsonValueKind.Object) continue;
                InputTokens += Long(model.Value, "inputTokens");
                OutputTokens += Long(model.Value, "outputTokens");
                CacheReadTokens += Long(model.Value, "cacheReadInputTokens");
                CacheCreationTokens += Long(model.Value, "cacheCreationInputTokens");
            }
        }

        if (root.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array)
        {
            foreach (var error in errors.EnumerateArray())
            {
                var text = error.ValueKind == JsonValueKind.String ? error.GetString() : error.GetRawText();
                if (!string.IsNullOrEmpty(text)) _errors.Add(text);
            }
        }

        _denials.Clear();
        PermissionDenials = 0;
        if (root.TryGetProperty("permission_denials", out var denials) && denials.ValueKind == JsonValueKind.Array)
        {
            PermissionDenials = denials.GetArrayLength();
            foreach (var denial in denials.EnumerateArray())
            {
                if (_denials.Count == MaxDenialsKept) break;
                if (denial.ValueKind == JsonValueKind.Object) _denials.Add(PermissionDenial.From(Str(denial, "tool_name"), denial.TryGetProperty("tool_input", out var input) ? input : default));
            }
        }

        progress?.Report(new AgentEvent(AgentEventKind.Result)
        {
            SessionId = SessionId,
            Subtype = Subtype,
            IsError = IsError,
            ErrorStatus = ApiErrorStatus,
            Text = Truncate(ResultText),
        });
    }

    /// <summary>The text blocks of an assistant event's message, joined; null when it has none.</summary>
    private static string? MessageText(JsonElement root)
    {
        if (!root.TryGetProperty("message", out var message) || message.ValueKind != JsonValueKind.Object) return null;
        if (!message.TryGetProperty("content", out var content) || content.ValueKind != JsonValueKind.Array) return null;
        var texts = content.EnumerateArray()
            .Where(b => b.ValueKind == JsonValueKind.Object && Str(b, "type") == "text")
            .Select(b => Str(b, "text"))
            .OfType<string>()
            .ToList();
        return texts.Count == 0 ? null : Truncate(string.Join("\n", texts));
    }

    private static string? ToolResultText(JsonElement block)
    {
        if (!block.TryGetProperty("content", out var content)) return null;
        if (content.ValueKind == JsonValueKind.String) return content.GetString();
        if (content.ValueKind != JsonValueKind.Array) return null;
        foreach (var part in content.EnumerateArray())
        {
            if (part.ValueKind == JsonValueKind.Object && Str(part, "text") is { } text) return text;
        }

        return null;
    }

    private static string? Str(JsonElement o, string name) =>
        o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static int? Int(JsonElement o, string name) =>
        o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var i) ? i : null;

    private static long Long(JsonElement o, string name) =>
        o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var l) ? l : 0;

    private static string? Truncate(string? text) =>
        text is null || text.Length <= MaxEventText ? text : text[..MaxEventText] + "…";
}
