using System.Globalization;

namespace Harness.Core.Git;

internal sealed record CommitWithFiles(GitCommit Commit, IReadOnlyList<string> Files);

/// <summary>Parses <c>git log -z --name-only</c> with a unit-separated header, so subjects and paths may hold anything.</summary>
internal static class GitLogParser
{
    // Each header starts with RS so it cannot be mistaken for a path; fields are split by US.
    // The subject goes last so a US inside it survives the split.
    private const char HeaderStart = '\x1e';
    private const char FieldSeparator = '\x1f';
    private const string Format = "--format=%x1e%H%x1f%h%x1f%an%x1f%aI%x1f%s";

    public static string[] LogArguments(int count, bool withFiles)
    {
        var arguments = new List<string>
        {
            // No color or signature output even when the user's config asks for it.
            "log", $"--max-count={count}", "-z", "--no-color", "--no-show-signature", Format,
        };
        if (withFiles)
        {
            arguments.Add("--name-only");
        }

        return [.. arguments];
    }

    /// <summary><c>git log</c> over a revision range (<c>a..b</c>) or with extra limits (<c>--since=...</c>), newest first.</summary>
    public static string[] RangeArguments(int maxCount, IReadOnlyList<string> revisions) =>
        ["log", $"--max-count={maxCount}", "-z", "--no-color", "--no-show-signature", Format, .. revisions, "--"];

    public static IReadOnlyList<CommitWithFiles> Parse(string output)
    {
        var commits = new List<CommitWithFiles>();
        GitCommit? current = null;
        var files = new List<string>();
        var firstFile = true;

        foreach (var record in output.Split('\0'))
        {
            if (record.Length > 0 && record[0] == HeaderStart)
            {
                if (current is not null)
                {
                    commits.Add(new CommitWithFiles(current, files));
                }

                current = ParseHeader(record[1..]);
                files = [];
                firstFile = true;
                continue;
            }

            // git puts a newline between a header and its first path.
            var path = firstFile && record.StartsWith('\n') ? record[1..] : record;
            firstFile = false;
            if (current is not null && path.Length > 0)
            {
                files.Add(path);
            }
        }

        if (current is not null)
        {
            commits.Add(new CommitWithFiles(current, files));
        }

        return commits;
    }

    private static GitCommit ParseHeader(string header)
    {
        var fields = header.Split(FieldSeparator, 5);
        if (fields.Length != 5)
        {
            throw new FormatException($"unexpected git log header: {header}");
        }

        var date = DateTimeOffset.ParseExact(fields[3], "yyyy-MM-dd'T'HH:mm:ssK", CultureInfo.InvariantCulture);
        return new GitCommit(fields[0], fields[1], fields[4], fields[2], date);
    }
}
