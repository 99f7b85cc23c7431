using System.Globalization;

namespace Harness.Core.Loop.Outages;

/// <summary>What to do after an infrastructure failure: wait this long, or give up with the reason.</summary>
internal sealed record OutageStep(TimeSpan Wait, string? GiveUp);

/// <summary>
/// One outage: the infrastructure failures in a row within a session, from the first until an agent
/// run that does not fail that way. Each failure waits: until the usage limit's reset when known (at
/// most <c>max_rate_limit_wait</c>), else exponential backoff with jitter and never less than the
/// server's retry-after. The whole outage may last <c>outage_budget</c>; past that the loop stops
/// (<see cref="LoopStopReason.Outage"/>) instead of charging the feature. A wait that would pass the
/// loop's wall-time budget (<paramref name="wallDeadline"/>, from <c>max_wall_time</c>) gives up too:
/// the budget holds during an outage as between sessions.
/// </summary>
internal sealed class OutageTracker(LoopLimits limits, TimeProvider clock, DateTimeOffset? wallDeadline = null)
{
    private DateTimeOffset? _since;

    /// <summary>Failures in the current outage.</summary>
    public int Failures { get; private set; }

    /// <summary>How long the current outage has lasted.</summary>
    public TimeSpan Lasted => _since is { } since ? clock.GetUtcNow() - since : TimeSpan.Zero;

    /// <summary>An agent run that did not fail for infrastructure: the outage, if any, is over.</summary>
    public void Recovered()
    {
        _since = null;
        Failures = 0;
    }

    public OutageStep Next(InfrastructureFailure failure)
    {
        var now = clock.GetUtcNow();
        _since ??= now;
        Failures++;
        var lasted = now - _since.Value;
        TimeSpan wait;
        if (failure.ResetsAt is { } reset)
        {
            wait = reset - now + TimeSpan.FromSeconds(1);
            if (wait < TimeSpan.FromSeconds(1))
            {
                wait = TimeSpan.FromSeconds(1);
            }

            if (wait > limits.MaxRateLimitWait)
            {
                return new(wait, $"{failure.Description}; it resets at {Json.Timestamps.Display(reset)}, in {Format(wait)}, beyond loop.max_rate_limit_wait ({Format(limits.MaxRateLimitWait)}). No feature was charged; run the loop again after the reset");
            }
        }
        else
        {
            wait = limits.Backoff(Failures);
            if (failure.RetryAfter is { } retryAfter && retryAfter > wait)
            {
                wait = retryAfter;
            }
        }

        if (wallDeadline is { } deadline && now + wait > deadline)
        {
            return new(wait, $"{failure.Description}; waiting {Format(wait)} more would pass the loop's wall-time budget (max_wall_time) at {Json.Timestamps.Display(deadline)}. No feature was charged");
        }

        if (lasted + wait > limits.OutageBudget)
        {
            return new(wait, $"{failure.Description}; the outage has lasted {Format(lasted)} over {Failures} failed run(s), and waiting {Format(wait)} more would pass loop.outage_budget ({Format(limits.OutageBudget)}). No feature was charged");
        }

        return new(wait, null);
    }

    internal static string Format(TimeSpan t) => t.TotalHours >= 1
        ? string.Create(CultureInfo.InvariantCulture, $"{(int)t.TotalHours} h {t.Minutes} min")
        : t.TotalMinutes >= 1 ? string.Create(CultureInfo.InvariantCulture, $"{(int)t.TotalMinutes} min {t.Seconds} s")
        : string.Create(CultureInfo.InvariantCulture, $"{t.TotalSeconds:0.#} s");
}
