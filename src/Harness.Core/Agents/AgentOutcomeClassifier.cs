namespace Harness.Core.Agents;

/// <summary>
/// The decision table of docs/agents.md: how a run is classified from the watchdog's findings,
/// the exit code and the result event together. First matching row wins.
/// </summary>
internal static class AgentOutcomeClassifier
{
    /// <summary>HTTP statuses that mean "too many requests" or "overloaded": wait, do not count as a broken run.</summary>
    public static bool IsRateLimitStatus(int? status) => status is 429 or 529;

    /// <param name="session">What the stream-json said (may have no result event).</param>
    /// <param name="exitCode">Null when killed or never started.</param>
    /// <param name="timedOut">The watchdog killed the tree at the session timeout.</param>
    /// <param name="cancelled">The watchdog killed the tree because the caller cancelled.</param>
    /// <param name="startFailed">The executable could not be started.</param>
    /// <param name="resultEventRequired">
    /// True for Claude Code: a run without a result event crashed whatever its exit code. False for a
    /// plain command, whose exit code decides when it printed no result event.
    /// </param>
    public static AgentOutcome Classify(StreamJsonSession session, int? exitCode, bool timedOut, bool cancelled, bool startFailed, bool resultEventRequired)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (startFailed) return AgentOutcome.StartFailed;
        if (cancelled) return AgentOutcome.Cancelled;
        if (timedOut) return AgentOutcome.TimedOut;

        if (!session.HasResult)
        {
            // The CLI's own retries ran out on a 429 but it died before the result: still a rate limit.
            if (session.RateLimitRejected) return AgentOutcome.RateLimited;
            if (StartFailureOf(session, exitCode, timedOut, cancelled, startFailed, resultEventRequired) != AgentStartFailure.None) return AgentOutcome.StartFailed;
            if (resultEventRequired) return AgentOutcome.Crashed;
            return exitCode == 0 ? AgentOutcome.Completed : AgentOutcome.Crashed;
        }

        var subtype = session.Subtype ?? "";
        if (subtype == "error_max_turns" || session.TerminalReason == "max_turns") return AgentOutcome.MaxTurns;
        if (subtype.StartsWith("error_max_budget", StringComparison.Ordinal)) return AgentOutcome.BudgetExceeded;

        if (session.IsError)
        {
            if (IsRateLimitStatus(session.ApiErrorStatus) || session.RateLimitRejected || HasRateLimitError(session)) return AgentOutcome.RateLimited;
            if (session.ApiErrorStatus is not null) return AgentOutcome.ApiError;
            if (subtype.StartsWith("error", StringComparison.Ordinal)) return AgentOutcome.ExecutionError;

            // is_error under subtype "success" is how the CLI reports API failures, with or without a status.
            return AgentOutcome.ApiError;
        }

        if (subtype.StartsWith("error", StringComparison.Ordinal)) return AgentOutcome.ExecutionError;
        return session.PermissionDenials > 0 ? AgentOutcome.PermissionDenied : AgentOutcome.Completed;
    }

    /// <summary>
    /// Why the agent never got to work, or <see cref="AgentStartFailure.None"/>: it could not be
    /// started; a shell could not run it (126, 127) and it printed no result; or, for Claude Code, it
    /// ended by itself before its first turn, having printed no session event at all (no init).
    /// </summary>
    public static AgentStartFailure StartFailureOf(StreamJsonSession session, int? exitCode, bool timedOut, bool cancelled, bool startFailed, bool resultEventRequired)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (startFailed) return AgentStartFailure.CouldNotStart;
        if (timedOut || cancelled || session.HasResult) return AgentStartFailure.None;
        if (exitCode is 126 or 127) return AgentStartFailure.CommandNotRunnable;
        return resultEventRequired && exitCode is not null && !session.Started ? AgentStartFailure.EndedBeforeFirstTurn : AgentStartFailure.None;
    }

    private static bool HasRateLimitError(StreamJsonSession session) =>
        session.AssistantErrors.Any(e => e is "rate_limit" or "overloaded" or "overloaded_error" or "rate_limit_error");
}
