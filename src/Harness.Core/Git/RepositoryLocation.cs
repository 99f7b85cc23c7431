namespace Harness.Core.Git;

/// <summary>Where the work tree and git directory are, from <c>git rev-parse</c> (works before the first commit).</summary>
internal sealed record RepositoryLocation(string TopLevel, string GitDirectory, bool IsShallow)
{
    public static readonly string[] RevParseArguments =
        ["rev-parse", "--is-inside-work-tree", "--show-toplevel", "--absolute-git-dir", "--is-shallow-repository"];

    /// <summary>Null when the directory is not inside a work tree (outside any repository, or inside <c>.git</c>).</summary>
    public static RepositoryLocation? Parse(GitProcessResult result)
    {
        var lines = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

        // Inside .git, rev-parse prints "false" and then fails on --show-toplevel.
        if (lines.Length > 0 && lines[0] == "false")
        {
            return null;
        }

        if (!result.Succeeded)
        {
            return IsNotARepository(result) ? null : throw GitErrors.Failed(result);
        }

        if (lines.Length < 4 || lines[0] != "true")
        {
            throw GitErrors.Failed(result, $"unexpected output from {result.CommandLine}: {result.StandardOutput.Trim()}");
        }

        // git prints forward slashes on Windows; callers compare these with native paths.
        return new RepositoryLocation(Path.GetFullPath(lines[1]), Path.GetFullPath(lines[2]), lines[3] == "true");
    }

    public static bool IsNotARepository(GitProcessResult result) =>
        result.ExitCode == 128 && result.StandardError.Contains("not a git repository", StringComparison.Ordinal);
}
