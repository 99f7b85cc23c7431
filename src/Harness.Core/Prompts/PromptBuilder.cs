using System.Globalization;
using System.Text;
using Harness.Core.Entry;
using Harness.Core.Features;
using Harness.Core.Project;

namespace Harness.Core.Prompts;

/// <summary>
/// The prompt for the next agent session: the template for the entry's next state, filled with the
/// entry report's facts (recent commits, feature counts, the feature to take, the last summary,
/// the failing health output and what changed since the last healthy checkpoint).
/// </summary>
internal static class PromptBuilder
{
    /// <summary>How much of the last session summary goes into a prompt; the rest stays in the file.</summary>
    public const int MaxSummaryCharacters = 6000;

    public static string Build(EntryReport report, ProjectConfig config, ProjectLayout layout, string? whatBroke = null)
    {
        var (template, source) = PromptTemplates.Resolve(report.NextState, config, layout);
        return PromptTemplates.Render(template, Facts(report, config, layout, whatBroke), source);
    }

    /// <summary>Every placeholder a template may use, with its value for this session.</summary>
    public static IReadOnlyDictionary<string, string> Facts(EntryReport report, ProjectConfig config, ProjectLayout layout, string? whatBroke = null)
    {
        var health = report.Health;
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["project_root"] = report.Directory,
            ["session_state"] = report.NextState.ToString(),
            ["next_state_reason"] = report.NextStateReason,
            ["feature_list_path"] = Relative(layout, report.Features.Path ?? layout.FeatureListFile),
            ["feature_list_format"] = FormatHint(report.Features.Format),
            ["feature_counts"] = Counts(report.Features.Counts),
            ["next_feature"] = report.Features.NextFeature is { } next ? Describe(next) : "No feature is pending or in progress.",
            ["next_feature_id"] = report.Features.NextFeature?.Id ?? "",
            ["recent_commits"] = Commits(report),
            ["last_summary"] = report.NextState == State.SessionState.FIX_BROKEN
                ? WithoutNextSteps(Summary(report.LatestSummary))
                : Summary(report.LatestSummary),
            ["health_check"] = config.HealthCheck ?? "not configured",
            ["test_command"] = config.TestCommand ?? "not configured",
            ["init_script"] = config.InitScript ?? "not configured",
            ["health_command"] = health.Command ?? config.HealthCheck ?? "not configured",
            ["health_description"] = health.Description,
            ["health_output"] = health.OutputTail.Length > 0 ? health.OutputTail : "(no output)",
            ["what_broke"] = string.IsNullOrWhiteSpace(whatBroke)
                ? "No healthy checkpoint is recorded yet, so the harness cannot say what changed; start from the recent commits below."
                : whatBroke,
            ["protected_paths"] = string.Join(", ", config.Guard.ProtectedPaths),
        };
    }

    /// <summary>
    /// How the list says a feature is done. The templates speak of <c>status</c>; in a list with
    /// <c>passes</c> (Ralph's prd.json, the quickstart's) the flag is what that list's own tools read.
    /// </summary>
    private static string FormatHint(FeatureListFormat? format) => format switch
    {
        FeatureListFormat.Ralph => "The list is Ralph's prd.json (`userStories`; `title`, `acceptanceCriteria`, `priority`): a story is done when its `\"passes\"` is `true`. Where these instructions say `\"status\": \"tested\"` or `\"completed\"`, set `\"passes\": true` instead; a `\"status\"` field may still say `\"in_progress\"` or `\"blocked\"`, and `\"pending\"` means `\"passes\": false`.",
        FeatureListFormat.Quickstart => "The list is the quickstart's feature_list.json: a feature is done when its `\"passes\"` is `true`. Where these instructions say `\"status\": \"tested\"` or `\"completed\"`, set `\"passes\": true` instead; a `\"status\"` field may still say `\"in_progress\"` or `\"blocked\"`, and `\"pending\"` means `\"passes\": false`.",
        _ => "Each feature's `\"status\"` is one of pending, in_progress, tested, completed, blocked.",
    };

    private static string Counts(FeatureCounts c) =>
        string.Create(CultureInfo.InvariantCulture, $"{c.Done} of {c.Total} done, {c.Pending} pending, {c.InProgress} in progress, {c.Blocked} blocked");

    private static string Describe(Feature f)
    {
        var s = new StringBuilder();
        s.Append(CultureInfo.InvariantCulture, $"{f.Id}: {f.Name}\n");
        if (!string.IsNullOrWhiteSpace(f.Description))
        {
            s.Append(CultureInfo.InvariantCulture, $"Description: {f.Description}\n");
        }

        if (!string.IsNullOrWhiteSpace(f.Category))
        {
            s.Append(CultureInfo.InvariantCulture, $"Category: {f.Category}\n");
        }

        if (f.Steps.Count > 0)
        {
            s.Append("Steps to verify:\n");
            for (var i = 0; i < f.Steps.Count; i++)
            {
                s.Append(CultureInfo.InvariantCulture, $"  {i + 1}. {f.Steps[i]}\n");
            }
        }

        s.Append(CultureInfo.InvariantCulture, $"Status: {f.Status} (attempts so far: {f.Attempts})");
        if (!string.IsNullOrWhiteSpace(f.Notes))
        {
            s.Append(CultureInfo.InvariantCulture, $"\nNotes from earlier sessions: {f.Notes}");
        }

        return s.ToString();
    }

    private static string Commits(EntryReport report)
    {
        var commits = report.Git.RecentCommits;
        if (commits.Count == 0)
        {
            return report.Git.Repository.IsRepository ? "- none yet (the repository has no commits)" : "- none (not a git repository)";
        }

        return string.Join('\n', commits.Select(c =>
            string.Create(CultureInfo.InvariantCulture, $"- {c.ShortHash} {c.Subject} ({c.Author}, {c.Date:yyyy-MM-dd HH:mm})")));
    }

    private static string Summary(string? path)
    {
        if (path is null)
        {
            return "none yet.";
        }

        string text;
        try
        {
            text = File.ReadAllText(path).Trim();
        }
        catch (IOException)
        {
            return $"({path} could not be read.)";
        }

        return text.Length <= MaxSummaryCharacters
            ? text
            : string.Concat(text.AsSpan(0, MaxSummaryCharacters), $"\n[... cut; the whole summary is in {path}]");
    }

    /// <summary>
    /// The summary without its "Next Session" section: in a FIX_BROKEN prompt, the breaking session's
    /// "Continue with feature: F3" contradicts "no new features". What it did and changed stays.
    /// </summary>
    internal static string WithoutNextSteps(string summary)
    {
        const string heading = "## Next Session";
        var start = summary.IndexOf("\n" + heading, StringComparison.Ordinal);
        if (start < 0)
        {
            return summary;
        }

        var next = summary.IndexOf("\n## ", start + 1 + heading.Length, StringComparison.Ordinal);
        return next < 0 ? summary[..start].TrimEnd() : string.Concat(summary.AsSpan(0, start), summary.AsSpan(next));
    }

    private static string Relative(ProjectLayout layout, string path)
    {
        var relative = Path.GetRelativePath(layout.Root, path);
        return relative.StartsWith("..", StringComparison.Ordinal) ? path : relative.Replace('\\', '/');
    }
}
