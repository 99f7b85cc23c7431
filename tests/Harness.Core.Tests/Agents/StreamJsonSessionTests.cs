using System.Text;
using Harness.Core.Agents;

namespace Harness.Core.Tests.Agents;

/// <summary>The parser and the decision table against the real Claude Code samples (Agents/Samples, copied from ../shared/claude-code).</summary>
public sealed class StreamJsonSessionTests
{
    private static string Sample(string name) => Path.Combine(AppContext.BaseDirectory, "Agents", "Samples", name);

    private static (StreamJsonSession Session, EventLog Log) ParseSample(string name)
    {
        var session = new StreamJsonSession();
        var log = new EventLog();
        using var stream = File.OpenRead(Sample(name));
        StreamJsonPump.PumpAsync(stream, null, session, log).GetAwaiter().GetResult();
        return (session, log);
    }

    [Theory]
    [InlineData("sample-stream.jsonl", 0, AgentOutcome.Completed)]
    [InlineData("sample-maxturns.jsonl", 1, AgentOutcome.MaxTurns)]
    [InlineData("sample-api-error.jsonl", 1, AgentOutcome.ApiError)]
    [InlineData("sample-hook-block.jsonl", 0, AgentOutcome.PermissionDenied)]
    [InlineData("sample-result.json", 0, AgentOutcome.Completed)]
    public void Real_samples_are_classified_right(string sample, int exitCode, AgentOutcome expected)
    {
        var (session, _) = ParseSample(sample);
        Assert.True(session.HasResult);
        Assert.Equal(expected, AgentOutcomeClassifier.Classify(session, exitCode, false, false, false, resultEventRequired: true));
    }

    [Fact]
    public void Tokens_cost_and_turns_come_from_the_result_event_not_the_assistant_events()
    {
        var (s, log) = ParseSample("sample-stream.jsonl");
        Assert.Equal("c78a21c9-687e-41b7-9a85-e32505dd6ed4", s.SessionId);
        Assert.Equal("claude-sonnet-4-6", s.Model);
        Assert.Equal(87912, s.InputTokens); // the assistant events' partial usage would sum to 87912 too, but output would be 3, not 55
        Assert.Equal(55, s.OutputTokens);
        Assert.Equal(0, s.CacheReadTokens);
        Assert.Equal(0, s.CacheCreationTokens);
        Assert.Equal(0.26456100000000005m, s.CostUsd);
        Assert.Equal(3, s.Turns);
        Assert.Equal("done", s.ResultText);
        Assert.Equal(8, s.JsonLines);
        Assert.Equal(0, s.SkippedLines);
        var kinds = log.Events.Select(e => e.Kind).ToList();
        Assert.Equal(AgentEventKind.Init, kinds[0]);
        Assert.Equal(["Write", "Bash"], log.Events.Where(e => e.Kind == AgentEventKind.ToolUse).Select(e => e.ToolName));
        Assert.Equal(AgentEventKind.Result, kinds[^1]);
    }

    [Fact]
    public void Max_turns_sample_keeps_the_errors_and_terminal_reason()
    {
        var (s, _) = ParseSample("sample-maxturns.jsonl");
        Assert.Equal("error_max_turns", s.Subtype);
        Assert.True(s.IsError);
        Assert.Equal("max_turns", s.TerminalReason);
        Assert.Null(s.ResultText);
        Assert.Equal(["Reached maximum number of turns (2)"], s.Errors);
        Assert.Equal(58439, s.InputTokens);
    }

    [Fact]
    public void Api_error_sample_is_an_api_error_despite_subtype_success()
    {
        var (s, log) = ParseSample("sample-api-error.jsonl");
        Assert.Equal("success", s.Subtype);
        Assert.True(s.IsError);
        Assert.Equal(400, s.ApiErrorStatus);
        Assert.Equal("API Error: 400 fake: scripted API failure", s.ResultText);
        Assert.Contains(log.Events, e => e.Kind == AgentEventKind.AssistantError && e.Text == "unknown");
    }

    [Fact]
    public void Hook_block_shows_as_a_tool_error_event_and_a_permission_denial()
    {
        var (s, log) = ParseSample("sample-hook-block.jsonl");
        Assert.Equal(1, s.PermissionDenials);
        var error = Assert.Single(log.Events, e => e.Kind == AgentEventKind.ToolError);
        Assert.Contains("BLOCKED by block-src hook", error.Text);
    }

    [Fact]
    public async Task Non_json_lines_are_skipped_and_lines_split_across_reads_are_joined()
    {
        var text = "Warning: something\n\n" + File.ReadAllText(Sample("sample-stream.jsonl")).Replace("\n", "\r\n") + "[not an object]\n{broken json\n";
        var bytes = Encoding.UTF8.GetBytes(text);
        var session = new StreamJsonSession();
        using var transcript = new MemoryStream();
        await StreamJsonPump.PumpAsync(new TrickleStream(bytes, 7), transcript, session, null);
        Assert.Equal(8, session.JsonLines);
        Assert.Equal(3, session.SkippedLines);
        Assert.Equal(55, session.OutputTokens);
        Assert.Equal(bytes, transcript.ToArray()); // raw, byte for byte, noise included
    }

