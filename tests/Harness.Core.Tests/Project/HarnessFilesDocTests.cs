using Harness.Core.Project;
using Harness.TestKit;

namespace Harness.Core.Tests.Project;

/// <summary>docs/formats.md shows the table of harness files; this keeps that copy equal to the code's.</summary>
public class HarnessFilesDocTests
{
    [Fact]
    public void The_table_in_formats_md_is_the_table_in_the_code()
    {
        var doc = File.ReadAllText(Path.Combine(SourceTree.Root, "docs", "formats.md"));
        var start = doc.IndexOf("<!-- harness-files-table:start -->", StringComparison.Ordinal);
        var end = doc.IndexOf("<!-- harness-files-table:end -->", StringComparison.Ordinal);
        Assert.True(start >= 0 && end > start, "docs/formats.md lost its harness-files-table markers");

        var rows = doc[start..end].Split('\n').Where(l => l.StartsWith("| `", StringComparison.Ordinal)).ToArray();
        var expected = HarnessFiles.Table.Select(Row).ToArray();

        Assert.Equal(expected, rows.Select(r => r.TrimEnd()).ToArray());
    }

    private static string Row(HarnessFile f)
    {
        static string YesNo(bool value) => value ? "yes" : "no";
        var writers = string.Join(' ', new[] { (FileWriters.Harness, "H"), (FileWriters.User, "U"), (FileWriters.Agent, "A") }
            .Where(w => (f.Writers & w.Item1) != 0).Select(w => w.Item2));
        return $"| `{f.Pattern}` | {f.Role} | {(writers.Length == 0 ? "-" : writers)} | {YesNo(f.KeptOnRestore)} | {YesNo(f.InSnapshots)} | {YesNo(f.GitIgnored)} |";
    }
}
