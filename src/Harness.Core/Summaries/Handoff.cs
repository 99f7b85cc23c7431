using Harness.Core.Checkpoints;
using Harness.Core.Metrics;
using Harness.Core.Project;
using Harness.Core.State;

namespace Harness.Core.Summaries;

/// <summary>What a handoff did. <see cref="AlreadyDone"/>: this session was handed off before; nothing changed.</summary>
public sealed record HandoffResult
{
    public required string SessionId { get; init; }

    public bool AlreadyDone { get; init; }

    public Checkpoint? Checkpoint { get; init; }

    public string? SummaryPath { get; init; }

    public SessionMetrics? Metrics { get; init; }

    public IReadOnlyList<string> Cleaned { get; init; } = [];

    /// <summary>One line for people: what PowerShell shows for <c>"$x"</c> and what logs print.</summary>
    public override string ToString() => $"Session {SessionId} {(AlreadyDone ? "was handed off already" : "handed off")}{(Checkpoint is null ? "" : ", checkpoint " + Checkpoint.Name)}";
}

/// <summary>
/// The end of a session, in one call: summary, checkpoint (which commits it), state clean
/// (<c>dirty: false</c>), metrics line, cleanup of the harness's own temporary files. The metrics
/// line is the record that a session was handed off, so a second call for the same session
/// changes nothing.
/// </summary>
internal sealed class Handoff(HarnessProject project)
{
    public HandoffResult Run(SessionOutcome outcome)
    {
        var layout = project.Layout;
        var host = project.Host;

        // Everything the handoff writes is read (and so validated) before anything changes.
        project.EnsureLocked("session handoff");
        var state = StateStore.Load(layout);
        var metricsSoFar = MetricsStore.Read(layout);
        var sessionId = outcome.SessionId ?? SessionBaseline.Load(layout)?.SessionId ?? SessionOfLastEntry(state, metricsSoFar.Lines)
            ?? throw new Errors.HarnessException(Errors.ErrorIds.SessionUnknown, Errors.HarnessErrorCategory.InvalidArgument, $"{layout.StateFile}: no session to hand off: no entry was recorded and there is no session-start.json.")
            {
                FilePath = layout.StateFile,
                Fix = "Run the session entry first, or pass the session id.",
            };
        if (metricsSoFar.Lines.LastOrDefault(l => l.SessionId == sessionId) is { } done)
        {
            host.WriteVerbose($"Session {sessionId} was handed off already ({layout.MetricsFile}); nothing to do.");
            return new HandoffResult { SessionId = sessionId, AlreadyDone = true, Metrics = done, SummaryPath = done.Summary };
        }

        IO.FileErrors.EnsureWritable(layout.ProgressDirectory);
        var now = project.Clock.GetUtcNow();
        outcome = outcome with { SessionId = sessionId, EndedAt = outcome.EndedAt ?? now };
        // One inspection for the summary and the checkpoint: nothing moves HEAD in between.
        var info = project.Git.Inspect(layout.Root);
        var summary = SessionSummaryBuilder.Write(layout, new SessionSummaryBuilder(project.Git, project.Clock).Build(layout, outcome, info));
        host.WriteVerbose($"Summary: {summary.Path}");

        // state.json first, so the checkpoint records the session as ended; state, checkpoint.json
        // and metrics.jsonl are git-ignored (HarnessFiles), so git status is clean afterwards.
        StateStore.Update(project, s =>
        {
            s.Dirty = false;
            s.LastAction = "handoff";
            s.SessionId = sessionId;
        }, now);

        Checkpoint? checkpoint = null;
        if (info.IsRepository && info.Error is null)
        {
            var finished = summary.FeatureChanges.Where(c => Features.FeatureStatuses.IsDone(c.To)).Select(c => $"{c.Id} {c.To}").ToList();
            checkpoint = new CheckpointStore(project).Save(new CheckpointOptions
            {
                SessionId = sessionId,
                Reason = finished.Count > 0 ? $"session handoff; {string.Join(", ", finished)}" : "session handoff",
            }, info);
        }
        else
        {
            host.WriteWarning($"{layout.Root} is not a git repository; the handoff makes no checkpoint.");
        }

        var metrics = new SessionMetrics
        {
            SessionId = sessionId,
            StartedAt = summary.StartedAt,
            EndedAt = summary.EndedAt,
            HealthStatus = summary.Health.ToString(),
            StatesVisited = summary.StatesVisited,
            Compressions = outcome.Compressions,
            Retries = outcome.Retries,
            InputTokens = outcome.InputTokens,
            OutputTokens = outcome.OutputTokens,
            CostUsd = outcome.CostUsd,
            CostEstimated = outcome.CostEstimated,
            Turns = outcome.Turns,
            ExitReason = outcome.ExitReason,
            Succeeded = outcome.IsSuccess,
            FeaturesCompleted = summary.FeaturesCompleted,
            IntegrityViolations = outcome.IntegrityViolations,
            PermissionDenials = Math.Max(outcome.PermissionDenials, outcome.Denials.Count),
            Denials = outcome.Denials,
            StderrTail = string.IsNullOrWhiteSpace(outcome.StandardErrorTail) ? null : outcome.StandardErrorTail,
            Checkpoint = checkpoint?.Name,
            Summary = summary.Path,
        };
        MetricsStore.Append(project, metrics);
        var cleaned = Cleanup(layout);
        return new HandoffResult { SessionId = sessionId, Checkpoint = checkpoint, SummaryPath = summary.Path, Metrics = metrics, Cleaned = cleaned };
    }

    /// <summary>
    /// The session a handoff without a session id and without session-start.json ends: a person
    /// who ran the entry and worked by hand. state.json's session_id while that session has not
    /// been handed off, or was handed off after the last entry (a second handoff changes nothing);
    /// else one derived from the last entry's time, stable for every handoff of that entry.
    /// Null when no entry was ever recorded.
    /// </summary>
    private static string? SessionOfLastEntry(HarnessState? state, IReadOnlyList<SessionMetrics> metrics)
    {
        if (state is null)
        {
            return null;
        }

        if (state.SessionId is { } id)
        {
            var done = metrics.LastOrDefault(l => l.SessionId == id);
            if (done is null || state.LastEntryAt is null || done.EndedAt >= state.LastEntryAt)
            {
                return id;
            }
        }

        return state.LastEntryAt is { } entered
            ? entered.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'.'fff'Z'", System.Globalization.CultureInfo.InvariantCulture) + "-entry"
            : null;
    }

    /// <summary>The harness's own leftovers: the session baseline, atomic-write temporaries, stale lock files set aside.</summary>
    private static List<string> Cleanup(ProjectLayout layout)
    {
        var removed = new List<string>();
        var candidates = new List<string> { SessionBaseline.PathFor(layout) };
        if (Directory.Exists(layout.ProgressDirectory))
        {
            candidates.AddRange(Directory.EnumerateFiles(layout.ProgressDirectory, ".*.tmp", SearchOption.AllDirectories));
            candidates.AddRange(Directory.EnumerateFiles(layout.ProgressDirectory, "harness.lock.stale-*"));
        }

        foreach (var file in candidates)
        {
            try
            {
                if (File.Exists(file))
                {
                    File.Delete(file);
                    removed.Add(file);
                }
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        return removed;
    }
}
