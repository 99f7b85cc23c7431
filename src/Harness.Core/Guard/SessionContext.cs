using System.Text;
using Harness.Core.Entry;
using Harness.Core.Json;
using Harness.Core.Json.Contracts;
using Harness.Core.State;

namespace Harness.Core.Guard;

/// <summary>The entry report's facts as the text a new agent session starts with.</summary>
internal static class SessionContext
{
    /// <summary>Longest summary excerpt put into the context; the full file is named.</summary>
    public const int MaxSummaryChars = 4000;

    public static string Format(EntryReport report)
    {
        var text = new StringBuilder();
        text.Append("Harness session facts (from 'harness entry --dry-run --no-health'):\n");
        text.Append($"- project: {report.Directory}\n");
        text.Append($"- state: {report.CurrentState}; next state: {report.NextState} ({report.NextStateReason})\n");
        text.Append($"- health: {report.HealthStatus} (as last recorded; the check was not run)\n");
        if (report.HealthStatus == HealthStatus.BROKEN)
        {
            text.Append("- the app is BROKEN: fix the health check first; edits to protected paths are blocked until 'harness entry' records it HEALTHY.\n");
        }

        var counts = report.Features.Counts;
        text.Append($"- features: {counts.Remaining} of {counts.Total} remaining ({report.FeatureStatus})\n");
        if (report.Features.NextFeature is { } next)
        {
            text.Append($"- next feature: {next.Id}: {next.Name}\n");
        }

        text.Append("- harness files: ").Append(Project.HarnessFiles.AgentRules).Append('\n');
        if (report.PreviousSessionDirty)
        {
            text.Append("- the previous session did not end cleanly (dirty: true)\n");
        }

        foreach (var warning in report.Warnings)
        {
            text.Append($"- warning: {warning}\n");
        }

        if (!string.IsNullOrWhiteSpace(report.LatestSummary))
        {
            var summary = report.LatestSummary.Trim();
            if (summary.Length > MaxSummaryChars)
            {
                summary = summary[..MaxSummaryChars] + "\n[... cut; read the file in .claude/progress/sessions/]";
            }

            text.Append("\nLast session summary:\n").Append(summary).Append('\n');
        }

        return text.ToString();
    }

    /// <summary><c>{"hookSpecificOutput":{"hookEventName":"SessionStart","additionalContext":"..."}}</c>, on one line.</summary>
    public static string HookOutput(string additionalContext) =>
        System.Text.Encoding.UTF8.GetString(HarnessJson.LineBytes(new SessionStartHookOutputJson(new SessionStartHookSpecificJson("SessionStart", additionalContext)), HarnessJsonContext.Default.SessionStartHookOutputJson));
}
