using System.Globalization;
using System.Text;
using Harness.Core.Entry;
using Harness.Core.Errors;
using Harness.Core.Health;
using Harness.Core.State;

namespace Harness.Core.Ci;

/// <summary>
/// The session entry as CI sees it: masks, the health check's output in a group, warnings as
/// annotations, step outputs, the job summary and the step result. One routine for every front.
/// </summary>
internal static class EntryCi
{
    /// <summary>The step outputs, named as the seed script's JSON fields and the MSBuild properties.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Outputs(EntryReport r) =>
    [
        new("next_state", r.NextState.ToString()),
        new("current_state", r.CurrentState.ToString()),
        new("health_status", r.HealthStatus.ToString()),
        new("feature_status", r.FeatureStatus.ToString()),
        new("session_type", r.SessionType.ToString()),
        new("total_features", r.Features.Counts.Total.ToString(CultureInfo.InvariantCulture)),
        new("pending_features", r.Features.Counts.Remaining.ToString(CultureInfo.InvariantCulture)),
        new("completed_features", r.Features.Counts.Done.ToString(CultureInfo.InvariantCulture)),
        new("next_feature", r.Features.NextFeature?.Id ?? ""),
        new("latest_summary", r.LatestSummary ?? ""),
        new("warnings", string.Join("\n", r.Warnings)),
    ];

    /// <summary>Masks the values of the <c>required_env</c> variables that are set: they are secrets until shown otherwise.</summary>
    public static void MaskRequiredEnv(ICiReporter ci, IReadOnlyList<string> names, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        foreach (var name in names)
        {
            if (environment(name) is { Length: > 0 } value)
            {
                ci.Mask(value);
            }
        }
    }

    /// <summary>The health check's whole output tail in a collapsed group, never read as commands.</summary>
    public static void HealthGroup(ICiReporter ci, HealthCheckResult health)
    {
        if (health.Command is null || health.Outcome == HealthOutcome.SKIPPED)
        {
            return;
        }

        var exit = health.ExitCode is { } code ? $", exit {code}" : "";
        ci.StartGroup($"Health check: {health.Command} ({health.Outcome}{exit}, {health.Duration.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture)} s)");
        ci.WriteUntrusted(health.OutputTail.Length == 0 ? "(no output)" : health.OutputTail.TrimEnd('\r', '\n'));
        ci.EndGroup();
    }

    /// <summary>
    /// Everything after the report is printed: warnings as annotations (with the file they are
    /// about), the failure annotation when <paramref name="failed"/>, outputs, summary, result.
    /// </summary>
    public static void Publish(ICiReporter ci, EntryReport r, bool failed)
    {
        foreach (var annotation in Annotations(ci.System, r))
        {
            ci.Annotate(annotation);
        }

        if (failed)
        {
            ci.Annotate(BrokenAnnotation(r));
        }

        ci.SetOutputs(Outputs(r));
        ci.AppendSummary(SummaryMarkdown(r));
        ci.Complete(
            failed ? CiResult.Failed : r.Warnings.Count > 0 || r.Git.Repository.IsShallow ? CiResult.SucceededWithIssues : CiResult.Succeeded,
            failed ? $"health check failed: {r.Health.Description}" : null);
    }

    /// <summary>A Core error as an error annotation on its file, line and column, and a failed step.</summary>
    public static void PublishError(ICiReporter ci, HarnessException ex)
    {
        ci.Annotate(ErrorAnnotation(ex));
        ci.Complete(CiResult.Failed, ex.Message);
    }

    public static CiAnnotation ErrorAnnotation(HarnessException ex) => new(AnnotationLevel.Error, ex.Fix is null ? ex.Message : $"{ex.Message} ({ex.Fix})")
    {
        File = ex.FilePath,
        Line = ex.Line,
        Column = ex.Column,
        Title = $"harness: {ex.ErrorId}",
    };

    public static CiAnnotation BrokenAnnotation(EntryReport r)
    {
        var h = r.Health;
        return new CiAnnotation(AnnotationLevel.Error, $"The app is broken: {h.Description} (health check: {h.Command}). Next state {r.NextState}: fix it before starting new work.")
        {
            File = r.ConfigPath,
            Title = "harness entry: health check failed",
        };
    }

