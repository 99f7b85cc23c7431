using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Harness.Core.Entry;
using Harness.Core.Features;
using Harness.Core.Git;
using Harness.Core.Health;
using Harness.Core.Project;

namespace Harness.Core.Json;

/// <summary>
/// The JSON the fronts print (<c>harness entry --json</c> and friends), written field by field.
/// Deliberately not the serializer: its metadata costs ~1,800 JIT compilations at start-up that
/// ReadyToRun cannot precompile, and this runs at every agent session. The field names are a
/// contract (docs/formats.md); the seed script's names stay at the top level.
/// </summary>
public static partial class HarnessJson
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Indented = true,

        // Commit subjects and paths are shown to people; keep them readable ("é", "+", "'").
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Serialize(EntryReport report) => Write(w => WriteEntryReport(w, report));

    public static string Serialize(IReadOnlyList<Feature> features) => Write(w =>
    {
        w.WriteStartArray();
        foreach (var feature in features)
        {
            WriteFeature(w, feature);
        }

        w.WriteEndArray();
    });

    public static string Serialize(InitResult result) => Write(w =>
    {
        w.WriteStartObject();
        w.WriteString("directory", result.Directory);
        w.WriteString("project_type", result.ProjectType);
        Strings(w, "created", result.Created);
        Strings(w, "existing", result.Existing);
        w.WriteBoolean("dry_run", result.DryRun);
        if (result.Hooks is { } hooks)
        {
            w.WriteStartObject("hooks");
            w.WriteString("path", hooks.Path);
            w.WriteString("command", hooks.Command);
            Strings(w, "added", hooks.Added);
            Strings(w, "existing", hooks.Existing);
            Strings(w, "updated", hooks.Updated);
            w.WriteBoolean("created", hooks.Created);
            w.WriteEndObject();
        }

        w.WriteEndObject();
    });

    public static string Serialize(JsonNode node) => Write(w => node.WriteTo(w));

    private static string Write(Action<Utf8JsonWriter> body, bool indented = true)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, indented ? WriterOptions : WriterOptions with { Indented = false }))
        {
            body(writer);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static void WriteEntryReport(Utf8JsonWriter w, EntryReport r)
    {
        w.WriteStartObject();
        w.WriteString("directory", r.Directory);
        Strings(w, "project_markers", r.ProjectMarkers);
        w.WriteString("project_type", r.ProjectType);
        w.WriteString("project_type_source", r.ProjectTypeSource);
        w.WriteString("config_path", r.ConfigPath);
        w.WritePropertyName("git");
        WriteGit(w, r.Git);
        w.WritePropertyName("health");
        WriteHealth(w, r.Health);
        w.WriteString("health_status", r.HealthStatus.ToString());
        w.WriteString("state_file", r.StateFile);
        w.WriteBoolean("state_created", r.StateCreated);
        w.WriteString("current_state", r.CurrentState.ToString());
        w.WriteString("next_state", r.NextState.ToString());
        w.WriteString("next_state_reason", r.NextStateReason);
        w.WriteString("feature_status", r.FeatureStatus.ToString());
        w.WritePropertyName("features");
        WriteFeatureSummary(w, r.Features);
        w.WriteString("session_type", r.SessionType.ToString());
        w.WriteBoolean("previous_session_dirty", r.PreviousSessionDirty);
        w.WriteString("latest_summary", r.LatestSummary);
        WriteCrash(w, r.Crash);
        WriteWhatBroke(w, r.WhatBroke);
        Strings(w, "recent_files", r.RecentFiles);
        w.WriteString("recent_files_source", r.RecentFilesSource);
        w.WriteString("skill", r.Skill);
        Strings(w, "missing_env", r.MissingEnv);
        Strings(w, "warnings", r.Warnings);
        w.WriteBoolean("dry_run", r.DryRun);
        w.WriteString("started_at", Time(r.StartedAt));
        w.WriteNumber("duration_ms", r.DurationMs);
        w.WriteEndObject();
    }

    private static void WriteGit(Utf8JsonWriter w, GitSnapshot git)
    {
        var repo = git.Repository;
        w.WriteStartObject();
        w.WriteStartObject("repository");
        w.WriteBoolean("is_repository", repo.IsRepository);
        w.WriteString("error", repo.Error);
        w.WriteString("top_level", repo.TopLevel);
        w.WriteString("git_directory", repo.GitDirectory);
        w.WriteString("head_commit", repo.HeadCommit);
        w.WriteString("branch", repo.Branch);
        w.WriteBoolean("is_detached", repo.IsDetached);
        w.WriteBoolean("is_shallow", repo.IsShallow);
        w.WriteBoolean("has_commits", repo.HasCommits);
        w.WriteEndObject();
        w.WriteStartArray("recent_commits");
        foreach (var c in git.RecentCommits)
        {
            w.WriteStartObject();
            w.WriteString("hash", c.Hash);
            w.WriteString("short_hash", c.ShortHash);
            w.WriteString("subject", c.Subject);
            w.WriteString("author", c.Author);
            w.WriteString("date", c.Date.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture));
            w.WriteEndObject();
        }

        w.WriteEndArray();
        Strings(w, "recent_files", git.RecentFiles);
        w.WriteStartArray("status");
        foreach (var s in git.Status)
        {
            w.WriteStartObject();
            w.WriteString("path", s.Path);
            w.WriteString("index_status", s.IndexStatus.ToString());
            w.WriteString("work_tree_status", s.WorkTreeStatus.ToString());
            w.WriteString("original_path", s.OriginalPath);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        Strings(w, "warnings", git.Warnings);
        w.WriteEndObject();
    }

    private static void WriteHealth(Utf8JsonWriter w, HealthCheckResult h)
    {
        w.WriteStartObject();
        w.WriteString("kind", h.Kind);
        w.WriteString("status", h.Status.ToString());
        w.WriteString("outcome", h.Outcome.ToString());
        w.WriteString("command", h.Command);
        w.WriteBoolean("is_fallback", h.IsFallback);
        w.WriteString("description", h.Description);
        if (h.ExitCode is { } code)
        {
            w.WriteNumber("exit_code", code);
        }
        else
        {
            w.WriteNull("exit_code");
        }

        w.WriteNumber("duration_ms", h.DurationMs);
        w.WriteNumber("timeout_seconds", h.TimeoutSeconds);
        w.WriteBoolean("timed_out", h.TimedOut);
        w.WriteString("output_tail", h.OutputTail);
        w.WriteEndObject();
    }

    private static void WriteFeatureSummary(Utf8JsonWriter w, FeatureSummary f)
    {
        w.WriteStartObject();
        w.WriteString("path", f.Path);
        w.WriteString("format", f.Format?.ToString());
        w.WritePropertyName("counts");
        WriteCounts(w, f.Counts);
        if (f.NextFeature is { } next)
        {
            w.WritePropertyName("next_feature");
            WriteFeature(w, next);
        }
        else
        {
            w.WriteNull("next_feature");
        }

        w.WriteStartArray("problems");
        foreach (var p in f.Problems)
        {
            w.WriteStartObject();
            w.WriteString("kind", p.Kind);
            w.WriteString("message", p.Message);
            Strings(w, "feature_ids", p.FeatureIds);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteCounts(Utf8JsonWriter w, FeatureCounts c)
    {
        w.WriteStartObject();
        w.WriteNumber("total", c.Total);
        w.WriteNumber("pending", c.Pending);
        w.WriteNumber("in_progress", c.InProgress);
        w.WriteNumber("tested", c.Tested);
        w.WriteNumber("completed", c.Completed);
        w.WriteNumber("blocked", c.Blocked);
        w.WriteNumber("unknown", c.Unknown);
        w.WriteNumber("done", c.Done);
        w.WriteNumber("remaining", c.Remaining);
        w.WriteEndObject();
    }

    private static void WriteFeature(Utf8JsonWriter w, Feature f)
    {
        w.WriteStartObject();
        w.WriteString("id", f.Id);
        w.WriteString("name", f.Name);
        w.WriteString("description", f.Description);
        w.WriteString("category", f.Category);
        Strings(w, "steps", f.Steps);
        w.WriteString("status", f.Status);
        w.WriteNumber("attempts", f.Attempts);
        w.WriteString("notes", f.Notes);
        w.WriteNumber("index", f.Index);
        w.WriteString("path", f.Path);
        w.WriteEndObject();
    }

    private static void Strings(Utf8JsonWriter w, string name, IEnumerable<string> values)
    {
        w.WriteStartArray(name);
        foreach (var value in values)
        {
            w.WriteStringValue(value);
        }

        w.WriteEndArray();
    }

    private static string Time(DateTimeOffset t) => t.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
