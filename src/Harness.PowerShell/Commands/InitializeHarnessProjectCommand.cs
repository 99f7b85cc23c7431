using System.Management.Automation;
using Harness.Core.Errors;
using Harness.Core.Features;
using Harness.Core.Project;
using Harness.PowerShell.Completion;

namespace Harness.PowerShell.Commands;

/// <summary>Initialize-HarnessProject: creates .claude/config and .claude/progress with a starter project.json. Never overwrites.</summary>
[Cmdlet(VerbsData.Initialize, "HarnessProject", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, DefaultParameterSetName = LiteralPathSet)]
[OutputType(typeof(InitResult))]
public sealed class InitializeHarnessProjectCommand : HarnessProjectCmdlet
{
    /// <summary>Error id of a -ProjectType the harness does not know.</summary>
    public const string ProjectTypeUnknownErrorId = "Harness.ProjectTypeUnknown";

    /// <summary>Project type for the starter config (default: detected from the project's files); one of Core's known types.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ProjectTypeCompleter))]
    public string? ProjectType { get; set; }

    /// <summary>Also add the 'harness guard' hooks (PreToolUse, SessionStart) to .claude/settings.json, keeping what is there.</summary>
    [Parameter]
    public SwitchParameter Hooks { get; set; }

    /// <summary>The command the hooks run (default: 'harness guard'); implies -Hooks.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? HookCommand { get; set; }

    /// <summary>A feature list in another format to import (Ralph's prd.json, the quickstart's feature_list.json, a seed list), relative to the current location.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ImportFeatureList { get; set; }

    /// <summary>The format the imported list is written in (default Seed); needs -ImportFeatureList.</summary>
    /// <remarks>
    /// A string, not <see cref="FeatureListFormat"/>: a cmdlet's field of a Harness.Core value type
    /// would load Harness.Core before the module's resolver is in place (see ModuleInitializer), and the import fails.
    /// </remarks>
    [Parameter]
    [ValidateSet(nameof(FeatureListFormat.Seed), nameof(FeatureListFormat.Quickstart), nameof(FeatureListFormat.Ralph), IgnoreCase = true)]
    public string? ImportTo { get; set; }

    protected override void BeginProcessing()
    {
        if (ProjectType is not null && !ProjectDetector.KnownTypes.Contains(ProjectType, StringComparer.OrdinalIgnoreCase))
        {
            var error = new HarnessException(ProjectTypeUnknownErrorId, HarnessErrorCategory.InvalidArgument, $"-ProjectType '{ProjectType}' is not a project type the harness knows; nothing was written.")
            {
                Fix = $"Use one of: {string.Join(", ", ProjectDetector.KnownTypes)}; or leave -ProjectType out to detect it from the project's files.",
            };
            ThrowTerminatingError(ToErrorRecord(error, ProjectType));
        }

        ProjectType = ProjectType is null ? null : ProjectDetector.KnownTypes.First(t => t.Equals(ProjectType, StringComparison.OrdinalIgnoreCase));
        if (ImportTo is not null && ImportFeatureList is null)
        {
            ThrowTerminatingError(new ErrorRecord(
                new ArgumentException("-ImportTo needs -ImportFeatureList: the feature list to import. Nothing was written."),
                "Harness.ImportSourceMissing",
                ErrorCategory.InvalidArgument,
                ImportTo));
        }
    }

    protected override void ProcessRecord()
    {
        var withHooks = Hooks.IsPresent || HookCommand is not null;
        var import = ImportFeatureList is null ? null : new FeatureListImport(ResolveLiteral(ImportFeatureList), Enum.Parse<FeatureListFormat>(ImportTo ?? nameof(FeatureListFormat.Seed), ignoreCase: true));
        var action = withHooks
            ? "Create .claude/config, .claude/progress and a starter project.json (existing files are kept); add the guard hooks to .claude/settings.json"
            : "Create .claude/config, .claude/progress and a starter project.json (existing files are kept)";
        if (import is not null)
        {
            action += $"; import the feature list {import.SourcePath} as a {import.Target} list";
        }

        ForEachProject(Targets(), project =>
        {
            // -WhatIf (or answering No to -Confirm) returns what would be created, creating nothing.
            var dryRun = !ShouldProcess(project.Root, action);
            WriteResult(HarnessHost.Run(() => project.InitializeAsync(ProjectType, dryRun, withHooks, HookCommand, import, CancelOnStop)), project);
        });
    }
}
