using System.Globalization;
using Harness.Core.Project;

namespace Harness.Core.Loop;

/// <summary>The limits of one loop run: the caller's options over project.json's <c>loop</c>.</summary>
internal sealed record LoopLimits
{
    public int? MaxIterations { get; init; }

    public TimeSpan ContinueDelay { get; init; }

    public TimeSpan? SessionTimeout { get; init; }

    public TimeSpan CheckpointInterval { get; init; }

    public int MaxRetries { get; init; }

    public int StallLimit { get; init; }

    public int FeatureAttempts { get; init; }

    public int CircuitBreaker { get; init; }

    public decimal? MaxCostUsd { get; init; }

    public long? MaxTokens { get; init; }

    public TimeSpan? MaxWallTime { get; init; }

    public TimeSpan MaxRateLimitWait { get; init; }

    public TimeSpan RetryBaseDelay { get; init; }

    /// <summary>How long one outage (infrastructure failures in a row) may last before the loop stops with <see cref="LoopStopReason.Outage"/>.</summary>
    public TimeSpan OutageBudget { get; init; }

    public static LoopLimits From(LoopOptions o, LoopSettings c) => new()
    {
        MaxIterations = o.MaxIterations ?? c.MaxIterations,
        ContinueDelay = o.ContinueDelay ?? TimeSpan.FromSeconds(c.ContinueDelay),
        SessionTimeout = o.SessionTimeout ?? (c.SessionTimeout is { } t ? TimeSpan.FromSeconds(t) : null),
        CheckpointInterval = o.CheckpointInterval ?? TimeSpan.FromSeconds(c.CheckpointInterval),
        MaxRetries = o.MaxRetries ?? c.MaxRetries,
        StallLimit = o.StallLimit ?? c.StallLimit,
        FeatureAttempts = o.FeatureAttempts ?? c.FeatureAttempts,
        CircuitBreaker = o.CircuitBreaker ?? c.CircuitBreaker,
        MaxCostUsd = o.MaxCostUsd ?? c.MaxCostUsd,
        MaxTokens = o.MaxTokens ?? c.MaxTokens,
        MaxWallTime = o.MaxWallTime ?? (c.MaxWallTime is { } w ? TimeSpan.FromSeconds(w) : null),
        MaxRateLimitWait = o.MaxRateLimitWait ?? TimeSpan.FromSeconds(c.MaxRateLimitWait),
        RetryBaseDelay = o.RetryBaseDelay ?? TimeSpan.FromSeconds(c.RetryBaseDelay),
        OutageBudget = o.OutageBudget ?? TimeSpan.FromSeconds(c.OutageBudget),
    };

    /// <summary>Exponential backoff with ±25% jitter (so parallel harnesses do not retry in step), capped at five minutes.</summary>
    public TimeSpan Backoff(int retry)
    {
        var seconds = RetryBaseDelay.TotalSeconds * Math.Pow(2, Math.Max(0, retry - 1));
        seconds = Math.Min(seconds, 300) * (0.75 + (Random.Shared.NextDouble() * 0.5));
        return TimeSpan.FromSeconds(seconds);
    }

    /// <summary>The first budget or limit a run has reached after <paramref name="sessions"/> sessions, with its message; null when none.</summary>
    public (LoopStopReason Reason, string Message)? Reached(int sessions, decimal cost, long tokens, TimeSpan elapsed)
    {
        if (MaxIterations is { } max && sessions >= max)
        {
            return (LoopStopReason.MaxIterations, $"reached max_iterations ({max})");
        }

        if (MaxCostUsd is { } maxCost && cost >= maxCost)
        {
            return (LoopStopReason.CostBudget, string.Create(CultureInfo.InvariantCulture, $"cost budget reached: ${cost:0.####} of ${maxCost:0.####}"));
        }

        if (MaxTokens is { } maxTokens && tokens >= maxTokens)
        {
            return (LoopStopReason.TokenBudget, $"token budget reached: {tokens} of {maxTokens}");
        }

        if (MaxWallTime is { } maxWall && elapsed >= maxWall)
        {
            return (LoopStopReason.WallTime, string.Create(CultureInfo.InvariantCulture, $"wall-time budget reached: {elapsed.TotalSeconds:0} s of {maxWall.TotalSeconds:0} s"));
        }

        return null;
    }
}
