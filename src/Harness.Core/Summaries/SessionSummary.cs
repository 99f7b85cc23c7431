using System.Globalization;
using System.Text;
using System.Text.Json;
using Harness.Core.Features;
using Harness.Core.Git;
using Harness.Core.IO;
using Harness.Core.Json;
using Harness.Core.Project;
using Harness.Core.State;

namespace Harness.Core.Summaries;

/// <summary>A feature whose status changed during the session.</summary>
public sealed record FeatureChange(string Id, string Name, string? From, string To);

/// <summary>A decision or blocker the agent recorded in state.json (<c>decisions[]</c>, <c>blockers[]</c>).</summary>
public sealed record SessionNote(string Text, string? Detail);

/// <summary>The facts of one session and the seed's markdown made from them.</summary>
public sealed record SessionSummary
{
    public required string SessionId { get; init; }

    public DateTimeOffset StartedAt { get; init; }

    public DateTimeOffset EndedAt { get; init; }

    public SessionState FinalState { get; init; }

    public HealthStatus Health { get; init; }

    public int FeaturesDone { get; init; }

    public int FeaturesRemaining { get; init; }

    /// <summary>Features in the list; 0 when there is none yet.</summary>
    public int FeaturesTotal { get; init; }

    public string? NextFeature { get; init; }

    public IReadOnlyList<FeatureChange> FeatureChanges { get; init; } = [];

    public IReadOnlyList<GitCommit> Commits { get; init; } = [];

    public IReadOnlyList<GitFileChange> Files { get; init; } = [];

    public IReadOnlyList<SessionNote> Decisions { get; init; } = [];

    public IReadOnlyList<SessionNote> Blockers { get; init; } = [];

    public IReadOnlyList<string> StatesVisited { get; init; } = [];

    public SessionOutcome Outcome { get; init; } = new();

    /// <summary>Features that became tested or completed during the session.</summary>
    public int FeaturesCompleted => FeatureChanges.Count(c => FeatureStatuses.IsDone(c.To) && !FeatureStatuses.IsDone(c.From));

    /// <summary>Where it was written; null until written.</summary>
    public string? Path { get; init; }

    public required string Markdown { get; init; }

    /// <summary>One line for people: what PowerShell shows for <c>"$x"</c> and what logs print.</summary>
    public override string ToString() => $"Session {SessionId}: {FinalState}, {FeaturesCompleted} completed, {FeaturesRemaining} remaining{(Path is { Length: > 0 } ? " (" + Path + ")" : "")}";
}

/// <summary>
/// Builds session summaries from facts: feature status changes (session-start.json against the
/// feature list now), commits and files since the session's start, the agent's result and cost,
/// and the decisions and blockers the agent recorded in state.json.
/// </summary>
internal sealed class SessionSummaryBuilder(IGit git, TimeProvider? clock = null)
{
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    public SessionSummary Build(ProjectLayout layout, SessionOutcome outcome) => Build(layout, outcome, git.Inspect(layout.Root));

