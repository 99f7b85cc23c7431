using Harness.Core.Agents;

namespace Harness.Core.Loop.Outages;

/// <summary>Kinds of failure that are the API's or the account's, never the feature's.</summary>
internal enum OutageKind
{
    /// <summary>HTTP 429: too many requests.</summary>
    RateLimit,

    /// <summary>HTTP 529 or an <c>overloaded</c> error.</summary>
    Overloaded,

    /// <summary>HTTP 5xx.</summary>
    ServerError,

    /// <summary>An API error without an HTTP status: the request got no answer (connection refused, reset, timed out).</summary>
    ConnectionFailure,

    /// <summary>A subscription's session, five-hour or weekly limit, with its reset time when the agent said it.</summary>
    UsageLimit,
}

/// <summary>
/// An agent run that failed because of the API or the account, not the work: the loop waits and
/// runs the session again without charging the feature (docs/loop.md, "Outages"). Decided from the
/// agent's structured events only (status codes, <c>rate_limit_event</c>, <c>api_retry</c>, the
/// error result's and error message's text), never from what tools printed.
/// </summary>
internal sealed record InfrastructureFailure(OutageKind Kind, string Description, DateTimeOffset? ResetsAt, TimeSpan? RetryAfter)
{
    /// <summary>Rate limits and usage limits are waited out as "rate limit"; the rest is an "API outage".</summary>
    public string Category => Kind is OutageKind.RateLimit or OutageKind.UsageLimit or OutageKind.Overloaded ? "rate limit" : "API outage";

    /// <returns>Null when the run failed for another reason (or did not fail).</returns>
    public static InfrastructureFailure? Of(AgentSessionResult r, DateTimeOffset now)
    {
        if (r.Outcome is not (AgentOutcome.RateLimited or AgentOutcome.ApiError or AgentOutcome.Crashed))
        {
            return null;
        }

        var limit = UsageLimitMessage.Recognise(r.AssistantErrorText, now) ?? (r.IsError ? UsageLimitMessage.Recognise(r.ResultText, now) : null);
        var eventReset = r.RateLimit is { Rejected: true, ResetsAt: { } at } ? at : (DateTimeOffset?)null;
        if (limit is not null)
        {
            return new(OutageKind.UsageLimit, $"usage limit: {limit.Text}", eventReset ?? limit.ResetsAt, r.RetryAfter);
        }

        if (r.Outcome == AgentOutcome.Crashed)
        {
            // A crash is the agent's own failure unless it died saying it hit a limit.
            return null;
        }

        var status = r.ApiErrorStatus ?? r.ApiRetryStatus;
        if (r.Outcome == AgentOutcome.RateLimited)
        {
            if (eventReset is not null)
            {
                return new(OutageKind.UsageLimit, $"usage limit{(r.RateLimit!.Type is { } type ? $" ({type})" : "")} rejected the request", eventReset, r.RetryAfter);
            }

            return status == 529 || r.Errors.Contains("assistant error: overloaded") || r.Errors.Contains("assistant error: overloaded_error")
                ? new(OutageKind.Overloaded, "API overloaded (529)", null, r.RetryAfter)
                : new(OutageKind.RateLimit, $"rate limited ({status?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "429"})", null, r.RetryAfter);
        }

        return status switch
        {
            >= 500 => new(OutageKind.ServerError, $"API server error ({status})", null, r.RetryAfter),
            null when NoAnswer(r) => new(OutageKind.ConnectionFailure, "API connection failure (no HTTP answer)", null, r.RetryAfter),
            _ => null,
        };
    }

    /// <summary>
    /// Whether a status-less API error is a request that got no answer: the CLI retried it without a
    /// status, called it a <c>server_error</c>, or said so in its error (Claude Code 2.1.332: "API
    /// Error: Connection refused … (ECONNREFUSED)"). Anything else without a status (a bad key, a
    /// refused request the CLI words its own way) stays the session's failure, so a misconfiguration
    /// fails fast instead of waiting out the outage budget.
    /// </summary>
    private static bool NoAnswer(AgentSessionResult r)
    {
        if ((r.ApiRetried && r.ApiRetryStatus is null) || r.Errors.Contains("assistant error: server_error"))
        {
            return true;
        }

        var text = r.AssistantErrorText ?? (r.IsError ? r.ResultText : null) ?? "";
        return ConnectionWords.Any(w => text.Contains(w, StringComparison.OrdinalIgnoreCase));
    }

    private static readonly string[] ConnectionWords = ["connection error", "connection refused", "connection reset", "econnrefused", "econnreset", "etimedout", "enotfound", "eai_again", "socket hang up", "fetch failed", "request timed out", "network"];
}
