namespace Harness.Core.Agents;

/// <summary>How an agent session ended, decided from the result event and the process together (docs/agents.md).</summary>
public enum AgentOutcome
{
    /// <summary>The agent finished its turn without error (<c>subtype: success</c>, <c>is_error: false</c>; or exit 0 for a plain command).</summary>
    Completed,

    /// <summary><c>error_max_turns</c>: the turn limit was reached. A normal end; the loop goes on.</summary>
    MaxTurns,

    /// <summary>The <c>--max-budget-usd</c> cap was reached (<c>error_max_budget_usd</c>). A normal end.</summary>
    BudgetExceeded,

    /// <summary>The API failed (<c>is_error</c> with <c>api_error_status</c>, even under <c>subtype: success</c>). Retry with backoff.</summary>
    ApiError,

    /// <summary>HTTP 429 / 529 overloaded, or a <c>rate_limit_event</c> with status <c>rejected</c>. Wait until <see cref="RateLimitInfo.ResetsAt"/> when known.</summary>
    RateLimited,

    /// <summary><c>error_during_execution</c> (or another <c>error_*</c> subtype): the run broke off inside the agent.</summary>
    ExecutionError,

    /// <summary>No result event (killed, crashed, exited early), or a plain command's non-zero exit.</summary>
    Crashed,

    /// <summary>The session timeout passed; the whole process tree was killed.</summary>
    TimedOut,

    /// <summary>The caller cancelled; the whole process tree was killed.</summary>
    Cancelled,

    /// <summary>
    /// The agent never got to work: the program could not be started, the shell could not run it
    /// (exit 126/127), or Claude Code ended before its first turn without printing any event (e.g.
    /// refusing to run as root). <see cref="AgentSessionResult.StartFailure"/> says which. Not the
    /// feature's failure.
    /// </summary>
    StartFailed,

    /// <summary>The agent finished its turn, but tool calls were refused (<c>permission_denials</c>: the permission mode, a rule, a hook). Not "completed": the work asked for was not all allowed.</summary>
    PermissionDenied,
}

/// <summary>Why an agent never got to work (<see cref="AgentOutcome.StartFailed"/>).</summary>
public enum AgentStartFailure
{
    /// <summary>It did start.</summary>
    None,

    /// <summary>The program could not be started: not found, not executable. Retrying does not help.</summary>
    CouldNotStart,

    /// <summary>Exit 126 (found but not executable) or 127 (command not found) without a result: a shell could not run something. Retrying does not help.</summary>
    CommandNotRunnable,

    /// <summary>Claude Code ended before its first turn, having printed no event (not even init): a refusal, a bad flag, a broken install. May pass; retried once.</summary>
    EndedBeforeFirstTurn,
}

/// <summary>One tool call the agent was not allowed to make: the tool and what it aimed at (a path, a command), shortened.</summary>
public sealed record PermissionDenial(string ToolName, string Target)
{
    private const int MaxTarget = 200;

    /// <summary>From a <c>permission_denials[]</c> entry: <c>tool_name</c> and the telling field of <c>tool_input</c>.</summary>
    public static PermissionDenial From(string? toolName, System.Text.Json.JsonElement toolInput)
    {
        string? target = null;
        if (toolInput.ValueKind == System.Text.Json.JsonValueKind.Object)
        {
            foreach (var field in new[] { "file_path", "notebook_path", "command", "path", "url", "pattern" })
            {
                if (toolInput.TryGetProperty(field, out var value) && value.ValueKind == System.Text.Json.JsonValueKind.String)
                {
                    target = value.GetString();
                    break;
                }
            }
        }

        target = (target ?? "").ReplaceLineEndings(" ");
        return new PermissionDenial(toolName ?? "?", target.Length > MaxTarget ? target[..MaxTarget] + "…" : target);
    }

    public override string ToString() => Target.Length == 0 ? ToolName : $"{ToolName} {Target}";

    /// <summary>"2 tool call(s) refused: Write /x; Bash curl …": the count and the first <paramref name="shown"/> calls.</summary>
    public static string Describe(int count, IReadOnlyList<PermissionDenial> denials, int shown = 3) =>
        $"{count} tool call(s) refused: {string.Join("; ", denials.Take(shown))}{(count > shown ? "; ..." : "")}";
}

