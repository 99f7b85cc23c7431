using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Loader;
using LibGit2Sharp;

namespace Harness.Core.Git;

/// <summary>
/// Finds libgit2 where a host that has no deps.json keeps it: <c>runtimes/&lt;rid&gt;/native/</c>
/// beside LibGit2Sharp.dll (the PowerShell module carries every RID that way, docs/packaging.md).
/// LibGit2Sharp's own resolver looks beside itself and under the application's folder (pwsh's,
/// not the module's); this handler runs when those fail, in whatever load context holds
/// LibGit2Sharp. Elsewhere it never fires: the CLI has libgit2 beside the binary, tests and MSBuild
/// resolve it from their deps.json.
/// </summary>
internal static class LibGit2NativeLibrary
{
    private static int _registered;

    public static void EnsureResolvable()
    {
        if (Interlocked.Exchange(ref _registered, 1) == 1)
        {
            return;
        }

        var libgit2Sharp = typeof(Repository).Assembly;
        var context = AssemblyLoadContext.GetLoadContext(libgit2Sharp);
        if (context is not null)
        {
            context.ResolvingUnmanagedDll += (assembly, name) => assembly == libgit2Sharp && name.Contains("git2", StringComparison.Ordinal) ? Load(libgit2Sharp) : IntPtr.Zero;
        }
    }

    [UnconditionalSuppressMessage("SingleFile", "IL3000", Justification = "An empty Location (a native or single-file build) is handled: such a build has libgit2 beside the binary.")]
    private static IntPtr Load(Assembly libgit2Sharp)
    {
        // Empty for an assembly compiled into a native binary; that build has libgit2 beside it.
        var directory = Path.GetDirectoryName(libgit2Sharp.Location);
        if (string.IsNullOrEmpty(directory))
        {
            return IntPtr.Zero;
        }

        foreach (var rid in RuntimeIdentifiers())
        {
            var native = Path.Combine(directory, "runtimes", rid, "native");
            if (!Directory.Exists(native))
            {
                continue;
            }

            foreach (var file in Directory.EnumerateFiles(native, "*git2*"))
            {
                if (NativeLibrary.TryLoad(file, out var handle))
                {
                    return handle;
                }
            }
        }

        return IntPtr.Zero;
    }

    /// <summary>This process's RID as the runtime names it, then the portable one (linux-musl-x64, osx-arm64, win-x64 ...).</summary>
    internal static IEnumerable<string> RuntimeIdentifiers()
    {
        yield return RuntimeInformation.RuntimeIdentifier;
        var os = OperatingSystem.IsWindows() ? "win"
            : OperatingSystem.IsMacOS() ? "osx"
            : RuntimeInformation.RuntimeIdentifier.Contains("musl", StringComparison.Ordinal) ? "linux-musl" : "linux";
        yield return $"{os}-{RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant()}";
    }
}