    /// <summary>The warnings as annotations; a warning that starts with a file the report names is put on that file.</summary>
    public static IReadOnlyList<CiAnnotation> Annotations(CiSystem system, EntryReport r)
    {
        var files = new[] { r.Features.Path, r.ConfigPath, r.StateFile }.Where(p => !string.IsNullOrEmpty(p)).Select(p => p!).ToArray();
        var list = new List<CiAnnotation>(r.Warnings.Count + 1);
        var shallowDone = false;
        foreach (var warning in r.Warnings)
        {
            if (warning.StartsWith("shallow clone", StringComparison.Ordinal))
            {
                list.Add(ShallowAnnotation(system, warning));
                shallowDone = true;
                continue;
            }

            string? file = null;
            var message = warning;
            foreach (var path in files)
            {
                if (warning.StartsWith(path, StringComparison.Ordinal) && warning.Length > path.Length && warning[path.Length] is ':' or ' ')
                {
                    file = path;
                    message = warning[path.Length] == ':' ? warning[(path.Length + 1)..].TrimStart() : Path.GetFileName(path) + warning[path.Length..];
                    break;
                }
            }

            list.Add(new CiAnnotation(AnnotationLevel.Warning, message) { File = file, Title = "harness entry" });
        }

        if (!shallowDone && r.Git.Repository.IsShallow)
        {
            list.Add(ShallowAnnotation(system, "shallow clone: the history is cut off, so recent commits, recent files and checkpoints may be incomplete"));
        }

        return list;
    }

    private static CiAnnotation ShallowAnnotation(CiSystem system, string warning)
    {
        var fix = system == CiSystem.AzureDevOps
            ? "Fix: set fetchDepth: 0 on the checkout step (or a depth of at least the commits the harness needs)."
            : "Fix: set fetch-depth: 0 on actions/checkout (or a depth of at least the commits the harness needs).";
        return new CiAnnotation(AnnotationLevel.Warning, $"{warning}. {fix}") { Title = "harness entry: shallow clone" };
    }

    /// <summary>The entry report as a markdown table for the job summary.</summary>
    public static string SummaryMarkdown(EntryReport r)
    {
        var s = new StringBuilder();
        var nl = "\n";
        s.Append("### Harness session entry: ").Append(r.NextState).Append(r.DryRun ? " (dry run)" : "").Append(nl).Append(nl);
        s.Append("| | |").Append(nl).Append("|---|---|").Append(nl);
        Row(s, "Next state", $"**{r.NextState}** ({Cell(r.NextStateReason)})");
        Row(s, "Current state", r.CurrentState.ToString());
        var h = r.Health;
        Row(s, "Health", $"{(r.HealthStatus == HealthStatus.BROKEN ? "❌ " : r.HealthStatus == HealthStatus.HEALTHY ? "✅ " : "")}{r.HealthStatus} ({Cell(h.Description)})");
        if (h.Command is not null)
        {
            Row(s, "Health check", Cell(h.Command));
        }

        var c = r.Features.Counts;
        Row(s, "Features", r.Features.Path is null ? "no feature list" : $"{c.Done} of {c.Total} done, {c.Remaining} remaining, {c.Blocked} blocked");
        Row(s, "Next feature", r.Features.NextFeature is { } n ? Cell($"{n.Id}: {n.Name}") : "none");
        Row(s, "Session type", r.SessionType.ToString());
        Row(s, "Latest summary", r.LatestSummary is null ? "none" : Cell(r.LatestSummary));
        Row(s, "Project", Cell(r.Directory));
        if (r.Git.Repository.IsRepository)
        {
            var repo = r.Git.Repository;
            var where = repo.IsDetached ? "detached HEAD" : Cell(repo.Branch ?? "");
            var head = repo.HeadCommit is { Length: >= 12 } hc ? $" at {hc[..12]}" : "";
            Row(s, "Git", $"{where}{head}{(repo.IsShallow ? " (shallow clone)" : "")}");
        }

        if (r.MissingEnv.Count > 0)
        {
            Row(s, "Missing environment", Cell(string.Join(", ", r.MissingEnv)));
        }

        if (r.Crash is { } crash)
        {
            Row(s, "Crash recovery", Cell(crash.Message));
        }

        if (r.Warnings.Count > 0)
        {
            s.Append(nl).Append("**Warnings**").Append(nl).Append(nl);
            foreach (var warning in r.Warnings)
            {
                s.Append("- ").Append(Cell(warning)).Append(nl);
            }
        }

        if (h.Outcome is HealthOutcome.FAILED or HealthOutcome.TIMED_OUT or HealthOutcome.ERROR && h.OutputTail.Length > 0)
        {
            var fence = "```";
            while (h.OutputTail.Contains(fence, StringComparison.Ordinal))
            {
                fence += "`";
            }

            s.Append(nl).Append("<details><summary>Health check output</summary>").Append(nl).Append(nl)
                .Append(fence).Append("text").Append(nl)
                .Append(h.OutputTail.TrimEnd('\r', '\n')).Append(nl)
                .Append(fence).Append(nl).Append(nl).Append("</details>").Append(nl);
        }

        return s.ToString();
    }

    private static void Row(StringBuilder s, string name, string value) => s.Append("| ").Append(name).Append(" | ").Append(value).Append(" |\n");

    /// <summary>Text safe in a table cell: no column breaks, no HTML, no line breaks.</summary>
    public static string Cell(string text) => text
        .Replace("\\", "\\\\")
        .Replace("|", "\\|")
        .Replace("<", "&lt;")
        .Replace(">", "&gt;")
        .Replace("\r\n", "<br>")
        .Replace("\n", "<br>")
        .Replace("\r", "<br>");
}
