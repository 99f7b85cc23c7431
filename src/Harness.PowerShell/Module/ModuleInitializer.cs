using System.Management.Automation;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.Loader;

namespace Harness.PowerShell.Module;

/// <summary>
/// Runs when PowerShell imports the module: assemblies in the module's <c>dependencies/</c> folder resolve
/// into the module's own <see cref="ModuleLoadContext"/>, so another module's copy of a library in
/// the default context cannot clash with ours. PowerShell does not resolve type names in a custom
/// context, so when Harness.Core loads there its public types get type accelerators under their
/// full names: <c>[Harness.Core.Loop.LoopResult]</c> keeps working in scripts.
/// </summary>
public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
{
    private static readonly object Gate = new();
    private static ModuleLoadContext? s_context;
    private static List<string> s_accelerators = [];

    /// <summary>The module's load context, or null when the module has no dependencies/ folder (a test host that brings Harness.Core itself).</summary>
    internal static ModuleLoadContext? Context => s_context;

    /// <summary>
    /// Puts the resolver in place. PowerShell loads the cmdlet types before it calls
    /// <see cref="OnImport"/>, so no cmdlet may have a field of a Harness.Core value type (an enum
    /// parameter's backing field): loading the type would need Harness.Core before this ran.
    /// </summary>
    internal static void RegisterResolver()
    {
        lock (Gate)
        {
            if (s_context is not null)
            {
                return;
            }

            var directory = Path.Combine(Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location) ?? "", "dependencies");
            if (!System.IO.Directory.Exists(directory))
            {
                return;
            }

            var context = new ModuleLoadContext(directory);
            AssemblyLoadContext.Default.Resolving += (_, name) => context.Owns(name) ? context.LoadFromAssemblyName(name) : null;
            s_context = context;
        }
    }

    public void OnImport()
    {
        RegisterResolver();
        AddTypeAccelerators();
    }

    public void OnRemove(PSModuleInfo psModuleInfo) => RemoveTypeAccelerators();

    /// <summary>Full-name accelerators for Harness.Core's public types, when it is in a context PowerShell does not search.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void AddTypeAccelerators()
    {
        var core = typeof(Harness.Core.Project.HarnessProject).Assembly;
        if (AssemblyLoadContext.GetLoadContext(core) == AssemblyLoadContext.Default || TypeAccelerators() is not { } accelerators)
        {
            return;
        }

        var add = accelerators.GetMethod("Add", BindingFlags.Public | BindingFlags.Static, [typeof(string), typeof(Type)]);
        lock (Gate)
        {
            var added = new List<string>();
            foreach (var type in core.GetExportedTypes().Where(t => !t.IsNested && t.FullName is not null))
            {
                add?.Invoke(null, [type.FullName!, type]);
                added.Add(type.FullName!);
            }

            s_accelerators = added;
        }
    }

    private static void RemoveTypeAccelerators()
    {
        var remove = TypeAccelerators()?.GetMethod("Remove", BindingFlags.Public | BindingFlags.Static, [typeof(string)]);
        lock (Gate)
        {
            foreach (var name in s_accelerators)
            {
                remove?.Invoke(null, [name]);
            }

            s_accelerators = [];
        }
    }

    /// <summary>PowerShell's accelerator table (what <c>[psobject].Assembly.GetType('System.Management.Automation.TypeAccelerators')</c> finds).</summary>
    private static Type? TypeAccelerators() => typeof(PSObject).Assembly.GetType("System.Management.Automation.TypeAccelerators");
}
