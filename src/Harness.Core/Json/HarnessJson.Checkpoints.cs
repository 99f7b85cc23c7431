using System.Text.Json;
using Harness.Core.Checkpoints;
using Harness.Core.Entry;
using Harness.Core.Git;
using Harness.Core.Metrics;
using Harness.Core.Summaries;

namespace Harness.Core.Json;

/// <summary>The JSON of checkpoints, restores, summaries, handoffs and metrics (docs/formats.md).</summary>
public static partial class HarnessJson
{
    public static string Serialize(Checkpoint checkpoint) => Write(w => CheckpointJson.Write(w, checkpoint));

    public static string Serialize(IReadOnlyList<Checkpoint> checkpoints) => Write(w =>
    {
        w.WriteStartArray();
        foreach (var c in checkpoints)
        {
            CheckpointJson.Write(w, c);
        }

        w.WriteEndArray();
    });

    public static string Serialize(RestoreResult r) => Write(w =>
    {
        w.WriteStartObject();
        w.WritePropertyName("checkpoint");
        CheckpointJson.Write(w, r.Checkpoint);
        w.WriteBoolean("dry_run", r.DryRun);
        w.WriteString("previous_head", r.PreviousHead);
        w.WriteString("backup_ref", r.BackupRef);
        w.WriteString("backup_commit", r.BackupCommit);
        Files(w, "files", r.Files);
        Commits(w, "commits_dropped", r.CommitsDropped);
        Strings(w, "dirty_files", r.DirtyFiles);
        w.WriteEndObject();
    });

    public static string Serialize(SessionSummary s) => Write(w =>
    {
        w.WriteStartObject();
        w.WriteString("session_id", s.SessionId);
        w.WriteString("path", s.Path);
        w.WriteString("started_at", Time(s.StartedAt));
        w.WriteString("ended_at", Time(s.EndedAt));
        w.WriteString("final_state", s.FinalState.ToString());
        w.WriteString("health_status", s.Health.ToString());
        w.WriteNumber("features_done", s.FeaturesDone);
        w.WriteNumber("features_remaining", s.FeaturesRemaining);
        w.WriteNumber("features_completed", s.FeaturesCompleted);
        w.WriteString("markdown", s.Markdown);
        w.WriteEndObject();
    });

    public static string Serialize(HandoffResult h) => Write(w =>
    {
        w.WriteStartObject();
        w.WriteString("session_id", h.SessionId);
        w.WriteBoolean("already_done", h.AlreadyDone);
        if (h.Checkpoint is { } c)
        {
            w.WritePropertyName("checkpoint");
            CheckpointJson.Write(w, c);
        }
        else
        {
            w.WriteNull("checkpoint");
        }

        w.WriteString("summary", h.SummaryPath);
        if (h.Metrics is { } m)
        {
            w.WritePropertyName("metrics");
            MetricsStore.Write(w, m);
        }
        else
        {
            w.WriteNull("metrics");
        }

        Strings(w, "cleaned", h.Cleaned);
        w.WriteEndObject();
    });

    public static string Serialize(MetricsAggregate a, bool withSessions) => Write(w =>
    {
        w.WriteStartObject();
        w.WriteNumber("sessions", a.Sessions);
        w.WriteNumber("failed", a.Failed);
        w.WriteNumber("failure_rate", a.FailureRate);
        w.WriteNumber("total_cost_usd", a.TotalCostUsd);
        w.WriteNumber("total_input_tokens", a.TotalInputTokens);
        w.WriteNumber("total_output_tokens", a.TotalOutputTokens);
        w.WriteNumber("total_tokens", a.TotalTokens);
        w.WriteNumber("features_completed", a.FeaturesCompleted);
        w.WriteNumber("features_per_session", a.FeaturesPerSession);
        w.WriteNumber("total_duration_seconds", a.TotalDurationSeconds);
        w.WriteNumber("skipped_lines", a.SkippedLines);
        if (withSessions)
        {
            w.WriteStartArray("session_lines");
            foreach (var line in a.Lines)
            {
                MetricsStore.Write(w, line);
            }

            w.WriteEndArray();
        }

        w.WriteEndObject();
    });

    private static void WriteCrash(Utf8JsonWriter w, CrashReport? c)
    {
        if (c is null)
        {
            w.WriteNull("crash");
            return;
        }

        w.WriteStartObject("crash");
        w.WriteString("session_id", c.SessionId);
        w.WriteString("last_written_at", c.LastWrittenAt is { } t ? Time(t) : null);
        w.WriteString("policy", c.Policy.ToString().ToLowerInvariant());
        w.WriteString("action", c.Action);
        w.WriteString("checkpoint", c.Checkpoint);
        w.WriteString("backup_ref", c.BackupRef);
        w.WriteString("message", c.Message);
        w.WriteEndObject();
    }

    private static void WriteWhatBroke(Utf8JsonWriter w, WhatBroke? b)
    {
        if (b is null)
        {
            w.WriteNull("what_broke");
            return;
        }

        w.WriteStartObject("what_broke");
        w.WritePropertyName("last_good");
        CheckpointJson.Write(w, b.LastGood);
        Commits(w, "commits", b.Commits);
        Files(w, "files", b.Files);
        w.WriteEndObject();
    }

    private static void Files(Utf8JsonWriter w, string name, IReadOnlyList<GitFileChange> files)
    {
        w.WriteStartArray(name);
        foreach (var f in files)
        {
            w.WriteStartObject();
            w.WriteString("status", f.Status.ToString());
            w.WriteString("path", f.Path);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    private static void Commits(Utf8JsonWriter w, string name, IReadOnlyList<GitCommit> commits)
    {
        w.WriteStartArray(name);
        foreach (var c in commits)
        {
            w.WriteStartObject();
            w.WriteString("hash", c.Hash);
            w.WriteString("short_hash", c.ShortHash);
            w.WriteString("subject", c.Subject);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }
}
