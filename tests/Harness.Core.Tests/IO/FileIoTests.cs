using Harness.Core.Errors;
using Harness.Core.IO;
using Harness.Core.Tests.Git;
using Harness.TestKit;

namespace Harness.Core.Tests.IO;

/// <summary>The file primitives every store uses: absent-or-bytes reads, atomic writes, short locks, clean errors.</summary>
public class FileIoTests
{
    [Fact]
    public void Reading_an_absent_file_or_folder_is_null_not_an_error()
    {
        using var dir = TempDirectory.Create();

        Assert.Null(FileBytes.ReadIfExists(Path.Combine(dir.Path, "nope.json")));
        Assert.Null(FileBytes.ReadIfExists(Path.Combine(dir.Path, "no-folder", "nope.json")));
        Assert.Equal("x"u8.ToArray(), FileBytes.ReadIfExists(dir.Write("a.json", "x")));
    }

    [Fact]
    public void A_path_that_is_a_folder_is_a_clean_error_naming_it()
    {
        using var dir = TempDirectory.Create();
        var folder = Path.Combine(dir.Path, "state.json");
        Directory.CreateDirectory(folder);

        // File.Exists is false for a folder, so this reads as absent: the caller then writes and gets the clean write error.
        Assert.Null(FileBytes.ReadIfExists(folder));
        var error = Assert.Throws<HarnessException>(() => AtomicFile.WriteText(folder, "{}"));
        Assert.Equal(ErrorIds.IoFailed, error.ErrorId);
        Assert.StartsWith($"cannot write {folder}", error.Message);
    }

    [Fact]
    public void An_atomic_write_keeps_the_previous_file_as_backup_and_leaves_no_temporary()
    {
        using var dir = TempDirectory.Create();
        var path = dir.Write("state.json", "one");

        AtomicFile.WriteText(path, "two", path + ".bak");

        Assert.Equal("two", File.ReadAllText(path));
        Assert.Equal("one", File.ReadAllText(path + ".bak"));
        Assert.Equal(["state.json", "state.json.bak"], Directory.GetFiles(dir.Path).Select(p => Path.GetFileName(p)!).Order().ToArray());
    }

    [UnixFact]
    public void A_write_into_a_read_only_folder_names_the_file_and_changes_nothing()
    {
        using var dir = TempDirectory.Create();
        var path = dir.Write("sub/state.json", "one");
        using (ReadOnlyFolder.Create(Path.Combine(dir.Path, "sub")))
        {
            var error = Assert.Throws<HarnessException>(() => AtomicFile.WriteText(path, "two"));

            Assert.Equal(HarnessErrorCategory.PermissionDenied, error.Category);
            Assert.Equal(path, error.FilePath);
            Assert.Contains("read-only", error.Message);
        }

        Assert.Equal("one", File.ReadAllText(path));
    }

    [Fact]
    public void A_short_lock_excludes_a_second_holder_and_names_the_file_when_the_wait_runs_out()
    {
        using var dir = TempDirectory.Create();
        var path = Path.Combine(dir.Path, "list.json.lock");

        using (ShortFileLock.Acquire(path, TimeSpan.Zero, "test"))
        {
            var error = Assert.Throws<HarnessException>(() => ShortFileLock.Acquire(path, TimeSpan.FromMilliseconds(100), "update the list"));
            Assert.Equal(ErrorIds.LockHeld, error.ErrorId);
            Assert.Equal(path, error.FilePath);
            Assert.EndsWith("cannot update the list.", error.Message);
        }

        using var again = ShortFileLock.Acquire(path, TimeSpan.Zero, "test");
    }

    [UnixFact]
    public void EnsureWritable_names_a_folder_it_cannot_write_and_leaves_no_probe_behind()
    {
        using var dir = TempDirectory.Create();
        var folder = Path.Combine(dir.Path, "progress");
        FileErrors.EnsureWritable(folder);
        Assert.Empty(Directory.GetFileSystemEntries(folder));

        using (ReadOnlyFolder.Create(folder))
        {
            var error = Assert.Throws<HarnessException>(() => FileErrors.EnsureWritable(folder));
            Assert.Equal($"cannot write {folder}: permission denied (read-only?)", error.Message);
        }
    }
}
