using Harness.Core.Features;
using Harness.Core.Json;

namespace Harness.Core.Project;

/// <summary>What <c>harness init</c> did: every path it created, and every one it found and left alone.</summary>
public sealed record InitResult
{
    public required string Directory { get; init; }

    public string? ProjectType { get; init; }

    public IReadOnlyList<string> Created { get; init; } = [];

    public IReadOnlyList<string> Existing { get; init; } = [];

    public bool DryRun { get; init; }

    /// <summary>The Claude Code hook entries added to .claude/settings.json; null when hooks were not asked for.</summary>
    public Guard.HookSettingsResult? Hooks { get; init; }

    /// <summary>The feature list imported from another format; null when no import was asked for.</summary>
    public FeatureListImportResult? Import { get; init; }

    /// <summary>One line for people: what PowerShell shows for <c>"$x"</c> and what logs print.</summary>
    public override string ToString() => $"{Directory}: {ProjectType ?? "unknown"}, {Created.Count} created, {Existing.Count} kept{(DryRun ? " (dry run)" : "")}";
}

/// <summary>Sets a project up for the harness. Never overwrites: what exists is reported and kept.</summary>
internal static class ProjectInitializer
{
    public static InitResult Initialize(HarnessProject project, string? projectType = null, bool dryRun = false) =>
        Initialize(project, projectType, dryRun, hooks: false, hookCommand: null);

    /// <summary>
    /// With <paramref name="hooks"/>: also merges the guard's hook entries into .claude/settings.json
    /// (<see cref="Guard.HookSettings"/>). With <paramref name="import"/>: also writes a feature list
    /// converted from another format (<see cref="FeatureListImporter"/>).
    /// </summary>
    public static InitResult Initialize(HarnessProject project, string? projectType, bool dryRun, bool hooks, string? hookCommand, FeatureListImport? import = null)
    {
        var layout = project.Layout;
        var type = projectType ?? ProjectDetector.Detect(layout.Root).DetectedType;
        if (hooks)
        {
            // Validate .claude/settings.json before creating anything: a broken file stops the whole init.
            Guard.HookSettings.Install(layout, hookCommand, dryRun: true);
        }

        // The same for an import: the source reads, every field has a place, the target is free.
        var imported = import is null ? default : FeatureListImporter.Plan(layout, import);

        var created = new List<string>();
        var existing = new List<string>();

        foreach (var folder in new[] { layout.ConfigDirectory, layout.ProgressDirectory })
        {
            if (Directory.Exists(folder))
            {
                existing.Add(folder);
            }
            else
            {
                if (!dryRun)
                {
                    Directory.CreateDirectory(folder);
                }

                created.Add(folder);
            }
        }

        var ignoreExisted = File.Exists(ProgressIgnore.PathFor(layout));
        if (!dryRun)
        {
            // The one operation that may make a project of a plain folder (the lock creates .claude/progress and its .gitignore).
            project.EnsureLocked("init", creatingProject: true);
        }

        if (ignoreExisted)
        {
            existing.Add(ProgressIgnore.PathFor(layout));
        }
        else
        {
            created.Add(ProgressIgnore.PathFor(layout));
        }

        if (File.Exists(layout.ConfigFile))
        {
            existing.Add(layout.ConfigFile);
        }
        else
        {
            if (!dryRun)
            {
                // CreateNew, not an atomic rename: a rename would replace a file another process created meanwhile.
                WriteIfAbsent(layout.ConfigFile, StarterConfig.ToBytes(type));
            }

            created.Add(layout.ConfigFile);
        }

        var hookResult = hooks ? Guard.HookSettings.Install(layout, hookCommand, dryRun) : null;
        if (imported.Result is { } importResult)
        {
            if (!dryRun)
            {
                FeatureListImporter.Write(importResult.TargetPath, imported.Bytes);
            }

            created.Add(importResult.TargetPath);
            if (!importResult.ReadByHarness)
            {
                project.Host.WriteWarning($"{importResult.TargetPath} is not the list the harness reads: {FeatureStore.Locate(layout)?.Path} comes first (seed, then quickstart, then Ralph's).");
            }
        }

        return new InitResult { Directory = layout.Root, ProjectType = type, Created = created, Existing = existing, DryRun = dryRun, Hooks = hookResult, Import = imported.Result };
    }

    private static void WriteIfAbsent(string path, byte[] content)
    {
        using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None);
        stream.Write(content);
        stream.Flush(flushToDisk: true);
    }
}
