using System.Globalization;
using System.Text;
using Harness.Core.Entry;
using Harness.Core.Health;

namespace Harness.Cli.Output;

/// <summary>The entry report as text, laid out like the seed script's so its users feel at home.</summary>
internal static class EntryReportText
{
    public static string Format(EntryReport r)
    {
        var s = new StringBuilder();
        s.AppendLine(r.DryRun ? "=== SESSION ENTRY PROTOCOL (dry run: nothing written) ===" : "=== SESSION ENTRY PROTOCOL ===");
        s.AppendLine();
        s.AppendLine("Phase 1: Safety Validation");
        var markers = r.ProjectMarkers.Count == 0 ? "no project markers" : string.Join(", ", r.ProjectMarkers);
        s.AppendLine(CultureInfo.InvariantCulture, $"  [1/4] Directory: OK ({r.Directory}; {markers}{(r.ProjectType is null ? "" : $"; type {r.ProjectType}")})");
        AppendGit(s, r);
        s.AppendLine(CultureInfo.InvariantCulture, $"  [3/4] Project config: {(r.ConfigPath is null ? "SKIP (no .claude/config/project.json)" : $"OK ({r.ConfigPath})")}");
        AppendHealth(s, r.Health);

        s.AppendLine();
        s.AppendLine("Phase 2: State Management");
        s.AppendLine(CultureInfo.InvariantCulture, $"  [1/3] State: {(r.StateCreated ? (r.DryRun ? "WOULD CREATE" : "CREATED") : "EXISTS")} ({r.CurrentState})");
        var c = r.Features.Counts;
        var features = r.FeatureStatus switch
        {
            FeatureListStatus.NO_FEATURE_LIST => r.Features.Path is null ? "NONE (need INIT)" : $"EMPTY ({r.Features.Path}; need INIT)",
            FeatureListStatus.HAS_PENDING_FEATURES => $"PENDING ({c.Remaining} of {c.Total} remaining{(r.Features.NextFeature is { } n ? $"; next {n.Id}: {n.Name}" : "")})",
            _ => $"COMPLETE ({c.Done} of {c.Total} done{(c.Blocked > 0 ? $", {c.Blocked} blocked" : "")})",
        };
        s.AppendLine(CultureInfo.InvariantCulture, $"  [2/3] Features: {features}");
        s.AppendLine(CultureInfo.InvariantCulture, $"  [3/3] Next state: {r.NextState} ({r.NextStateReason})");

        s.AppendLine();
        s.AppendLine("Phase 3: Context Loading");
        s.AppendLine(CultureInfo.InvariantCulture, $"  [1/3] Summary: {(r.LatestSummary is null ? "NONE" : $"FOUND ({r.LatestSummary})")}");
        var recent = r.RecentFilesSource switch
        {
            "file_history" => $"TRACKED ({string.Join(", ", r.RecentFiles)})",
            "git" => $"GIT ({string.Join(", ", r.RecentFiles)})",
            _ => "NONE",
        };
        s.AppendLine(CultureInfo.InvariantCulture, $"  [2/3] Recent files: {recent}");
        s.AppendLine(CultureInfo.InvariantCulture, $"  [3/3] Skill: {r.Skill}{(r.NextState == Harness.Core.State.SessionState.FIX_BROKEN ? " (fix broken app first)" : "")}");

        if (r.KilledSurvivors.Count > 0)
        {
            s.AppendLine();
            s.AppendLine(SurvivorProcess.Describe(r.KilledSurvivors));
        }

        if (r.Crash is { } crash)
        {
            s.AppendLine();
            s.AppendLine(CultureInfo.InvariantCulture, $"CRASH RECOVERY ({crash.Policy.ToString().ToLowerInvariant()}): {crash.Message}");
        }

        if (r.WhatBroke is { } broke)
        {
            s.AppendLine();
            s.AppendLine(CultureInfo.InvariantCulture, $"What changed since the last good checkpoint {broke.LastGood.Name} ({broke.LastGood.ShortCommit}):");
            foreach (var commit in broke.Commits)
            {
                s.AppendLine(CultureInfo.InvariantCulture, $"  commit {commit.ShortHash} {commit.Subject}");
            }

            foreach (var file in broke.Files.Take(30))
            {
                s.AppendLine(CultureInfo.InvariantCulture, $"  {file.Status} {file.Path}");
            }

            s.AppendLine(CultureInfo.InvariantCulture, $"  Options: fix it, or 'harness checkpoint restore {broke.LastGood.Name}' (backs up the current tree first)");
        }

        if (r.Warnings.Count > 0)
        {
            s.AppendLine();
            s.AppendLine("Warnings:");
            foreach (var warning in r.Warnings)
            {
                s.AppendLine(CultureInfo.InvariantCulture, $"  - {warning}");
            }
        }

        s.AppendLine();
        s.Append(CultureInfo.InvariantCulture, $"=== ENTRY COMPLETE: {r.SessionType} session, next state {r.NextState} ({r.DurationMs:0} ms) ===");
        return s.ToString();
    }

    private static void AppendGit(StringBuilder s, EntryReport r)
    {
        var repo = r.Git.Repository;
        if (!repo.IsRepository)
        {
            s.AppendLine(CultureInfo.InvariantCulture, $"  [2/4] Git context: SKIP ({repo.Error ?? "not a git repo"})");
            return;
        }

        var where = repo.IsDetached ? $"detached at {repo.HeadCommit?[..Math.Min(12, repo.HeadCommit.Length)]}" : $"branch {repo.Branch}";
        var extra = !repo.HasCommits ? "; no commits yet" : repo.IsShallow ? "; shallow clone" : "";
        s.AppendLine(CultureInfo.InvariantCulture, $"  [2/4] Git context: OK ({where}{extra})");
        foreach (var commit in r.Git.RecentCommits)
        {
            s.AppendLine(CultureInfo.InvariantCulture, $"         {commit.ShortHash} {commit.Subject}");
        }
    }

    private static void AppendHealth(StringBuilder s, HealthCheckResult h)
    {
        var seconds = h.Duration.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture);
        var line = h.Outcome switch
        {
            HealthOutcome.PASSED => $"OK ({h.Description}{(h.IsFallback ? ", fallback" : "")}; {seconds} s)",
            HealthOutcome.SKIPPED => $"SKIP ({h.Description})",
            HealthOutcome.TIMED_OUT => $"TIMED OUT ({h.Description})",
            HealthOutcome.ERROR => $"ERROR ({h.Description})",
            _ => $"FAILED ({h.Description}; {seconds} s)",
        };
        s.AppendLine(CultureInfo.InvariantCulture, $"  [4/4] Health check: {line}");
        if (h.Outcome is HealthOutcome.FAILED or HealthOutcome.TIMED_OUT or HealthOutcome.ERROR)
        {
            s.AppendLine();
            s.AppendLine("  APP IS BROKEN - Fix before starting new work");
            s.AppendLine(CultureInfo.InvariantCulture, $"  Health command: {h.Command}");
            foreach (var tailLine in h.OutputTail.Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast(20))
            {
                s.AppendLine(CultureInfo.InvariantCulture, $"    | {tailLine.TrimEnd('\r')}");
            }
        }
    }
}