    /// <summary>As <see cref="Build(ProjectLayout, SessionOutcome)"/>, with the repository already inspected (the handoff does it once for all its steps).</summary>
    internal SessionSummary Build(ProjectLayout layout, SessionOutcome outcome, Git.GitRepositoryInfo info)
    {
        var state = StateStore.Load(layout);
        var baseline = SessionBaseline.Load(layout);
        var features = FeatureStore.Load(layout);
        var ended = outcome.EndedAt ?? _clock.GetUtcNow();
        var sessionId = outcome.SessionId ?? baseline?.SessionId ?? state?.SessionId ?? "unknown";
        var started = outcome.StartedAt ?? baseline?.StartedAt ?? state?.LastEntryAt ?? ended;

        var changes = new List<FeatureChange>();
        foreach (var f in features?.Features ?? [])
        {
            string? before = null;
            if (baseline is not null && baseline.FeatureStatuses.TryGetValue(f.Id, out var b))
            {
                before = b;
            }

            if (baseline is not null && before != f.Status)
            {
                changes.Add(new FeatureChange(f.Id, f.Name, before, f.Status));
            }
        }

        IReadOnlyList<GitCommit> commits = [];
        IReadOnlyList<GitFileChange> files = [];
        if (info.IsRepository && info.Error is null && info.HeadCommit is { } head)
        {
            var since = baseline?.Head;
            commits = since is not null
                ? git.CommitsInRange(layout.Root, 200, $"{since}..{head}")
                : git.CommitsInRange(layout.Root, 200, $"--since={Timestamps.UtcSeconds(started)}", head);
            var from = since ?? (commits.Count > 0 ? commits[^1].Hash + "^" : head);
            var paths = new Checkpoints.ProjectPaths(layout, info);
            var diff = git.ResolveCommit(layout.Root, from) is not null ? git.DiffNames(layout.Root, from, null) : git.DiffNames(layout.Root, head, null);
            files = diff
                .Concat(git.UntrackedFiles(layout.Root).Where(p => !p.EndsWith('/')).Select(p => new GitFileChange('A', p)))
                .Where(f => !paths.IsBookkeeping(f.Path))
                .GroupBy(f => f.Path, StringComparer.Ordinal).Select(g => g.First())
                .OrderBy(f => f.Path, StringComparer.Ordinal)
                .ToList();
        }

        var (decisions, blockers) = Notes(state, sessionId, started);
        foreach (var f in features?.Features ?? [])
        {
            if (f.Status == FeatureStatuses.Blocked)
            {
                blockers.Add(new SessionNote($"{f.Id} {f.Name} is blocked", string.IsNullOrWhiteSpace(f.Notes) ? null : f.Notes));
            }
        }

        var visited = new List<string>();
        foreach (var t in state?.History ?? [])
        {
            if (t.At < started || t.At > ended.AddSeconds(1))
            {
                continue;
            }

            if (visited.Count == 0)
            {
                visited.Add(t.From.ToString());
            }

            if (visited[^1] != t.To.ToString())
            {
                visited.Add(t.To.ToString());
            }
        }

        if (visited.Count == 0 && state is not null)
        {
            visited.Add(state.State.ToString());
        }

        var summary = new SessionSummary
        {
            SessionId = sessionId,
            StartedAt = started,
            EndedAt = ended,
            FinalState = state?.State ?? SessionState.START,
            Health = state?.HealthStatus ?? HealthStatus.UNKNOWN,
            FeaturesDone = features?.Counts.Done ?? 0,
            FeaturesRemaining = features?.Counts.Remaining ?? 0,
            FeaturesTotal = features?.Counts.Total ?? 0,
            NextFeature = features?.NextFeature?.Id,
            FeatureChanges = changes,
            Commits = commits,
            Files = files,
            Decisions = decisions,
            Blockers = blockers,
            StatesVisited = visited,
            Outcome = outcome,
            Markdown = "",
        };
        return summary with { Markdown = Render(summary) };
    }

    /// <summary>Writes the summary to <c>sessions/&lt;UTC stamp&gt;.md</c> (the end time; -2, -3 ... on a clash).</summary>
    public static SessionSummary Write(ProjectLayout layout, SessionSummary summary)
    {
        var stamp = Timestamps.StampSeconds(summary.EndedAt);
        var path = System.IO.Path.Combine(layout.SessionsDirectory, stamp + ".md");
        for (var i = 2; File.Exists(path); i++)
        {
            path = System.IO.Path.Combine(layout.SessionsDirectory, $"{stamp}-{i}.md");
        }

        AtomicFile.WriteText(path, summary.Markdown);
        return summary with { Path = path };
    }

