using Harness.Core.Processes;

namespace Harness.Core.Agents;

/// <summary>Builds an <see cref="AgentSessionResult"/> from what the process and the stream said.</summary>
internal static class AgentResults
{
    public static AgentSessionResult Build(ProcessResult run, string standardErrorTail, StreamJsonSession session, string? transcriptPath, bool resultEventRequired)
    {
        var outcome = AgentOutcomeClassifier.Classify(session, run.ExitCode, run.TimedOut, run.Cancelled, run.StartError is not null, resultEventRequired);
        var errors = new List<string>();
        if (run.StartError is not null) errors.Add(run.StartError);
        errors.AddRange(session.Errors);
        if (run.TimedOut) errors.Add("session timeout: the agent's process tree was killed");
        if (run.Cancelled) errors.Add("cancelled: the agent's process tree was killed");
        if (outcome == AgentOutcome.Crashed && !session.HasResult)
            errors.Add(run.ExitCode is { } code ? $"the agent exited with code {code} without a result event" : "the agent ended without a result event");
        if (run.OutputCutOff) errors.Add("the agent's output was still open after its process tree was killed; stopped reading");
        if (run.OutputError is not null) errors.Add("reading the agent's output failed: " + run.OutputError);
        if (run.SurvivingProcesses.Count > 0) errors.Add("processes that could not be killed: " + string.Join(", ", run.SurvivingProcesses));

        return new AgentSessionResult
        {
            Outcome = outcome,
            ExitCode = run.ExitCode,
            Duration = run.Duration,
            AgentSessionId = session.SessionId,
            Model = session.Model,
            Turns = session.Turns,
            CostUsd = session.CostUsd,
            InputTokens = session.InputTokens,
            OutputTokens = session.OutputTokens,
            CacheReadTokens = session.CacheReadTokens,
            CacheCreationTokens = session.CacheCreationTokens,
            ResultText = session.ResultText,
            HasResultEvent = session.HasResult,
            Subtype = session.Subtype,
            IsError = session.IsError,
            TerminalReason = session.TerminalReason,
            ApiErrorStatus = session.ApiErrorStatus,
            Errors = errors,
            RateLimit = session.RateLimit,
            PermissionDenials = session.PermissionDenials,
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