/// <summary>What <see cref="IAgentRunner.RunAsync"/> runs: one agent session.</summary>
internal sealed record AgentSessionRequest
{
    public required string Prompt { get; init; }

    public required string WorkingDirectory { get; init; }

    /// <summary>The harness state the session works in (INIT, IMPLEMENT, FIX_BROKEN, TEST); informational, put in the environment as HARNESS_SESSION_TYPE.</summary>
    public string? SessionType { get; init; }

    public string? Model { get; init; }

    public int? MaxTurns { get; init; }

    public string? PermissionMode { get; init; }

    public IReadOnlyList<string> AllowedTools { get; init; } = [];

    public decimal? MaxBudgetUsd { get; init; }

    public string? AppendSystemPrompt { get; init; }

    /// <summary>A Claude Code settings file (hooks) passed as <c>--settings=</c>.</summary>
    public string? SettingsFile { get; init; }

    /// <summary>Appended after the harness's own arguments (project.json <c>agent.extra_args</c>).</summary>
    public IReadOnlyList<string> ExtraArgs { get; init; } = [];

    /// <summary>Null: no session timeout. Past it the whole process tree is killed and the outcome is TimedOut.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>Variables to set for the agent; a null value removes the variable.</summary>
    public IReadOnlyDictionary<string, string?>? Environment { get; init; }

    /// <summary>Where the raw stdout is saved as it arrives (<see cref="AgentTranscripts.PathFor"/>); null: not saved.</summary>
    public string? TranscriptPath { get; init; }

    /// <summary>Prices a session that ends without a result event (project.json <c>agent.prices</c> over the defaults).</summary>
    public PriceTable Prices { get; init; } = PriceTable.Default;

    /// <summary>Where the agent's process tree is recorded while it runs, for the next run's crash recovery; null: nowhere.</summary>
    public Processes.ProcessRecord? ProcessRecord { get; init; }
}

/// <summary>Rate-limit information from a <c>rate_limit_event</c>.</summary>
/// <param name="Status"><c>allowed</c>, <c>allowed_warning</c> or <c>rejected</c>.</param>
/// <param name="ResetsAt">When the limit resets, if the agent said so.</param>
/// <param name="Type">The CLI's <c>rate_limit_type</c> (e.g. <c>five_hour</c>), if given.</param>
public sealed record RateLimitInfo(string? Status, DateTimeOffset? ResetsAt, string? Type)
{
    public bool Rejected => string.Equals(Status, "rejected", StringComparison.Ordinal);
}

/// <summary>How one agent session went. Token counts and cost come from the <c>result</c> event only.</summary>
internal sealed record AgentSessionResult
{
    public required AgentOutcome Outcome { get; init; }

    /// <summary>Null when the process was killed or never started.</summary>
    public int? ExitCode { get; init; }

    public TimeSpan Duration { get; init; }

    /// <summary>The agent's own session id (Claude Code: from init or result); usable with <c>--resume=</c>.</summary>
    public string? AgentSessionId { get; init; }

    public string? Model { get; init; }

    public int? Turns { get; init; }

    /// <summary>The result event's <c>total_cost_usd</c>; without a result event, the usage the stream showed priced with the <see cref="PriceTable"/> (then <see cref="CostEstimated"/>).</summary>
    public decimal? CostUsd { get; init; }

    /// <summary>True when <see cref="CostUsd"/> and the token counts were estimated from the stream's usage, because the agent ended without a result event.</summary>
    public bool CostEstimated { get; init; }

    public long InputTokens { get; init; }

    public long OutputTokens { get; init; }

    public long CacheReadTokens { get; init; }

    public long CacheCreationTokens { get; init; }

    /// <summary>The result event's <c>result</c> text (the final answer, or the API error message).</summary>
    public string? ResultText { get; init; }

    public bool HasResultEvent { get; init; }

    /// <summary>The result event's <c>subtype</c>: success, error_max_turns, error_during_execution, ...</summary>
    public string? Subtype { get; init; }

    public bool IsError { get; init; }

    public string? TerminalReason { get; init; }

    public int? ApiErrorStatus { get; init; }

    /// <summary>The result's <c>errors[]</c>, an assistant event's <c>error</c>, start failures and watchdog findings.</summary>
    public IReadOnlyList<string> Errors { get; init; } = [];

    /// <summary>The last rate-limit event seen (null if none).</summary>
    public RateLimitInfo? RateLimit { get; init; }

