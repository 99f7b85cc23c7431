namespace Harness.Core.IO;

/// <summary>The one way the harness reads a file that may be absent: a missing file is not an error, anything else is a clean one.</summary>
internal static class FileBytes
{
    /// <summary>
    /// The file's bytes, or null when it (or its folder) does not exist, also when it vanished
    /// between the check and the read. A file that exists but cannot be read is a
    /// <see cref="Errors.HarnessException"/> naming it (<see cref="FileErrors.CannotRead"/>).
    /// </summary>
    public static byte[]? ReadIfExists(string path)
    {
        // A missing file is the common case (no project.json, no lock): a stat is far cheaper than an exception.
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw FileErrors.CannotRead(path, ex);
        }
    }
}
