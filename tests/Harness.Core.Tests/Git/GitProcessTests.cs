using System.Diagnostics;
using System.Runtime.Versioning;
using Harness.Core.Errors;
using Harness.Core.Git;
using Harness.TestKit;
using static Harness.Core.Tests.Processes.ProcessTestSupport;
using LinuxFactAttribute = Harness.Core.Tests.Processes.LinuxFactAttribute;

namespace Harness.Core.Tests.Git;

/// <summary>
/// Git through a fake <c>git</c> script that hangs or leaves a grandchild on its stdout: the call must
/// end promptly and take git's tree with it. Each call is bounded here too, so a runner that waits for
/// EOF fails the test instead of hanging the run.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class GitProcessTests : IDisposable
{
    /// <summary>Loose on purpose: proves "returns promptly, not after the 30-60 s sleeps" without timing flakiness.</summary>
    private static readonly TimeSpan Prompt = TimeSpan.FromSeconds(10);

    /// <summary>How long the test waits for a call before failing it as hung.</summary>
    private static readonly TimeSpan Hung = TimeSpan.FromSeconds(25);

    private readonly TempDirectory _folder = TempDirectory.Create("harness-gitproc");
    public void Dispose()
    {
        KillQuietly(ReadPids(TreeFile).Concat(ReadPids(EscapedFile)).Concat(ReadPids(GrandchildFile)));
        _folder.Dispose();
    }

    private string TreeFile => Path.Combine(_folder.Path, "tree.pids");

    private string EscapedFile => Path.Combine(_folder.Path, "escaped.pid");

    private string GrandchildFile => Path.Combine(_folder.Path, "grandchild.pid");

    /// <summary>
    /// A git that never ends: it and a child of its own (its tree), plus a sleep that escaped the tree
    /// (its parent exited at once, so it is re-parented away) and still holds git's stdout open.
    /// </summary>
    private string HangingGit() => FakeGit(
        $"echo $$ >> '{TreeFile}'",
        "sleep 60 &",
        $"echo $! >> '{TreeFile}'",
        $"(sleep 61 & echo $! > '{EscapedFile}')",
        "wait");

    private string FakeGit(params string[] lines)
    {
        var path = _folder.Write("fake-git", "#!/bin/sh\n" + string.Join('\n', lines) + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    private void WaitForHangingGit() =>
        WaitUntil(() => ReadPids(TreeFile).Count == 2 && ReadPids(EscapedFile).Count == 1, "the fake git and its children to start");

    private void AssertTreeDeadAndEscapedAlive()
    {
        var tree = ReadPids(TreeFile);
        Assert.Equal(2, tree.Count);
        Assert.Empty(StillAliveAfterGrace(tree));

        // Outside git's tree, so not ours to kill; alive, or the pipe was never held and the test proves nothing.
        Assert.True(IsAlive(ReadPids(EscapedFile).Single()), "the escaped sleep should still hold git's stdout");
    }

    [LinuxFact]
    public async Task Hung_git_is_killed_with_its_tree_at_the_timeout_even_while_an_escaped_process_holds_its_stdout()
    {
        var git = new GitCli(TimeSpan.FromSeconds(2), HangingGit());

        var clock = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<HarnessException>(() => Task.Run(() => git.Status(_folder.Path)).WaitAsync(Hung));
        clock.Stop();

        Assert.Equal(HarnessErrorCategory.OperationTimeout, error.Category);
        Assert.Contains("timed out after 2 s", error.Message);
        Assert.True(clock.Elapsed < Prompt, $"took {clock.Elapsed}");
        AssertTreeDeadAndEscapedAlive();
    }

    [LinuxFact]
    public async Task Cancelling_a_hung_git_kills_its_tree_and_throws_promptly()
    {
        var git = new GitCli(TimeSpan.FromSeconds(60), HangingGit());
        using var cts = new CancellationTokenSource();

        var status = Task.Run(() => git.Status(_folder.Path, cts.Token));
        WaitForHangingGit();
        var clock = Stopwatch.StartNew();
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => status.WaitAsync(Hung));
        clock.Stop();

        Assert.True(clock.Elapsed < Prompt, $"took {clock.Elapsed}");
        AssertTreeDeadAndEscapedAlive();
    }

    [LinuxFact]
    public async Task Cancelling_the_parallel_calls_of_a_snapshot_kills_every_git()
    {
        var git = new GitCli(TimeSpan.FromSeconds(60), FakeGit($"echo $$ >> '{TreeFile}'", "exec sleep 60"));
        using var cts = new CancellationTokenSource();

        // rev-parse, status and log side by side: three gits to kill.
        var snapshot = Task.Run(() => git.Snapshot(_folder.Path, 5, cts.Token));
        WaitUntil(() => ReadPids(TreeFile).Count == 3, "the three fake gits to start");
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => snapshot.WaitAsync(Hung));

        Assert.Empty(StillAliveAfterGrace(ReadPids(TreeFile)));
    }

    [LinuxFact]
    public void An_already_cancelled_call_starts_no_git()
    {
        var git = new GitCli(TimeSpan.FromSeconds(60), FakeGit($"echo $$ >> '{TreeFile}'"));

        Assert.ThrowsAny<OperationCanceledException>(() => git.ResolveCommit(_folder.Path, "HEAD", new CancellationToken(canceled: true)));

        Assert.False(File.Exists(TreeFile));
    }

    [LinuxFact]
    public async Task Git_that_exits_but_leaves_a_grandchild_on_its_stdout_returns_within_the_drain_bound()
    {
        const string hash = "0123456789abcdef0123456789abcdef01234567";
        var git = new GitCli(TimeSpan.FromSeconds(60), FakeGit("sleep 30 &", $"echo $! > '{GrandchildFile}'", $"echo {hash}"));

        var clock = Stopwatch.StartNew();
        var resolved = await Task.Run(() => git.ResolveCommit(_folder.Path, "HEAD")).WaitAsync(Hung);
        clock.Stop();
        var grandchild = ReadPids(GrandchildFile).Single();

        Assert.Equal(hash, resolved); // what git printed before it exited is all there
        Assert.True(clock.Elapsed < Prompt, $"took {clock.Elapsed}");
        Assert.True(IsAlive(grandchild), "the grandchild should still hold git's stdout, or this test proves nothing");
    }
}
