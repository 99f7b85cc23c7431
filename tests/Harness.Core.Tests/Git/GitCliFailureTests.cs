using System.Diagnostics;
using System.Runtime.Versioning;
using Harness.Core.Errors;
using Harness.Core.Git;
using Harness.TestKit;

namespace Harness.Core.Tests.Git;

public sealed class GitCliFailureTests
{
    [Fact]
    public void Missing_git_executable_is_an_error_value_not_an_exception()
    {
        using var repo = TempGitRepo.Init();
        repo.Commit("one", ("a.txt", "1"));
        var git = new GitCli(gitExecutable: Path.Combine(repo.Path, "no-such-git-executable"));

        var info = git.Inspect(repo.Path);
        var snapshot = git.Snapshot(repo.Path, 5);

        Assert.False(info.IsRepository);
        Assert.Contains("could not be started", info.Error);
        Assert.False(snapshot.Repository.IsRepository);
        Assert.NotNull(snapshot.Repository.Error);
        Assert.Contains(snapshot.Warnings, w => w.StartsWith("git could not be run", StringComparison.Ordinal));
    }

    [Fact]
    public void Missing_git_executable_makes_the_single_purpose_calls_throw_a_harness_error()
    {
        // Status and history have no error slot to fill, and an empty answer would read as "clean".
        using var repo = TempGitRepo.Init();
        var git = new GitCli(gitExecutable: Path.Combine(repo.Path, "no-such-git-executable"));

        var error = Assert.Throws<HarnessException>(() => git.Status(repo.Path));

        Assert.Equal(ErrorIds.GitFailed, error.ErrorId);
        Assert.Equal(HarnessErrorCategory.ResourceUnavailable, error.Category);
    }

    [Fact]
    public void Corrupt_index_is_a_real_failure_naming_the_command_and_stderr()
    {
        using var repo = TempGitRepo.Init();
        repo.Commit("one", ("a.txt", "1"));
        File.WriteAllText(Path.Combine(repo.Path, ".git", "index"), "this is not an index file");
        var git = new GitCli();

        var status = Assert.Throws<HarnessException>(() => git.Status(repo.Path));
        var snapshot = Assert.Throws<HarnessException>(() => git.Snapshot(repo.Path, 5));

        foreach (var error in new[] { status, snapshot })
        {
            Assert.Equal(ErrorIds.GitFailed, error.ErrorId);
            Assert.Equal(HarnessErrorCategory.InvalidOperation, error.Category);
            Assert.Contains("git status", error.Message);
            Assert.Contains("index", error.Message);
        }
    }

    [UnixFact]
    [UnsupportedOSPlatform("windows")]
    public void Hung_git_is_killed_at_the_timeout_and_reported()
    {
        using var folder = TempDirectory.Create();
        var pids = Path.Combine(folder.Path, "pids");
        var fakeGit = folder.Write("fake-git", $"#!/bin/sh\necho $$ >> '{pids}'\nexec sleep 60\n");
        File.SetUnixFileMode(fakeGit, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var git = new GitCli(TimeSpan.FromMilliseconds(500), fakeGit);

        var clock = Stopwatch.StartNew();
        var info = git.Inspect(folder.Path);
        clock.Stop();

        Assert.False(info.IsRepository);
        Assert.Contains("timed out after 0.5 s", info.Error);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"took {clock.Elapsed}");
        var started = File.ReadAllLines(pids).Select(int.Parse).ToList();
        Assert.NotEmpty(started);
        Assert.All(started, pid => Assert.False(IsRunning(pid), $"fake git {pid} is still running"));
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
