using System.Reflection;

namespace Harness.PowerShell.Tests;

/// <summary>Where the module's files are: the repository root holds Harness.psd1; the build fills module/.</summary>
internal static class ModuleFiles
{
    public static readonly string Root = Harness.TestKit.SourceTree.Root;

    public static string Manifest => Path.Combine(Root, "Harness.psd1");

    /// <summary>The module the build lays out: what Import-Module Harness and Publish-PSResource take.</summary>
    public static string ModuleDirectory => Path.Combine(Root, "module", "Harness");

    public static string ModuleManifest => Path.Combine(ModuleDirectory, "Harness.psd1");

    public static string ModuleAssembly => Path.Combine(ModuleDirectory, "Harness.PowerShell.dll");

    public static string CoreAssembly => Path.Combine(ModuleDirectory, "dependencies", "Harness.Core.dll");

    public static string FormatFile => Path.Combine(Root, "module", "Harness.Format.ps1xml");

    public static string Maml => Path.Combine(ModuleDirectory, "en-US", "Harness.PowerShell.dll-Help.xml");

    public static string CmdletDocs => Path.Combine(Root, "docs", "cmdlets");

    /// <summary>PowerShellStandard's reference System.Management.Automation (its path is stamped in at build).</summary>
    public static string PowerShellStandardReference =>
        typeof(ModuleFiles).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "PowerShellStandardReference").Value!;
}