    /// <summary>The server's retry-after as the agent's last <c>api_retry</c> event gave it (<c>retry_delay_ms</c>); null if none came.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>The last <c>api_retry</c> event's HTTP status; null when none came or the request got no answer.</summary>
    public int? ApiRetryStatus { get; init; }

    /// <summary>Whether the agent retried an API call by itself (any <c>api_retry</c> event).</summary>
    public bool ApiRetried { get; init; }

    /// <summary>The text of the last assistant event with an <c>error</c> (the CLI's own message, e.g. a usage limit and its reset).</summary>
    public string? AssistantErrorText { get; init; }

    /// <summary>Tool calls refused by permissions or hooks (<c>permission_denials</c>).</summary>
    public int PermissionDenials { get; init; }

    /// <summary>Which calls were refused (at most <see cref="StreamJsonSession.MaxDenialsKept"/>).</summary>
    public IReadOnlyList<PermissionDenial> Denials { get; init; } = [];

    /// <summary>Set with <see cref="AgentOutcome.StartFailed"/>: why the agent never got to work.</summary>
    public AgentStartFailure StartFailure { get; init; }

    public string? TranscriptPath { get; init; }

    /// <summary>The last lines of stderr (at most <see cref="AgentProcess.StderrTailLines"/>), for error reports.</summary>
    public string StandardErrorTail { get; init; } = "";

    public int JsonLines { get; init; }

    /// <summary>Lines of stdout that were not JSON objects; skipped (still in the transcript).</summary>
    public int SkippedLines { get; init; }

    /// <summary>Processes of the agent's tree that were still running when it ended, and were killed.</summary>
    public IReadOnlyList<int> KilledProcesses { get; init; } = [];

    /// <summary>Processes that could not be killed; empty unless something is badly wrong.</summary>
    public IReadOnlyList<int> SurvivingProcesses { get; init; } = [];

    public bool Succeeded => Outcome is AgentOutcome.Completed;
}

/// <summary>What an event is about.</summary>
public enum AgentEventKind
{
    /// <summary><c>system/init</c>: session id, model, cwd, version.</summary>
    Init,

    /// <summary>The assistant said something (text block); <see cref="AgentEvent.Text"/>.</summary>
    AssistantText,

    /// <summary>The assistant called a tool; <see cref="AgentEvent.ToolName"/>.</summary>
    ToolUse,

    /// <summary>A tool result with <c>is_error: true</c> (failed tool, refused permission, hook block).</summary>
    ToolError,

    /// <summary><c>system/api_retry</c>: the agent retries an API call by itself.</summary>
    ApiRetry,

    /// <summary><c>rate_limit_event</c>; <see cref="AgentEvent.RateLimit"/>.</summary>
    RateLimit,

    /// <summary>An assistant event with an <c>error</c> field (e.g. <c>rate_limit</c>).</summary>
    AssistantError,

    /// <summary>The final <c>result</c> event.</summary>
    Result,
}

/// <summary>One progress event while an agent runs, for display. Fields not relevant to the kind are null.</summary>
public sealed record AgentEvent(AgentEventKind Kind)
{
    public string? SessionId { get; init; }

    public string? Model { get; init; }

    public string? ToolName { get; init; }

    /// <summary>Text, tool error message, or error name; truncated to 500 characters.</summary>
    public string? Text { get; init; }

    public int? Attempt { get; init; }

    public int? MaxRetries { get; init; }

    public int? RetryDelayMs { get; init; }

    public int? ErrorStatus { get; init; }

    public RateLimitInfo? RateLimit { get; init; }

    public string? Subtype { get; init; }

    public bool IsError { get; init; }
}

/// <summary>Runs one agent session. Implementations: <see cref="ClaudeCodeAgent"/>, <see cref="CommandAgent"/>.</summary>
internal interface IAgentRunner
{
    /// <summary>For display: "claude-code" or "command".</summary>
    string Name { get; }

    /// <summary>
    /// Runs the session to its end, timeout or cancellation; never throws for a misbehaving agent
    /// (the result says what happened). <paramref name="progress"/> is called on a reader thread, in
    /// order, as events arrive; keep it quick.
    /// </summary>
    Task<AgentSessionResult> RunAsync(AgentSessionRequest request, IProgress<AgentEvent>? progress = null, CancellationToken cancellationToken = default);
}
