using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using Harness.Core.Features;

namespace Harness.PowerShell.Completion;

/// <summary>Tab completion of feature statuses (pending, in_progress, tested, completed, blocked).</summary>
public sealed class FeatureStatusCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var prefix = CompletionText.Unquote(wordToComplete);
        return FeatureStatuses.All
            .Where(s => s.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            .Select(s => new CompletionResult(s, s, CompletionResultType.ParameterValue, s))
            .ToArray();
    }
}
