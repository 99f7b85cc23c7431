namespace Harness.Core.Git;

/// <summary>Where HEAD points, as reported by the <c># branch.*</c> headers of porcelain v2.</summary>
internal sealed record HeadState(string? Commit, string? Branch, bool IsDetached);

/// <summary>Parses <c>git status --porcelain=v2 --branch -z</c>.</summary>
internal static class PorcelainStatusParser
{
    public static readonly string[] StatusArguments =
        ["status", "--porcelain=v2", "--branch", "-z", "--untracked-files=normal"];

    public static (HeadState Head, IReadOnlyList<GitStatusEntry> Entries) Parse(string output)
    {
        string? commit = null;
        string? branch = null;
        var detached = false;
        var entries = new List<GitStatusEntry>();

        var records = output.Split('\0');
        for (var i = 0; i < records.Length; i++)
        {
            var record = records[i];
            if (record.Length < 2)
            {
                continue;
            }

            switch (record[0])
            {
                case '#' when record.StartsWith("# branch.oid ", StringComparison.Ordinal):
                    var oid = record["# branch.oid ".Length..];
                    commit = oid == "(initial)" ? null : oid;
                    break;
                case '#' when record.StartsWith("# branch.head ", StringComparison.Ordinal):
                    var head = record["# branch.head ".Length..];
                    detached = head == "(detached)";
                    branch = detached ? null : head;
                    break;
                case '1':
                    // 1 XY sub mH mI mW hH hI path
                    entries.Add(Entry(record.Split(' ', 9), pathField: 8));
                    break;
                case '2':
                    // 2 XY sub mH mI mW hH hI Xscore path, then the original path as the next record
                    var renamed = Entry(record.Split(' ', 10), pathField: 9);
                    var original = i + 1 < records.Length ? records[++i] : null;
                    entries.Add(renamed with { OriginalPath = original });
                    break;
                case 'u':
                    // u XY sub m1 m2 m3 mW h1 h2 h3 path
                    entries.Add(Entry(record.Split(' ', 11), pathField: 10));
                    break;
                case '?':
                    entries.Add(new GitStatusEntry(record[2..], '?', '?'));
                    break;
            }
        }

        return (new HeadState(commit, branch, detached), entries);
    }

    private static GitStatusEntry Entry(string[] fields, int pathField)
    {
        if (fields.Length <= pathField || fields[1].Length != 2)
        {
            throw new FormatException($"unexpected git status record: {string.Join(' ', fields)}");
        }

        return new GitStatusEntry(fields[pathField], Unchanged(fields[1][0]), Unchanged(fields[1][1]));
    }

    // Porcelain v2 writes '.' for "unchanged"; the model follows v1, which writes a space.
    private static char Unchanged(char status) => status == '.' ? ' ' : status;
}
