namespace Harness.Core.IO;

/// <summary>
/// Every write of harness state goes through here: a reader (or a crash) can see the old file
/// or the new one, never half of one.
/// </summary>
internal static class AtomicFile
{
    /// <summary>
    /// Writes <paramref name="content"/> to a temporary file in the same folder (so the rename
    /// stays on one file system), flushes it to disk, then renames it over <paramref name="path"/>.
    /// When <paramref name="backupPath"/> is given and the old file exists, the old file is first
    /// copied there, also atomically.
    /// </summary>
    /// <exception cref="Errors.HarnessException">The file cannot be written (read-only, permission denied, disk full), naming it.</exception>
    public static void Write(string path, ReadOnlySpan<byte> content, string? backupPath = null)
    {
        try
        {
            WriteOrThrow(path, content, backupPath);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw FileErrors.CannotWrite(path, ex);
        }
    }

    private static void WriteOrThrow(string path, ReadOnlySpan<byte> content, string? backupPath)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);

        if (backupPath is not null && File.Exists(path))
        {
            var backupTemp = TempPathBeside(backupPath);
            try
            {
                File.Copy(path, backupTemp, overwrite: false);
                File.Move(backupTemp, backupPath, overwrite: true);
            }
            finally
            {
                TryDelete(backupTemp);
            }
        }

        var temp = TempPathBeside(path);
        try
        {
            WriteNew(temp, content);
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            TryDelete(temp);
        }
    }

    /// <summary>
    /// <see cref="Write"/> as a compare-and-swap against writers that take no lock (an agent editing
    /// the file by hand): replaces <paramref name="path"/> only while it still holds exactly
    /// <paramref name="expected"/>, the bytes the caller read and edited; false, with nothing
    /// changed, when it does not (or is gone). The new content and the backup (of
    /// <paramref name="expected"/>) are on disk before the compare, so the window left is the
    /// compare and two renames: as short as a file system allows without the other writer's help.
    /// </summary>
    public static bool WriteIfUnchanged(string path, ReadOnlySpan<byte> content, ReadOnlySpan<byte> expected, string? backupPath = null)
    {
        var temp = TempPathBeside(path);
        var backupTemp = backupPath is null ? null : TempPathBeside(backupPath);
        try
        {
            if (backupTemp is not null)
            {
                WriteNew(backupTemp, expected);
            }

            WriteNew(temp, content);
            if (!HoldsExactly(path, expected))
            {
                return false;
            }

            if (backupTemp is not null)
            {
                File.Move(backupTemp, backupPath!, overwrite: true);
            }

            File.Move(temp, path, overwrite: true);
            return true;
        }
        finally
        {
            TryDelete(temp);
            if (backupTemp is not null)
            {
                TryDelete(backupTemp);
            }
        }
    }

    public static void WriteText(string path, string text, string? backupPath = null) =>
        Write(path, System.Text.Encoding.UTF8.GetBytes(text), backupPath);

    private static void WriteNew(string path, ReadOnlySpan<byte> content)
    {
        using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1, FileOptions.None);
        stream.Write(content);
        stream.Flush(flushToDisk: true);
    }

    private static bool HoldsExactly(string path, ReadOnlySpan<byte> expected)
    {
        return FileBytes.ReadIfExists(path) is { } bytes && bytes.AsSpan().SequenceEqual(expected);
    }

    private static string TempPathBeside(string path)
    {
        var full = Path.GetFullPath(path);
        return Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
    }

    private static void TryDelete(string path)
    {
        try
        {
            if (File.Exists(path))
            {
                File.Delete(path);
            }
        }
        catch (IOException)
        {
            // A leftover temp file is harmless (hidden, uniquely named); losing the real error is not.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
