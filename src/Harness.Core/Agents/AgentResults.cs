using Harness.Core.Processes;

namespace Harness.Core.Agents;

/// <summary>Builds an <see cref="AgentSessionResult"/> from what the process and the stream said.</summary>
internal static class AgentResults
{
    public static AgentSessionResult Build(ProcessResult run, string standardErrorTail, StreamJsonSession session, string? transcriptPath, bool resultEventRequired, PriceTable prices)
    {
        var outcome = AgentOutcomeClassifier.Classify(session, run.ExitCode, run.TimedOut, run.Cancelled, run.StartError is not null, resultEventRequired);
        var startFailure = AgentOutcomeClassifier.StartFailureOf(session, run.ExitCode, run.TimedOut, run.Cancelled, run.StartError is not null, resultEventRequired);
        var errors = new List<string>();
        if (run.StartError is not null) errors.Add(run.StartError);
        errors.AddRange(session.Errors);
        if (run.TimedOut) errors.Add("session timeout: the agent's process tree was killed");
        if (run.Cancelled) errors.Add("cancelled: the agent's process tree was killed");
        switch (startFailure)
        {
            case AgentStartFailure.CommandNotRunnable:
                errors.Add($"exit code {run.ExitCode}: a command the agent runs could not be run ({(run.ExitCode == 127 ? "not found" : "not executable")}); see its stderr");
                break;
            case AgentStartFailure.EndedBeforeFirstTurn:
                errors.Add($"the agent exited with code {run.ExitCode} before its first turn, printing no event (it refused to start or could not); see its stderr");
                break;
        }

        if (outcome == AgentOutcome.Crashed && !session.HasResult)
            errors.Add(run.ExitCode is { } code ? $"the agent exited with code {code} without a result event" : "the agent ended without a result event");
        if (outcome == AgentOutcome.PermissionDenied)
            errors.Add(PermissionDenial.Describe(session.PermissionDenials, session.Denials, shown: 5));

        if (run.OutputCutOff) errors.Add("the agent's output was still open after its process tree was killed; stopped reading");
        if (run.OutputError is not null) errors.Add("reading the agent's output failed: " + run.OutputError);
        if (run.SurvivingProcesses.Count > 0) errors.Add("processes that could not be killed: " + string.Join(", ", run.SurvivingProcesses));

        // Without a result event the agent never said what the session cost, but the API billed every
        // request the stream showed: price that usage, and say it is an estimate.
        var estimated = !session.HasResult && session.Usage.Messages > 0;
        var usage = estimated ? session.Usage.Total : null;

        return new AgentSessionResult
        {
            Outcome = outcome,
            ExitCode = run.ExitCode,
            Duration = run.Duration,
            AgentSessionId = session.SessionId,
            Model = session.Model,
            Turns = session.Turns,
            CostUsd = estimated ? decimal.Round(session.Usage.Cost(prices), 6) : session.CostUsd,
            CostEstimated = estimated,
            InputTokens = usage?.InputTokens ?? session.InputTokens,
            OutputTokens = usage?.OutputTokens ?? session.OutputTokens,
            CacheReadTokens = usage?.CacheReadTokens ?? session.CacheReadTokens,
            CacheCreationTokens = usage?.CacheCreationTokens ?? session.CacheCreationTokens,
            ResultText = session.ResultText,
            HasResultEvent = session.HasResult,
            Subtype = session.Subtype,
            IsError = session.IsError,
            TerminalReason = session.TerminalReason,
            ApiErrorStatus = session.ApiErrorStatus,
            Errors = errors,
            RateLimit = session.RateLimit,
            RetryAfter = session.LastRetryDelayMs is { } ms and >= 0 ? TimeSpan.FromMilliseconds(ms) : null,
            ApiRetryStatus = session.LastRetryStatus,
            ApiRetried = session.ApiRetried,
            AssistantErrorText = session.AssistantErrorText,
            PermissionDenials = session.PermissionDenials,
            Denials = session.Denials.ToList(),
            StartFailure = startFailure,
            TranscriptPath = run.StartError is null ? transcriptPath : null,
            StandardErrorTail = standardErrorTail,
            JsonLines = session.JsonLines,
            SkippedLines = session.SkippedLines,
            KilledProcesses = run.KilledProcesses,
            SurvivingProcesses = run.SurvivingProcesses,
        };
    }

    public static Dictionary<string, string?> Environment(AgentSessionRequest request)
    {
        var env = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (request.Environment is not null)
        {
            foreach (var (name, value) in request.Environment) env[name] = value;
        }

        if (request.SessionType is not null) env.TryAdd("HARNESS_SESSION_TYPE", request.SessionType);
        return env;
    }
}
