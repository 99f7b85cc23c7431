using System.Diagnostics;
using Harness.Core.Processes;
using static Harness.Core.Tests.Processes.ProcessTestSupport;

namespace Harness.Core.Tests.Processes;

public sealed class ProcessTreeTests
{
    /// <summary>Started directly, not through ProcessRunner, so these tests exercise ProcessTree alone.</summary>
    private static Process StartShell(string script)
    {
        var psi = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, RedirectStandardInput = true };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(script);
        return Process.Start(psi)!;
    }

    [LinuxFact]
    public void Descendants_include_grandchildren_and_children_in_their_own_session()
    {
        using var shell = StartShell("sleep 64 & (sleep 65 & wait) & setsid sleep 66 & wait");
        var descendants = new List<int>();
        try
        {
            // sleep 64, the subshell, its sleep 65, and the setsid'ed sleep 66.
            WaitUntil(() => (descendants = ProcessTree.GetDescendants(shell.Id).ToList()).Count >= 4, "the tree to start");
            Assert.DoesNotContain(shell.Id, descendants);

            var result = ProcessTree.KillTree(shell.Id);

            Assert.True(result.AllDead, $"survivors: {string.Join(",", result.Survivors)}");
            Assert.Equal(shell.Id, result.Killed[0]);
            Assert.All(descendants, pid => Assert.Contains(pid, result.Killed));
            Assert.Empty(StillAliveAfterGrace(descendants.Append(shell.Id)));
        }
        finally
        {
            KillQuietly(descendants.Append(shell.Id));
        }
    }

    [LinuxFact]
    public void Kill_tree_of_an_exited_process_does_not_throw()
    {
        using var shell = StartShell("exit 0");
        shell.WaitForExit();
        var result = ProcessTree.KillTree(shell.Id);
        Assert.True(result.AllDead);
    }

    [LinuxFact]
    public void Descendants_of_a_process_without_children_is_empty()
    {
        using var shell = StartShell("exec sleep 30");
        try
        {
            Assert.Empty(ProcessTree.GetDescendants(shell.Id));
        }
        finally
        {
            ProcessTree.KillTree(shell.Id);
        }
    }

    [Theory]
    [InlineData("1234 (sh) S 1 1234 1234 0 -1 4194560 1 0 0 0 0 0 0 0 20 0 1 0 987654 0 0", 1234, 1, 987654L, false, "sh")]
    [InlineData("42 (my (odd) name) Z 7 42 42 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 555 0 0", 42, 7, 555L, true, "my (odd) name")]
    public void Linux_stat_lines_parse_even_with_parentheses_in_the_command_name(string stat, int pid, int ppid, long start, bool zombie, string name)
    {
        Assert.True(ProcessTable.TryParseLinuxStat(stat, out var entry));
        Assert.Equal(new ProcessEntry(pid, ppid, start, zombie, name), entry);
    }

    [Fact]
    public void Malformed_stat_lines_are_rejected()
    {
        Assert.False(ProcessTable.TryParseLinuxStat("garbage", out _));
        Assert.False(ProcessTable.TryParseLinuxStat("12 (x) S 1", out _));
    }
}
