using System.IO.Compression;
using Harness.TestKit;

namespace Harness.Build.Tests;

/// <summary>
/// Issue 14 in the MSBuild host: the package carries LibGit2Sharp with libgit2 for every RID under
/// runtimes/ and a deps.json, and the tasks read and write git in-process: a recording <c>git</c>
/// first on PATH sees no call during the entry and checkpoint targets.
/// </summary>
[Collection(MSBuildCollection.Name)]
public sealed class InProcessGitTests(PackageFeed feed)
{
    [Fact]
    public void Package_carries_libgit2_for_every_rid_with_a_deps_json()
    {
        using var zip = ZipFile.OpenRead(feed.PackagePath);
        var entries = zip.Entries.Select(e => e.FullName).ToHashSet();

        Assert.Contains("tasks/net8.0/LibGit2Sharp.dll", entries);
        Assert.Contains("tasks/net8.0/Harness.Build.deps.json", entries);
        foreach (var native in new[] { "linux-x64/native/libgit2-", "linux-arm64/native/libgit2-", "linux-musl-x64/native/libgit2-", "osx-arm64/native/libgit2-", "osx-x64/native/libgit2-", "win-x64/native/git2-", "win-arm64/native/git2-" })
        {
            Assert.Contains(entries, e => e.StartsWith("tasks/net8.0/runtimes/" + native, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Entry_and_checkpoint_targets_start_no_git_process()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // The recorder is a POSIX shell script; Linux and macOS CI run this.
        }

        using var repo = BuildRepo.WithProject(feed);
        repo.Commit();
        repo.Git.WriteFile("notes.txt", "written by the agent\n");
        using var git = new GitRecorder();
        var environment = new Dictionary<string, string>(feed.Environment()) { ["PATH"] = git.SearchPath };

        var (entry, entryProperties, _) = repo.MSBuild("HarnessEntry", ["HarnessNextState", "HarnessCurrentState"], environment: environment);
        var (checkpoint, checkpointProperties, _) = repo.MSBuild("HarnessCheckpoint", ["HarnessCheckpointCommit", "HarnessCheckpointName"], environment: environment);

        Assert.True(entry.ExitCode == 0, entry.ToString());
        Assert.True(checkpoint.ExitCode == 0, checkpoint.ToString());
        Assert.Equal("INIT", entryProperties["HarnessNextState"]);
        Assert.Equal(repo.Git.Git("rev-parse", "HEAD").Trim(), checkpointProperties["HarnessCheckpointCommit"]);
        Assert.Equal("written by the agent", repo.Git.Git("show", "HEAD:notes.txt").Trim());
        Assert.Empty(git.Calls);
    }
}
