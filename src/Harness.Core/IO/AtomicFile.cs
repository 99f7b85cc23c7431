namespace Harness.Core.IO;

/// <summary>
/// Every write of harness state goes through here: a reader (or a crash) can see the old file
/// or the new one, never half of one.
/// </summary>
public static class AtomicFile
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
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1, FileOptions.None))
            {
                stream.Write(content);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            TryDelete(temp);
        }
    }

    public static void WriteText(string path, string text, string? backupPath = null) =>
        Write(path, System.Text.Encoding.UTF8.GetBytes(text), backupPath);

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
