using Harness.Core.Errors;

namespace Harness.Core.Git;

internal static class LibGit2Errors
{
    /// <summary>libgit2 failed in a way no ordinary repository state explains (the in-process twin of <see cref="GitErrors.Failed"/>).</summary>
    public static HarnessException Failed(string message, Exception? inner = null) =>
        new(ErrorIds.GitFailed, HarnessErrorCategory.InvalidOperation, $"libgit2: {message}", inner);

    public static HarnessException NotARepository(string directory) =>
        new(ErrorIds.NotARepository, HarnessErrorCategory.InvalidOperation, $"{directory} is not inside a git work tree.");
}
