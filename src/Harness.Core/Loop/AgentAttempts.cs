using System.Globalization;
using Harness.Core.Agents;

namespace Harness.Core.Loop;

/// <summary>The session's agent runs summed; <c>Outage</c> is set when the last run failed for infrastructure and the loop gave up waiting (why).</summary>
internal sealed record AttemptTotals(AgentSessionResult Last, int Retries, decimal Cost, bool CostEstimated, long InputTokens, long OutputTokens, int Turns, string? Outage = null)
{
    /// <summary>The agent's part of a session's result, the same for the sequential loop and a parallel worker; the caller adds the rest with <c>with</c>.</summary>
    public LoopSessionResult ToSessionResult(string sessionId, TimeSpan duration) => new()
    {
        SessionId = sessionId,
        Outcome = Last.Outcome,
        ExitReason = AutonomousLoop.ExitReason(Last.Outcome),
        Retries = Retries,
        CostUsd = Cost,
        CostEstimated = CostEstimated,
        InputTokens = InputTokens,
        OutputTokens = OutputTokens,
        Turns = Turns,
        Duration = duration,
        PermissionDenials = Last.PermissionDenials,
        Denials = Last.Denials,
        StartFailure = Last.StartFailure,
        StandardErrorTail = Last.StandardErrorTail,
        Outage = Outage,
        TranscriptPath = Last.TranscriptPath,
        ResultText = Last.Outcome is AgentOutcome.StartFailed or AgentOutcome.PermissionDenied ? string.Join("; ", Last.Errors) : Last.ResultText,
    };
}

/// <summary>
/// One session's agent runs, for the sequential loop and every parallel worker alike: an
/// infrastructure failure (429, 529, 5xx, connection, usage limit) is waited out and the session run
/// again, never charged (past <c>outage_budget</c> the totals carry the reason); a crash, API or
/// execution error is retried with backoff up to <c>max_retries</c>; an agent that ended before its
/// first turn gets one more try. An outage wait never runs past the loop's wall-time budget
/// (<c>wallDeadline</c>). The caller says how a wait and a retry are shown.
/// </summary>
internal sealed class AgentAttempts(LoopLimits limits, TimeProvider clock, DateTimeOffset? wallDeadline)
{
    /// <summary>What the runs so far cost (progress shows it while a run goes on).</summary>
    public decimal Cost { get; private set; }

    /// <param name="agent">The agent that runs the session.</param>
    /// <param name="request">The request for attempt N (1-based).</param>
    /// <param name="progress">The agent's events as they come.</param>
    /// <param name="wait">Waits (showing why); false when cancelled.</param>
    /// <param name="retrying">Shows a retry: its wait and the message.</param>
    /// <param name="cancellationToken">Ends the runs and the waits.</param>
    public async Task<AttemptTotals> RunAsync(
        IAgentRunner agent, Func<int, AgentSessionRequest> request, IProgress<AgentEvent> progress,
        Func<TimeSpan, string, CancellationToken, Task<bool>> wait, Action<TimeSpan, string> retrying, CancellationToken cancellationToken)
    {
        int retries = 0, turns = 0;
        var outage = new Outages.OutageTracker(limits, clock, wallDeadline);
        Cost = 0;
        var estimated = false;
        var startRetried = false;
        long input = 0, output = 0;
        for (var attemptNumber = 1; ; attemptNumber++)
        {
            var result = await agent.RunAsync(request(attemptNumber), progress, cancellationToken).ConfigureAwait(false);
            Cost += result.CostUsd ?? 0;
            estimated |= result.CostEstimated;
            input += result.InputTokens + result.CacheReadTokens + result.CacheCreationTokens;
            output += result.OutputTokens;
            turns += result.Turns ?? 0;

            if (Outages.InfrastructureFailure.Of(result, clock.GetUtcNow()) is { } failure)
            {
                // The API's or the account's failure: wait it out and run the session again, never charging the feature.
                var step = outage.Next(failure);
                if (step.GiveUp is { } giveUp)
                {
                    return new AttemptTotals(result, retries, Cost, estimated, input, output, turns, giveUp);
                }

                if (!await wait(step.Wait, $"{failure.Category}: {failure.Description}; failure {outage.Failures} of this outage, {Outages.OutageTracker.Format(outage.Lasted)} so far", cancellationToken).ConfigureAwait(false))
                {
                    return new AttemptTotals(result with { Outcome = AgentOutcome.Cancelled }, retries, Cost, estimated, input, output, turns);
                }

                continue;
            }

            outage.Recovered();
            TimeSpan delay;
            switch (result.Outcome)
            {
                case AgentOutcome.ApiError or AgentOutcome.Crashed or AgentOutcome.ExecutionError when retries < limits.MaxRetries:
                    retries++;
                    delay = limits.Backoff(retries);
                    retrying(delay, string.Create(CultureInfo.InvariantCulture, $"{AutonomousLoop.ExitReason(result.Outcome)}; retry {retries} of {limits.MaxRetries} in {delay.TotalSeconds:0.#} s"));
                    break;
                case AgentOutcome.StartFailed when result.StartFailure == AgentStartFailure.EndedBeforeFirstTurn && !startRetried:
                    // Maybe a passing cause (a busy machine, a lock); once, then the loop stops with the reason.
                    startRetried = true;
                    retries++;
                    delay = limits.Backoff(1);
                    retrying(delay, string.Create(CultureInfo.InvariantCulture, $"the agent ended before its first turn{AutonomousLoop.LastLines(result.StandardErrorTail, ": ")}; one more try in {delay.TotalSeconds:0.#} s"));
                    break;
                default:
                    return new AttemptTotals(result, retries, Cost, estimated, input, output, turns);
            }

            if (!await wait(delay, "retry backoff", cancellationToken).ConfigureAwait(false))
            {
                return new AttemptTotals(result with { Outcome = AgentOutcome.Cancelled }, retries, Cost, estimated, input, output, turns);
            }
        }
    }
}
