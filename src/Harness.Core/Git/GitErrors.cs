using Harness.Core.Errors;

namespace Harness.Core.Git;

internal static class GitErrors
{
    /// <summary>git ran and failed in a way no ordinary repository state explains.</summary>
    public static HarnessException Failed(GitProcessResult result, string? message = null) =>
        new(ErrorIds.GitFailed, HarnessErrorCategory.InvalidOperation, message ?? $"{result.CommandLine} failed (exit {result.ExitCode}): {result.StandardError.Trim()}");

    /// <summary>git could not be run at all, or did not finish in time.</summary>
    public static HarnessException NotRun(GitProcessResult result, TimeSpan timeout) =>
        new(
            ErrorIds.GitFailed,
            result.TimedOut ? HarnessErrorCategory.OperationTimeout : HarnessErrorCategory.ResourceUnavailable,
            result.Describe(timeout))
        {
            Fix = result.TimedOut ? "Raise the git command timeout or check for a hung git process." : "Install git or put it on PATH.",
        };
}
