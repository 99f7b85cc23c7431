using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Management.Automation.Runspaces;
using Harness.Core.Features;
using Harness.Core.Project;

namespace Harness.PowerShell.Completion;

/// <summary>Tab completion of the feature ids of the project named by -Path (default: the current location).</summary>
public sealed class FeatureIdCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        try
        {
            var prefix = CompletionText.Unquote(wordToComplete);
            using var project = HarnessProject.OpenAsync(ProjectPath(fakeBoundParameters)).GetAwaiter().GetResult();
            var list = project.ReadFeatures();
            if (list is null)
            {
                return [];
            }

            return list.Features
                .Where(f => f.Id.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                .Select(f => new CompletionResult(CompletionText.Quote(f.Id), f.Id, CompletionResultType.ParameterValue, $"{f.Status}: {f.Name}"))
                .ToArray();
        }
        catch (Exception)
        {
            // Completion is a convenience: a broken or missing list offers nothing rather than an error mid-typing.
            return [];
        }
    }

    /// <summary>The -Path typed so far, resolved against PowerShell's current location (not the process directory).</summary>
    private static string ProjectPath(IDictionary fakeBoundParameters)
    {
        var typed = fakeBoundParameters.Contains("Path") ? fakeBoundParameters["Path"] : null;
        var first = typed switch
        {
            string s => s,
            IEnumerable e => e.Cast<object?>().Select(o => o?.ToString()).FirstOrDefault(),
            _ => typed?.ToString(),
        };

        using var ps = System.Management.Automation.PowerShell.Create(RunspaceMode.CurrentRunspace);
        if (string.IsNullOrEmpty(first))
        {
            ps.AddCommand("Microsoft.PowerShell.Management\\Get-Location");
            return ps.Invoke<PathInfo>().FirstOrDefault()?.ProviderPath ?? Directory.GetCurrentDirectory();
        }

        ps.AddCommand("Microsoft.PowerShell.Management\\Resolve-Path").AddParameter("LiteralPath", first);
        return ps.Invoke<PathInfo>().FirstOrDefault()?.ProviderPath ?? first;
    }
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
