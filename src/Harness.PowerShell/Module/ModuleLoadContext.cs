using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Loader;

namespace Harness.PowerShell.Module;

/// <summary>
/// The module's own <see cref="AssemblyLoadContext"/>: every assembly in the module's
/// <c>dependencies/</c> folder (Harness.Core and any third-party library it brings) loads here,
/// from that folder, even when the default context (PowerShell, or another module) already holds
/// another version of the same name. Native libraries come from <c>dependencies/runtimes/&lt;rid&gt;/native/</c>
/// (the NuGet layout) or <c>dependencies/</c>. Whatever is not in the folder (the BCL,
/// System.Management.Automation) comes from the default context, so PowerShell's types are shared.
/// </summary>
internal sealed class ModuleLoadContext : AssemblyLoadContext
{
    private readonly string _directory;

    public ModuleLoadContext(string directory)
        : base("Harness", isCollectible: false)
    {
        _directory = directory;
    }

    /// <summary>The folder this context loads from.</summary>
    public string Directory => _directory;

    /// <summary>True when the folder holds an assembly of this name: the ones this context owns.</summary>
    public bool Owns(AssemblyName name) => name.Name is { Length: > 0 } simple && File.Exists(PathOf(simple));

    protected override Assembly? Load(AssemblyName assemblyName) =>
        Owns(assemblyName) ? LoadFromAssemblyPath(PathOf(assemblyName.Name!)) : null;

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
    {
        foreach (var candidate in NativeCandidates(unmanagedDllName))
        {
            if (File.Exists(candidate))
            {
                return LoadUnmanagedDllFromPath(candidate);
            }
        }

        return IntPtr.Zero;
    }

    private string PathOf(string simpleName) => Path.Combine(_directory, simpleName + ".dll");

    /// <summary>Where a native library may be: the NuGet runtimes/ layout for this machine first, then the folder itself; with and without the platform's prefix and extension.</summary>
    private IEnumerable<string> NativeCandidates(string name)
    {
        var rid = RuntimeInformation.RuntimeIdentifier;
        var os = OperatingSystem.IsWindows() ? "win" : OperatingSystem.IsMacOS() ? "osx" : "linux";
        var arch = RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant();
        var folders = new[]
        {
            Path.Combine(_directory, "runtimes", rid, "native"),
            Path.Combine(_directory, "runtimes", $"{os}-{arch}", "native"),
            _directory,
        };
        var (prefix, extension) = OperatingSystem.IsWindows() ? ("", ".dll") : OperatingSystem.IsMacOS() ? ("lib", ".dylib") : ("lib", ".so");
        var names = new List<string> { name };
        if (!name.EndsWith(extension, StringComparison.OrdinalIgnoreCase))
        {
            names.Add(name + extension);
            if (!name.StartsWith(prefix, StringComparison.Ordinal))
            {
                names.Add(prefix + name + extension);
            }
        }

        return folders.SelectMany(folder => names.Select(n => Path.Combine(folder, n)));
    }
}
