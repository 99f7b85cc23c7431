using Harness.Core.Processes;

namespace Harness.Core.Tests.Processes;

public sealed class OutputTailTests
{
    [Fact]
    public void Ring_keeps_the_last_lines_in_order()
    {
        var tail = new OutputTail(3);
        for (var i = 1; i <= 10; i++) tail.Add($"l{i}");
        Assert.Equal("l8\nl9\nl10", tail.ToString());
    }

    [Fact]
    public void Ring_with_fewer_lines_than_capacity_and_zero_capacity()
    {
        var tail = new OutputTail(5);
        tail.Add("only");
        Assert.Equal("only", tail.ToString());

        var none = new OutputTail(0);
        none.Add("dropped");
        Assert.Equal("", none.ToString());
    }

    [Fact]
    public void Splitter_joins_chunks_and_cuts_overlong_lines()
    {
        var lines = new List<string>();
        var splitter = new LineSplitter();
        splitter.Feed("ab", lines.Add);
        splitter.Feed("c\r\nd", lines.Add);
        splitter.Feed(new string('x', OutputTail.MaxLineLength * 3), lines.Add);
        splitter.Flush(lines.Add);

        Assert.Equal(2, lines.Count);
        Assert.Equal("abc", lines[0]);
        Assert.Equal(OutputTail.MaxLineLength + 1, lines[1].Length);
        Assert.StartsWith("dxx", lines[1]);
        Assert.EndsWith("…", lines[1]);
    }
}
