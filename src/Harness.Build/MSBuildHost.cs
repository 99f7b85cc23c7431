using Harness.Core.Hosting;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace Harness.Build;

/// <summary>
/// Core's host inside a task: detail at low importance, warnings as HARN0200. A warning that names
/// no file is reported against <paramref name="defaultFile"/> (the project folder), not against the
/// targets file in the package cache that MSBuild would otherwise name.
/// </summary>
internal sealed class MSBuildHost(TaskLoggingHelper log, string? defaultFile) : IHarnessHost
{
    public void WriteVerbose(string message) => log.LogMessage(MessageImportance.Low, "Harness: " + message);

    public void WriteWarning(string message)
    {
        var (file, text) = SplitFile(message);
        log.LogWarning(null, HarnessErrorCodes.EntryWarning, null, file ?? defaultFile, 0, 0, 0, 0, text);
    }

    /// <summary>
    /// Core words file warnings as "<c>/path/file.json: what is wrong</c>"; naming the file in
    /// the warning itself lets CI annotate that file rather than the project.
    /// </summary>
    internal static (string? File, string Text) SplitFile(string message)
    {
        var colon = message.IndexOf(": ", StringComparison.Ordinal);
        if (colon > 0)
        {
            var candidate = message[..colon];
            if (Path.IsPathRooted(candidate) && File.Exists(candidate))
            {
                return (candidate, message[(colon + 2)..]);
            }
        }

        return (null, message);
    }
}