    public static string Render(SessionSummary s)
    {
        var md = new StringBuilder();
        void Line(string text) => md.Append(text).Append('\n');
        Line($"# Session Summary - {Iso(s.EndedAt)}");
        Line("");
        Line($"Session: {s.SessionId} ({Iso(s.StartedAt)} to {Iso(s.EndedAt)}, {Duration(s.EndedAt - s.StartedAt)})");
        Line("");
        Line("## State");
        Line($"- Final state: {s.FinalState}");
        Line($"- Health status: {s.Health}");
        Line($"- Features completed: {s.FeaturesDone}");
        Line($"- Features remaining: {s.FeaturesRemaining}");
        if (s.StatesVisited.Count > 0)
        {
            Line($"- States visited: {string.Join(" -> ", s.StatesVisited)}");
        }

        Line("");
        Line("## Work Done");
        if (s.FeatureChanges.Count == 0)
        {
            Line("- No feature changed status this session.");
        }

        var n = 1;
        foreach (var c in s.FeatureChanges)
        {
            Line($"{n++}. [{c.Id}] {c.Name} - {Describe(c)}");
        }

        var o = s.Outcome;
        if (o.ResultText is not null || o.CostUsd is not null || o.InputTokens is not null || o.OutputTokens is not null || o.Turns is not null || o.ExitReason is not null
            || o.PermissionDenials > 0 || o.Denials.Count > 0)
        {
            Line("");
            Line("## Agent");
            var facts = new List<string>();
            if (o.ExitReason is not null)
            {
                facts.Add($"exit: {o.ExitReason}");
            }

            if (o.Turns is { } turns)
            {
                facts.Add($"{turns} turns");
            }

            if (o.InputTokens is not null || o.OutputTokens is not null)
            {
                facts.Add(string.Create(CultureInfo.InvariantCulture, $"tokens: {o.InputTokens ?? 0} in, {o.OutputTokens ?? 0} out"));
            }

            if (o.CostUsd is { } cost)
            {
                facts.Add(string.Create(CultureInfo.InvariantCulture, $"cost: ${cost:0.0000}{(o.CostEstimated ? " (estimated from the usage the agent's stream showed: it ended without a result)" : "")}"));
            }

            if (o.Retries > 0)
            {
                facts.Add($"retries: {o.Retries}");
            }

            if (facts.Count > 0)
            {
                Line($"- {string.Join("; ", facts)}");
            }

            var denied = Math.Max(o.PermissionDenials, o.Denials.Count);
            if (denied > 0)
            {
                Line($"- Refused tool calls: {denied} (permission mode, rules or the guard hook)");
                foreach (var denial in o.Denials)
                {
                    Line($"  - {denial.ToolName}: {denial.Target}");
                }
            }

            if (!o.IsSuccess && !string.IsNullOrWhiteSpace(o.StandardErrorTail))
            {
                Line("");
                Line("Agent stderr (last lines):");
                Line("");
                foreach (var text in o.StandardErrorTail.Trim().Split('\n'))
                {
                    Line($"    {text.TrimEnd('\r')}".TrimEnd());
                }
            }

            if (!string.IsNullOrWhiteSpace(o.ResultText))
            {
                Line("");
                foreach (var text in o.ResultText.Trim().Split('\n'))
                {
                    Line($"> {text.TrimEnd('\r')}".TrimEnd());
                }
            }
        }

        if (o.IntegrityViolations.Count > 0)
        {
            Line("");
            Line("## Feature List Restored");
            Line("The agent changed the feature list beyond status, attempts and notes; the harness undid it:");
            foreach (var violation in o.IntegrityViolations)
            {
                Line($"- {violation}");
            }
        }

        Line("");
        Line("## Git Commits");
        if (s.Commits.Count == 0)
        {
            Line("- None.");
        }

        foreach (var c in s.Commits)
        {
            Line($"- {c.ShortHash}: {c.Subject}");
        }

        Line("");
        Line("## Decisions Made");
        if (s.Decisions.Count == 0)
        {
            Line("- None recorded (add them to state.json's decisions[]).");
        }

        foreach (var d in s.Decisions)
        {
            Line(d.Detail is null ? $"- {d.Text}" : $"- {d.Text}: {d.Detail}");
        }

        Line("");
        Line("## Blockers");
        if (s.Blockers.Count == 0)
        {
            Line("- None.");
        }

        foreach (var b in s.Blockers)
        {
            Line(b.Detail is null ? $"- [ ] {b.Text}" : $"- [ ] {b.Text} - {b.Detail}");
        }

        Line("");
        Line("## Next Session");
        Line("1. Run `harness entry` first");
        Line($"2. Resume from state: {s.FinalState}");
        Line($"3. Continue with feature: {s.NextFeature ?? NoNextFeature(s)}");
        Line($"4. Address blockers: {(s.Blockers.Count == 0 ? "none" : string.Join("; ", s.Blockers.Select(b => b.Text)))}");
        Line("");
        Line("## Files Modified");
        if (s.Files.Count == 0)
        {
            Line("- None.");
        }

        foreach (var f in s.Files)
        {
            Line($"- {f.Path} - {FileStatus(f.Status)}");
        }

        return md.ToString();
    }

    private static string NoNextFeature(SessionSummary s) =>
        s.FeaturesTotal == 0 ? "none (no features are listed yet)"
        : s.FeaturesRemaining == 0 && s.FeaturesDone < s.FeaturesTotal ? "none pending (the rest are blocked)"
        : "none (all done)";

    private static (List<SessionNote> Decisions, List<SessionNote> Blockers) Notes(HarnessState? state, string sessionId, DateTimeOffset started)
    {
        var decisions = new List<SessionNote>();
        var blockers = new List<SessionNote>();
        if (state?.UnknownFields is not { } fields)
        {
            return (decisions, blockers);
        }

        foreach (var (name, list, textKeys, detailKeys, isBlocker) in new[]
        {
            ("decisions", decisions, new[] { "decision", "text", "title" }, new[] { "rationale", "why", "detail" }, false),
            ("blockers", blockers, new[] { "blocker", "text", "title" }, new[] { "resolution", "suggested_resolution", "detail" }, true),
        })
        {
            if (!fields.TryGetValue(name, out var array) || array.ValueKind != JsonValueKind.Array)
            {
                continue;
            }

            foreach (var item in array.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.String)
                {
                    list.Add(new SessionNote(item.GetString()!, null));
                    continue;
                }

                if (item.ValueKind != JsonValueKind.Object)
                {
                    continue;
                }

                var text = First(item, textKeys);
                if (text is null)
                {
                    continue;
                }

                if (isBlocker && item.TryGetProperty("resolved", out var resolved) && resolved.ValueKind == JsonValueKind.True)
                {
                    continue;
                }

                // Decisions belong to the session that made them: by session_id, else by time.
                if (!isBlocker)
                {
                    var sid = First(item, ["session_id"]);
                    var at = First(item, ["at"]);
                    if (sid is not null && sid != sessionId)
                    {
                        continue;
                    }

                    if (sid is null && at is not null && Timestamps.TryParse(at, out var when) && when < started)
                    {
                        continue;
                    }
                }

                list.Add(new SessionNote(text, First(item, detailKeys)));
            }
        }

        return (decisions, blockers);
    }

    private static string? First(JsonElement o, string[] keys)
    {
        foreach (var key in keys)
        {
            if (o.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(v.GetString()))
            {
                return v.GetString();
            }
        }

        return null;
    }

    private static string Describe(FeatureChange c) => c.To switch
    {
        FeatureStatuses.Completed => c.From == FeatureStatuses.Tested ? "Completed" : "Implemented and completed",
        FeatureStatuses.Tested => "Implemented and tested",
        FeatureStatuses.InProgress => "Implementation started, testing pending",
        FeatureStatuses.Blocked => "Blocked",
        _ => c.From is null ? $"Added ({c.To})" : $"{c.From} -> {c.To}",
    };

    private static string FileStatus(char status) => status switch
    {
        'A' => "added",
        'D' => "deleted",
        'M' => "modified",
        'T' => "type changed",
        _ => "changed",
    };

    private static string Duration(TimeSpan d) =>
        d.TotalHours >= 1 ? $"{(int)d.TotalHours} h {d.Minutes} min" : d.TotalMinutes >= 1 ? $"{(int)d.TotalMinutes} min {d.Seconds} s" : $"{Math.Max(0, d.Seconds)} s";

    private static string Iso(DateTimeOffset t) => Timestamps.UtcSeconds(t);
}
