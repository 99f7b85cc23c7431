using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Management.Automation.Runspaces;
using Harness.Core.Project;

namespace Harness.PowerShell.Completion;

/// <summary>
/// Tab completion of values read from the project named by -Path or -LiteralPath (default: the
/// current location). Completion is a convenience: a broken or missing project offers nothing
/// rather than an error mid-typing.
/// </summary>
public abstract class ProjectCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        try
        {
            var prefix = CompletionText.Unquote(wordToComplete);
            using var project = HarnessProject.OpenAsync(ProjectPath(fakeBoundParameters)).GetAwaiter().GetResult();
            return Candidates(project)
                .Where(c => c.Value.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                .DistinctBy(c => c.Value, StringComparer.Ordinal)
                .Select(c => new CompletionResult(CompletionText.Quote(c.Value), c.Value, CompletionResultType.ParameterValue, c.Tooltip))
                .ToArray();
        }
        catch (Exception)
        {
            return [];
        }
    }

    /// <summary>The values to offer, best first, each with its tooltip.</summary>
    private protected abstract IEnumerable<(string Value, string Tooltip)> Candidates(HarnessProject project);

    /// <summary>The -Path or -LiteralPath typed so far, resolved against PowerShell's current location (not the process directory).</summary>
    private static string ProjectPath(IDictionary fakeBoundParameters)
    {
        var literal = First(fakeBoundParameters, "LiteralPath");
        var typed = literal ?? First(fakeBoundParameters, "Path");
        using var ps = System.Management.Automation.PowerShell.Create(RunspaceMode.CurrentRunspace);
        if (string.IsNullOrEmpty(typed))
        {
            ps.AddCommand("Microsoft.PowerShell.Management\\Get-Location");
            return ps.Invoke<PathInfo>().FirstOrDefault()?.ProviderPath ?? Directory.GetCurrentDirectory();
        }

        ps.AddCommand("Microsoft.PowerShell.Management\\Resolve-Path").AddParameter(literal is null ? "Path" : "LiteralPath", typed);
        return ps.Invoke<PathInfo>().FirstOrDefault()?.ProviderPath ?? typed;
    }

    private static string? First(IDictionary parameters, string name)
    {
        var value = parameters.Contains(name) ? parameters[name] : null;
        return value switch
        {
            string s => s,
            IEnumerable e => e.Cast<object?>().Select(o => o?.ToString()).FirstOrDefault(),
            _ => value?.ToString(),
        };
    }
}

/// <summary>Feature ids of the project's list, with status and name as the tooltip.</summary>
public sealed class FeatureIdCompleter : ProjectCompleter
{
    private protected override IEnumerable<(string, string)> Candidates(HarnessProject project) =>
        project.ReadFeatures()?.Features.Select(f => (f.Id, $"{f.Status}: {f.Name}")) ?? [];
}

/// <summary>Checkpoint names, newest first, with commit, health and reason as the tooltip.</summary>
public sealed class CheckpointNameCompleter : ProjectCompleter
{
    private protected override IEnumerable<(string, string)> Candidates(HarnessProject project) =>
        project.ListCheckpoints().Select(c => (c.Name, $"{c.ShortCommit} {c.Health}{(c.IsLastGood ? " (last good)" : "")}: {c.Reason}"));
}

/// <summary>Session ids: the running or last one from state.json, then metrics.jsonl's newest first.</summary>
public sealed class SessionIdCompleter : ProjectCompleter
{
    private protected override IEnumerable<(string, string)> Candidates(HarnessProject project)
    {
        var current = project.ReadState()?.SessionId;
        var handedOff = project.ReadMetrics().Lines.Reverse().Select(l => (l.SessionId, $"ended {l.EndedAt.ToLocalTime():yyyy-MM-dd HH:mm}: {l.ExitReason ?? "completed"}"));
        return current is null ? handedOff : handedOff.Prepend((current, "state.json's session"));
    }
}

/// <summary>Completion of a fixed list, needing no project.</summary>
public abstract class ListCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var prefix = CompletionText.Unquote(wordToComplete);
        return Values
            .Where(v => v.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            .Select(v => new CompletionResult(CompletionText.Quote(v), v, CompletionResultType.ParameterValue, v))
            .ToArray();
    }

    private protected abstract IReadOnlyList<string> Values { get; }
}

/// <summary>The exit reasons the harness records (completed, max_turns, timeout, ...).</summary>
public sealed class ExitReasonCompleter : ListCompleter
{
    private protected override IReadOnlyList<string> Values => Harness.Core.Summaries.SessionOutcome.KnownExitReasons;
}

/// <summary>The project types the harness knows (node, python, dotnet, ...).</summary>
public sealed class ProjectTypeCompleter : ListCompleter
{
    private protected override IReadOnlyList<string> Values => ProjectDetector.KnownTypes;
}

/// <summary>Quoting for completion text.</summary>
internal static class CompletionText
{
    public static string Unquote(string? word) => (word ?? "").Trim('\'', '"');

    /// <summary>Single-quotes <paramref name="text"/> when PowerShell would not read it as one bare word.</summary>
    public static string Quote(string text) =>
        text.Length > 0 && text.All(c => char.IsLetterOrDigit(c) || c is '-' or '_' or '.')
            ? text
            : "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";
}
