using Harness.Core.Errors;

namespace Harness.Core.IO;

/// <summary>
/// A file the harness cannot write or read is the user's problem to fix, not a crash: every front
/// shows <c>cannot write &lt;path&gt;: read-only</c> as a clean error (exit 1, an ErrorRecord, one
/// MSBuild error line) instead of an unhandled exception.
/// </summary>
internal static class FileErrors
{
    /// <summary>The Unix errno of a read-only file system, as .NET puts it in an IOException's HResult.</summary>
    private const int ReadOnlyFileSystem = 30;

    public static HarnessException CannotWrite(string path, Exception cause)
    {
        var why = cause switch
        {
            UnauthorizedAccessException => "permission denied (read-only?)",
            IOException io when (io.HResult & 0xFFFF) == ReadOnlyFileSystem => "read-only file system",
            _ => cause.Message,
        };
        return new HarnessException(ErrorIds.IoFailed, HarnessErrorCategory.PermissionDenied, $"cannot write {path}: {why}", cause)
        {
            FilePath = path,
            Fix = $"Make {Path.GetDirectoryName(path) ?? path} writable for this user, or run the harness where it may write.",
        };
    }

    public static HarnessException CannotRead(string path, Exception cause) =>
        new(ErrorIds.IoFailed, cause is UnauthorizedAccessException ? HarnessErrorCategory.PermissionDenied : HarnessErrorCategory.ResourceUnavailable,
            $"cannot read {path}: {(cause is UnauthorizedAccessException ? "permission denied" : cause.Message)}", cause)
        {
            FilePath = path,
        };

    /// <summary>
    /// Checks before a command changes anything that it will be able to write in <paramref name="directory"/>:
    /// a restore that resets the tree and then cannot record it must not start.
    /// </summary>
    public static void EnsureWritable(string directory)
    {
        var probe = Path.Combine(directory, $".write-check.{Guid.NewGuid():N}.tmp");
        try
        {
            Directory.CreateDirectory(directory);
            using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose))
            {
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw CannotWrite(directory, ex);
        }
    }
}
