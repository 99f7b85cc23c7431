using Harness.TestKit;

namespace Harness.Core.Tests.TestKit;

/// <summary>The fixtures every git test stands on; a wrong fixture would make those tests prove nothing.</summary>
public sealed class TestKitTests
{
    [Fact]
    public void Temp_directory_writes_nested_files_and_deletes_read_only_ones()
    {
        string root;
        using (var folder = TempDirectory.Create("kit"))
        {
            root = folder.Path;
            var written = folder.Write("a/b/c.txt", "hello ünï");
            File.SetAttributes(written, FileAttributes.ReadOnly);

            Assert.StartsWith(Path.GetTempPath(), root);
            Assert.Equal(Path.Combine(root, "a", "b", "c.txt"), written);
            Assert.Equal("hello ünï", folder.Read("a/b/c.txt"));
            Assert.True(folder.Exists("a/b"));
            Assert.False(folder.Exists("a/missing.txt"));
        }

        Assert.False(Directory.Exists(root));
    }

    [Fact]
    public void Repo_git_ignores_global_config_and_uses_the_test_identity()
    {
        using var repo = TempGitRepo.Init();

        Assert.StartsWith("Harness Test <harness-test@example.invalid>", repo.Git("var", "GIT_AUTHOR_IDENT"));
        Assert.Equal("", repo.Git("config", "--global", "--list"));
        Assert.Equal("main", repo.Git("symbolic-ref", "--short", "HEAD").Trim());
    }

    [Fact]
    public void Repo_without_identity_cannot_commit()
    {
        using var repo = TempGitRepo.Init(withCommitIdentity: false);

        Assert.Throws<InvalidOperationException>(() => repo.Commit("needs an author", ("a.txt", "1")));
    }

    [Fact]
    public void Commit_returns_the_new_head_and_stages_everything()
    {
        using var repo = TempGitRepo.Init();
        repo.WriteFile("loose.txt", "picked up by add -A");

        var hash = repo.Commit("both", ("given.txt", "1"));

        Assert.Equal(repo.Git("rev-parse", "HEAD").Trim(), hash);
        Assert.Equal(["given.txt", "loose.txt"], repo.Git("ls-tree", "--name-only", "HEAD").Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal("", repo.Git("status", "--porcelain"));
    }

    [Fact]
    public void Commit_many_continues_the_current_branch_and_checks_it_out()
    {
        using var repo = TempGitRepo.Init();
        var first = repo.Commit("first", ("a.txt", "1"));

        repo.CommitMany(500, "bulk");

        Assert.Equal("501", repo.Git("rev-list", "--count", "HEAD").Trim());
        Assert.Equal(first, repo.Git("rev-list", "--max-parents=0", "HEAD").Trim());
        Assert.Equal("bulk 500", repo.Git("log", "-1", "--format=%s").Trim());
        Assert.Equal("bulk 500 content\n", File.ReadAllText(Path.Combine(repo.Path, "bulk-500.txt")));
        Assert.Equal("", repo.Git("status", "--porcelain"));
    }

    [Fact]
    public void Commit_many_works_in_an_empty_repository()
    {
        using var repo = TempGitRepo.Init();

        repo.CommitMany(3);

        Assert.Equal("3", repo.Git("rev-list", "--count", "HEAD").Trim());
    }

    [Fact]
    public void Shallow_clone_has_only_the_requested_depth()
    {
        using var source = TempGitRepo.Init();
        source.CommitMany(5);

        using var clone = source.CloneShallow(depth: 2);

        Assert.Equal("2", clone.Git("rev-list", "--count", "HEAD").Trim());
        Assert.Equal("true", clone.Git("rev-parse", "--is-shallow-repository").Trim());
        Assert.Equal(source.Git("rev-parse", "HEAD"), clone.Git("rev-parse", "HEAD"));
    }

    [Fact]
    public void Detach_head_leaves_head_on_the_same_commit_without_a_branch()
    {
        using var repo = TempGitRepo.Init();
        var head = repo.Commit("one", ("a.txt", "1"));

        repo.DetachHead();

        Assert.Equal(head, repo.Git("rev-parse", "HEAD").Trim());
        Assert.Equal("HEAD", repo.Git("rev-parse", "--abbrev-ref", "HEAD").Trim());
    }
}
