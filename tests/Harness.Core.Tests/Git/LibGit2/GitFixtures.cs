using Harness.TestKit;

namespace Harness.Core.Tests.Git.LibGit2;

/// <summary>A repository in one of the states the harness must read exactly as git does, and the folder to ask about.</summary>
internal sealed class GitFixture(string directory, params IDisposable[] owned) : IDisposable
{
    public string Directory { get; } = directory;

    public void Dispose()
    {
        foreach (var item in owned.Reverse())
        {
            item.Dispose();
        }
    }
}

/// <summary>
/// The fixtures of the libgit2 equivalence tests (issue 14): each leaves committed history, staged,
/// unstaged and untracked changes of its kind, so every read has something to report.
/// </summary>
internal static class GitFixtures
{
    public static readonly string[] Names =
    [
        "shallow clone", "detached HEAD", "unborn branch", "submodule", "linked worktree", "ignore rules",
        "non-ASCII and space paths", "symlinks", "executable bits", "large untracked set",
        "deleted in the index, present in the tree", "staged rename and conflict", "nested repository",
    ];

    public static GitFixture Create(string name) => name switch
    {
        "shallow clone" => ShallowClone(),
        "detached HEAD" => DetachedHead(),
        "unborn branch" => UnbornBranch(),
        "submodule" => Submodule(),
        "linked worktree" => LinkedWorktree(),
        "ignore rules" => IgnoreRules(),
        "non-ASCII and space paths" => NonAsciiPaths(),
        "symlinks" => Symlinks(),
        "executable bits" => ExecutableBits(),
        "large untracked set" => LargeUntrackedSet(),
        "deleted in the index, present in the tree" => DeletedInIndex(),
        "staged rename and conflict" => RenameAndConflict(),
        "nested repository" => NestedRepository(),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "no such fixture"),
    };

    /// <summary>A base history with a root commit, edits, a rename and a merge, so logs have every kind of commit.</summary>
    public static TempGitRepo WithHistory()
    {
        var repo = TempGitRepo.Init();
        repo.Commit("root: two files\n\nbody line", ("a.txt", "a\n"), ("dir/b.txt", "b\n"));
        repo.Commit("  edit a   \n  and more  \n\nbody", ("a.txt", "a2\n"));
        repo.Git("checkout", "--quiet", "-b", "side");
        repo.Commit("side work", ("side.txt", "side\n"));
        repo.Git("checkout", "--quiet", "main");
        repo.Git("mv", "dir/b.txt", "dir/renamed b.txt");
        repo.Git("commit", "--quiet", "-m", "rename b");
        repo.Git("merge", "--quiet", "--no-ff", "-m", "merge side", "side");
        repo.Commit("after merge", ("c.txt", "c\n"));
        return repo;
    }

    /// <summary>Staged, unstaged and untracked changes, and a deleted file, on top of whatever is there.</summary>
    public static void AddWorkingChanges(TempGitRepo repo)
    {
        repo.WriteFile("a.txt", "changed in the work tree\n");
        repo.WriteFile("staged.txt", "staged\n");
        repo.Git("add", "staged.txt");
        repo.WriteFile("untracked.txt", "u\n");
        repo.WriteFile("new dir/inner.txt", "inner\n");
        File.Delete(Path.Combine(repo.Path, "c.txt"));
    }

    private static GitFixture ShallowClone()
    {
        using var origin = WithHistory();
        origin.CommitMany(8);
        var clone = origin.CloneShallow(depth: 3);
        clone.WriteFile("untracked.txt", "u\n");
        return new GitFixture(clone.Path, clone);
    }

    private static GitFixture DetachedHead()
    {
        var repo = WithHistory();
        repo.DetachHead();
        AddWorkingChanges(repo);
        return new GitFixture(repo.Path, repo);
    }

    private static GitFixture UnbornBranch()
    {
        var repo = TempGitRepo.Init(initialBranch: "trunk");
        repo.WriteFile("first.txt", "1\n");
        repo.WriteFile("staged.txt", "s\n");
        repo.Git("add", "staged.txt");
        return new GitFixture(repo.Path, repo);
    }

    private static GitFixture Submodule()
    {
        var library = TempGitRepo.Init();
        library.Commit("library", ("lib.txt", "lib\n"));
        var repo = WithHistory();
        repo.Git("-c", "protocol.file.allow=always", "submodule", "add", "--quiet", library.Path, "modules/lib");

        // The same .gitmodules in every copy of the fixture (the library's temporary path differs).
        repo.Git("config", "-f", ".gitmodules", "submodule.modules/lib.url", "../library");
        repo.Git("add", ".gitmodules");
        repo.Git("commit", "--quiet", "-m", "add submodule");
        var sub = Path.Combine(repo.Path, "modules", "lib");
        File.WriteAllText(Path.Combine(sub, "lib.txt"), "moved on\n");
        GitIn(repo, sub, "commit", "--quiet", "-am", "inside the submodule");
        File.WriteAllText(Path.Combine(sub, "untracked inside.txt"), "x\n");
        AddWorkingChanges(repo);
        return new GitFixture(repo.Path, repo, library);
    }

    private static GitFixture LinkedWorktree()
    {
        var repo = WithHistory();
        var worktree = TempDirectory.Create("harness-worktree");
        Directory.Delete(worktree.Path);
        repo.Git("worktree", "add", "--quiet", "-b", "feature", worktree.Path);
        File.WriteAllText(Path.Combine(worktree.Path, "a.txt"), "changed in the worktree\n");
        File.WriteAllText(Path.Combine(worktree.Path, "wt-untracked.txt"), "u\n");
        GitIn(repo, worktree.Path, "commit", "--quiet", "--allow-empty", "-m", "on feature");
        return new GitFixture(worktree.Path, worktree, repo);
    }

    private static GitFixture IgnoreRules()
    {
        var repo = WithHistory();
        repo.WriteFile(".gitignore", "*.log\nbuild/\n!keep.log\n");
        repo.WriteFile("tracked.log", "tracked before the rule\n");
        repo.Git("add", "-f", ".gitignore", "tracked.log");
        repo.Git("commit", "--quiet", "-m", "ignore rules");
        File.AppendAllText(Path.Combine(repo.Path, ".git", "info", "exclude"), "local-only/\n*.tmp\n");
        repo.WriteFile("tracked.log", "tracked and changed\n");
        repo.WriteFile("debug.log", "ignored\n");
        repo.WriteFile("keep.log", "re-included\n");
        repo.WriteFile("build/out.bin", "ignored folder\n");
        repo.WriteFile("local-only/x.txt", "excluded by info/exclude\n");
        repo.WriteFile("scratch.tmp", "excluded by info/exclude\n");
        repo.WriteFile("only-ignored/a.log", "a folder holding ignored files only\n");
        repo.WriteFile("mixed/a.log", "ignored\n");
        repo.WriteFile("mixed/b.txt", "not ignored\n");
        Directory.CreateDirectory(Path.Combine(repo.Path, "empty-dir"));
        AddWorkingChanges(repo);
        return new GitFixture(repo.Path, repo);
    }

    private static GitFixture NonAsciiPaths()
    {
        var repo = WithHistory();
        repo.Commit("ünïcödé 日本語 names", ("dir with space/naïve file.txt", "x\n"), ("日本語/ファイル.txt", "y\n"), ("emoji 🎉.txt", "z\n"));
        repo.WriteFile("dir with space/naïve file.txt", "changed\n");
        repo.WriteFile("日本語/新しい.txt", "new\n");
        repo.WriteFile("Ünïcode untracked.txt", "u\n");
        repo.WriteFile("tab\there.txt", "t\n");
        return new GitFixture(repo.Path, repo);
    }

    private static GitFixture Symlinks()
    {
        var repo = WithHistory();
        File.CreateSymbolicLink(Path.Combine(repo.Path, "link-to-a"), "a.txt");
        File.CreateSymbolicLink(Path.Combine(repo.Path, "link-to-dir"), "dir");
        File.CreateSymbolicLink(Path.Combine(repo.Path, "dangling"), "no-such-file");
        repo.Git("add", "link-to-a", "link-to-dir");
        repo.Git("commit", "--quiet", "-m", "symlinks");
        File.Delete(Path.Combine(repo.Path, "link-to-a"));
        File.CreateSymbolicLink(Path.Combine(repo.Path, "link-to-a"), "c.txt");
        File.Delete(Path.Combine(repo.Path, "link-to-dir"));
        repo.WriteFile("link-to-dir", "now a file\n");
        return new GitFixture(repo.Path, repo);
    }

    private static GitFixture ExecutableBits()
    {
        var repo = WithHistory();
        repo.Commit("scripts", ("run.sh", "#!/bin/sh\n"), ("tool.sh", "#!/bin/sh\n"));
        repo.WriteFile("new-tool.sh", "#!/bin/sh\n");
        if (OperatingSystem.IsWindows())
        {
            // No executable bit on disk (core.fileMode is false): the index carries it.
            repo.Git("update-index", "--chmod=+x", "run.sh");
            return new GitFixture(repo.Path, repo);
        }

        File.SetUnixFileMode(Path.Combine(repo.Path, "run.sh"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.SetUnixFileMode(Path.Combine(repo.Path, "new-tool.sh"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return new GitFixture(repo.Path, repo);
    }

    private static GitFixture LargeUntrackedSet()
    {
        var repo = WithHistory();
        for (var i = 0; i < 2000; i++)
        {
            repo.WriteFile($"generated/{i % 20}/file-{i}.txt", $"{i}\n");
        }

        repo.WriteFile("loose.txt", "loose\n");
        return new GitFixture(repo.Path, repo);
    }

    private static GitFixture DeletedInIndex()
    {
        var repo = WithHistory();
        repo.Git("rm", "--cached", "--quiet", "a.txt");
        repo.Git("rm", "--cached", "--quiet", "c.txt");
        repo.WriteFile("c.txt", "changed after removal from the index\n");
        return new GitFixture(repo.Path, repo);
    }

    private static GitFixture RenameAndConflict()
    {
        var repo = WithHistory();
        repo.Commit("before the conflict", ("shared.txt", "base\n"), ("both-added.txt", "nothing\n"));
        repo.Git("rm", "--quiet", "both-added.txt");
        repo.Git("commit", "--quiet", "-m", "drop both-added");
        repo.Git("checkout", "--quiet", "-b", "theirs");
        repo.Commit("theirs", ("shared.txt", "theirs\n"), ("both-added.txt", "theirs\n"));
        repo.Git("checkout", "--quiet", "main");
        repo.Commit("ours", ("shared.txt", "ours\n"), ("both-added.txt", "ours\n"));
        Assert.Throws<InvalidOperationException>(() => repo.Git("merge", "--quiet", "theirs"));
        repo.Git("mv", "a.txt", "a renamed.txt");
        return new GitFixture(repo.Path, repo);
    }

    private static GitFixture NestedRepository()
    {
        var repo = WithHistory();
        var nested = Path.Combine(repo.Path, "vendor", "nested");
        Directory.CreateDirectory(nested);
        GitIn(repo, nested, "init", "--quiet");
        File.WriteAllText(Path.Combine(nested, "n.txt"), "n\n");
        GitIn(repo, nested, "add", "n.txt");
        GitIn(repo, nested, "commit", "--quiet", "-m", "nested");
        repo.WriteFile("vendor/loose.txt", "beside the nested repository\n");
        return new GitFixture(repo.Path, repo);
    }

    /// <summary>git in another folder (a submodule, a worktree) with the fixture's isolated config and identity.</summary>
    private static void GitIn(TempGitRepo repo, string directory, params string[] arguments) => TempGitRepo.GitIn(directory, arguments);
}