    [Fact]
    public async Task A_last_line_without_newline_is_parsed()
    {
        var line = File.ReadAllLines(Sample("sample-stream.jsonl"))[^1];
        var session = new StreamJsonSession();
        await StreamJsonPump.PumpAsync(new MemoryStream(Encoding.UTF8.GetBytes(line)), null, session, null);
        Assert.True(session.HasResult);
    }

    [Fact]
    public void Rate_limit_events_give_status_and_reset_time()
    {
        var s = new StreamJsonSession();
        s.ParseLine("""{"type":"system","subtype":"api_retry","attempt":1,"max_retries":2,"retry_delay_ms":500,"error_status":429,"error":"rate_limit"}""");
        s.ParseLine("""{"type":"rate_limit_event","rate_limit_info":{"status":"rejected","resets_at":1800000000,"rate_limit_type":"five_hour"}}""");
        Assert.True(s.RateLimitRejected);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1800000000), s.RateLimit!.ResetsAt);
        Assert.Equal("five_hour", s.RateLimit.Type);
        // No result event yet (the CLI died): still a rate limit, not a crash.
        Assert.Equal(AgentOutcome.RateLimited, AgentOutcomeClassifier.Classify(s, 1, false, false, false, true));
    }

    [Theory]
    // subtype, is_error, api status, terminal reason, exit code, expected
    [InlineData("success", true, 429, "completed", 1, AgentOutcome.RateLimited)]
    [InlineData("success", true, 529, "completed", 1, AgentOutcome.RateLimited)]
    [InlineData("success", true, 500, "completed", 1, AgentOutcome.ApiError)]
    [InlineData("success", true, null, "completed", 1, AgentOutcome.ApiError)]
    [InlineData("error_during_execution", true, null, "aborted", 130, AgentOutcome.ExecutionError)]
    [InlineData("error_max_budget_usd", true, null, "budget", 1, AgentOutcome.BudgetExceeded)]
    [InlineData("success", false, null, "max_turns", 1, AgentOutcome.MaxTurns)]
    [InlineData("success", false, null, "completed", 0, AgentOutcome.Completed)]
    public void Decision_table_rows(string subtype, bool isError, int? status, string terminal, int exitCode, AgentOutcome expected)
    {
        var s = new StreamJsonSession();
        var statusJson = status?.ToString() ?? "null";
        s.ParseLine($$"""{"type":"result","subtype":"{{subtype}}","is_error":{{(isError ? "true" : "false")}},"api_error_status":{{statusJson}},"terminal_reason":"{{terminal}}"}""");
        Assert.Equal(expected, AgentOutcomeClassifier.Classify(s, exitCode, false, false, false, true));
    }

    [Fact]
    public void Watchdog_and_missing_result_rows()
    {
        var none = new StreamJsonSession();
        var started = new StreamJsonSession();
        started.ParseLine("""{"type":"system","subtype":"init","session_id":"s1","model":"claude-sonnet-4-6"}""");
        Assert.Equal(AgentOutcome.Crashed, AgentOutcomeClassifier.Classify(started, 0, false, false, false, resultEventRequired: true));
        Assert.Equal(AgentOutcome.Crashed, AgentOutcomeClassifier.Classify(started, 137, false, false, false, resultEventRequired: true));
        Assert.Equal(AgentOutcome.Completed, AgentOutcomeClassifier.Classify(none, 0, false, false, false, resultEventRequired: false));
        Assert.Equal(AgentOutcome.Crashed, AgentOutcomeClassifier.Classify(none, 2, false, false, false, resultEventRequired: false));
        Assert.Equal(AgentOutcome.TimedOut, AgentOutcomeClassifier.Classify(none, null, true, false, false, true));
        Assert.Equal(AgentOutcome.Cancelled, AgentOutcomeClassifier.Classify(none, null, false, true, false, true));
        Assert.Equal(AgentOutcome.StartFailed, AgentOutcomeClassifier.Classify(none, null, false, false, true, true));
    }

    [Theory]
    // events printed, exit code, Claude Code (result event required), expected start failure
    [InlineData(false, 1, true, AgentStartFailure.EndedBeforeFirstTurn)]   // Claude Code as root without IS_SANDBOX: nothing on stdout, exit 1
    [InlineData(false, 0, true, AgentStartFailure.EndedBeforeFirstTurn)]
    [InlineData(true, 1, true, AgentStartFailure.None)]                    // printed init, then died: a crash
    [InlineData(false, 127, false, AgentStartFailure.CommandNotRunnable)]  // a shell script calling a missing command
    [InlineData(false, 126, true, AgentStartFailure.CommandNotRunnable)]
    [InlineData(false, 1, false, AgentStartFailure.None)]                  // a plain command that failed: its exit code decides
    public void Agents_that_never_got_to_work_are_start_failures_not_crashes(bool printedInit, int exitCode, bool claudeCode, AgentStartFailure expected)
    {
        var session = new StreamJsonSession();
        if (printedInit)
        {
            session.ParseLine("""{"type":"system","subtype":"init","session_id":"s1"}""");
        }

        Assert.Equal(expected, AgentOutcomeClassifier.StartFailureOf(session, exitCode, false, false, false, claudeCode));
        Assert.Equal(expected == AgentStartFailure.None, AgentOutcomeClassifier.Classify(session, exitCode, false, false, false, claudeCode) != AgentOutcome.StartFailed);
    }

    [Fact]
    public void Permission_denials_keep_the_tool_and_its_target()
    {
        var (s, _) = ParseSample("sample-hook-block.jsonl");

        Assert.Equal(1, s.PermissionDenials);
        var denial = Assert.Single(s.Denials);
        Assert.Equal(new PermissionDenial("Write", "/home/dev/project/src/x.txt"), denial);
        Assert.Equal("Write /home/dev/project/src/x.txt", denial.ToString());
    }

    [Fact]
    public void Usage_of_a_stream_without_partial_messages_counts_each_message_once_and_prices_close_to_the_result()
    {
        // sample-stream: the first API message shows up as two assistant events (text, then tool_use) with the same id.
        var (s, _) = ParseSample("sample-stream.jsonl");

        Assert.Equal(3, s.Usage.Messages);
        Assert.Equal(87912, s.Usage.Total.InputTokens);
        Assert.Equal(3, s.Usage.Total.OutputTokens); // only the start value of each message: 1
        var estimate = s.Usage.Cost(PriceTable.Default);
        Assert.InRange(estimate, s.CostUsd!.Value * 0.99m, s.CostUsd!.Value);
    }

    [Fact]
    public void Partial_messages_give_each_message_its_final_output_tokens_and_cache_split()
    {
        var s = new StreamJsonSession();
        s.ParseLine("""{"type":"stream_event","event":{"type":"message_start","message":{"id":"m1","model":"claude-opus-4-6","usage":{"input_tokens":100,"cache_creation_input_tokens":2000,"cache_read_input_tokens":30000,"output_tokens":1,"cache_creation":{"ephemeral_5m_input_tokens":500,"ephemeral_1h_input_tokens":1500}}}}}""");
        s.ParseLine("""{"type":"assistant","message":{"id":"m1","model":"claude-opus-4-6","content":[{"type":"text","text":"hi"}],"usage":{"input_tokens":100,"cache_creation_input_tokens":2000,"cache_read_input_tokens":30000,"output_tokens":1}}}""");
        s.ParseLine("""{"type":"stream_event","event":{"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":420}},"api_message_id":"m1"}""");
        s.ParseLine("""{"type":"assistant","message":{"id":"m2","model":"<synthetic>","content":[{"type":"text","text":"API Error"}],"usage":{"input_tokens":0,"output_tokens":0}}}""");

        var total = s.Usage.Total;
        Assert.Equal(1, s.Usage.Messages); // the synthetic error message was never billed
        Assert.Equal((100, 420, 30000, 500, 1500), (total.InputTokens, total.OutputTokens, total.CacheReadTokens, total.CacheWriteTokens, total.CacheWrite1hTokens));

        // opus 4.6: $5 in, $25 out, $0.50 cache read, $6.25 / $10 cache writes (5 min / 1 h), per million tokens.
        var expected = ((100 * 5m) + (420 * 25m) + (30000 * 0.5m) + (500 * 6.25m) + (1500 * 10m)) / 1_000_000m;
        Assert.Equal(expected, s.Usage.Cost(PriceTable.Default));
    }

    [Theory]
    [InlineData("aider --yes --message {prompt}", new[] { "aider", "--yes", "--message", "{prompt}" })]
    [InlineData("'/opt/my agent/run' \"--x=a \\\"b\\\"\" c\\ d", new[] { "/opt/my agent/run", "--x=a \"b\"", "c d" })]
    [InlineData("  codex   exec  ", new[] { "codex", "exec" })]
    public void Command_lines_split_like_a_shell(string line, string[] expected) => Assert.Equal(expected, CommandLine.Split(line));

    /// <summary>Returns at most <c>chunk</c> bytes per read, so lines straddle reads.</summary>
    private sealed class TrickleStream(byte[] data, int chunk) : MemoryStream(data)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, chunk));

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, chunk)], cancellationToken);
    }
}
