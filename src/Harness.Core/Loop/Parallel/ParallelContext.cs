using Harness.Core.Project;
using Harness.Core.Agents;
using Harness.Core.Git;

namespace Harness.Core.Loop.Parallel;

/// <summary>What every part of one parallel run shares: the project (its lock, config and list), git, the main line, the limits and the agent.</summary>
internal sealed record ParallelContext
{
    public required HarnessProject Project { get; init; }

    /// <summary>Worktrees, in-memory merges and rebases run on the git command line (docs/git.md, "Where the git CLI remains").</summary>
    public required GitCli Git { get; init; }

    public required MainLine Main { get; init; }

    public required LoopOptions Options { get; init; }

    public required LoopLimits Limits { get; init; }

    /// <summary>When the wall-time budget runs out (the project's clock); null without one. Outage waits stop there.</summary>
    public DateTimeOffset? WallDeadline { get; init; }

    public required IAgentRunner Agent { get; init; }

    public required MergeMode Merge { get; init; }

    /// <summary>The guard hooks passed to Claude Code with <c>--settings</c>; null when the loop passes none.</summary>
    public string? GuardSettingsFile { get; init; }
}
