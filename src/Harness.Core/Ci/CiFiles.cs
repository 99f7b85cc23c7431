using System.Text;
using Harness.Core.Errors;
using Harness.Core.IO;

namespace Harness.Core.Ci;

/// <summary>
/// Appends to the runner's command files (<c>$GITHUB_OUTPUT</c>, <c>$GITHUB_STEP_SUMMARY</c>) so
/// that several processes writing at once (a matrix of harnesses sharing a step, a script starting
/// two) never tear or overwrite each other's records.
/// </summary>
internal static class CiFiles
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>
    /// Appends <paramref name="record"/> (built whole by the caller) in one write under an exclusive
    /// lock, then flushes. .NET's <c>FileMode.Append</c> does not open with <c>O_APPEND</c>: it
    /// remembers the length at open and writes there (dotnet/runtime#53432), so two processes that
    /// open at once would write at the same offset. The exclusive share mode (flock on Unix, a
    /// sharing lock on Windows) makes the length read and the write one step; a busy file is retried.
    /// A file whose last line has no newline (another writer's) gets one first, so records never merge.
    /// </summary>
    public static void Append(string path, string record, TimeSpan? patience = null)
    {
        var bytes = Utf8NoBom.GetBytes(record);
        try
        {
            using var locked = ShortFileLock.Acquire(path, patience ?? TimeSpan.FromSeconds(30), $"append to {path}");
            var stream = locked.Stream;
            var length = stream.Length;
            if (length > 0)
            {
                stream.Position = length - 1;
                if (stream.ReadByte() != '\n')
                {
                    bytes = [(byte)'\n', .. bytes];
                }
            }

            stream.Position = length;
            stream.Write(bytes, 0, bytes.Length);
            stream.Flush();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new HarnessException(ErrorIds.IoFailed, HarnessErrorCategory.ResourceUnavailable, $"cannot append to {path}: {ex.Message}", ex)
            {
                FilePath = path,
                Fix = "check that the CI runner's command file exists and is writable",
            };
        }
    }

    /// <summary>The file's path relative to the checkout, with '/', when it lies inside it; else unchanged.</summary>
    public static string RelativeToWorkspace(string? workspace, string file)
    {
        if (workspace is null || !Path.IsPathRooted(file))
        {
            return file.Replace('\\', '/');
        }

        var comparison = OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(workspace));
        var full = Path.GetFullPath(file);
        if (full.Length > root.Length + 1 && full.StartsWith(root, comparison) && (full[root.Length] == Path.DirectorySeparatorChar || full[root.Length] == Path.AltDirectorySeparatorChar))
        {
            return full[(root.Length + 1)..].Replace('\\', '/');
        }

        return file;
    }

    /// <summary>Each line of a multi-line secret, for runners that mask line by line.</summary>
    public static IEnumerable<string> SecretParts(string secret)
    {
        if (string.IsNullOrWhiteSpace(secret))
        {
            yield break;
        }

        yield return secret;
        if (secret.Contains('\n') || secret.Contains('\r'))
        {
            foreach (var line in secret.Split('\n'))
            {
                var trimmed = line.TrimEnd('\r');
                if (!string.IsNullOrWhiteSpace(trimmed))
                {
                    yield return trimmed;
                }
            }
        }
    }

    public static void ValidateOutputName(string name)
    {
        if (name.Length == 0 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
        {
            throw new ArgumentException($"output name \"{name}\" must be letters, digits, '_' or '-'", nameof(name));
        }
    }
}
