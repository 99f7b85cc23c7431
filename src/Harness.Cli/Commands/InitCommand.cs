using System.CommandLine;
using Harness.Core.Features;
using Harness.Core.Json;
using Harness.Core.Project;

namespace Harness.Cli.Commands;

/// <summary><c>harness init</c>: set a project up (folders and a starter project.json, optionally a feature list imported from another format); never overwrites.</summary>
internal static class InitCommand
{
    private static readonly string[] Formats = [.. Enum.GetNames<FeatureListFormat>().Select(n => n.ToLowerInvariant())];
    public static Command Create()
    {
        var project = CommonOptions.Project();
        var json = CommonOptions.Json();
        var type = new Option<string?>("--type") { Description = "Project type for the starter config (default: detected from the project's files).", HelpName = "TYPE" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Show what would be created; create nothing." };
        var hooks = new Option<bool>("--hooks") { Description = "Also add the 'harness guard' hooks (PreToolUse, SessionStart) to .claude/settings.json, keeping everything already there and rewriting older forms of the guard command." };
        var hookCommand = new Option<string?>("--hook-command") { Description = $"The command the hooks run (default: {Harness.Core.Guard.HookSettings.DefaultCommandDescription}), e.g. \"/opt/harness/harness guard\" (the binary itself: no dotnet launcher in every hook call); ' || exit 2' is appended so a hook that cannot run blocks.", HelpName = "COMMAND" };
        var import = new Option<string?>("--import")
        {
            Description = "Also import this feature list (Ralph's prd.json, the quickstart's feature_list.json or a seed feature-list.json; told by its content) into the format --import-to names, keeping every field. Never overwrites a list.",
            HelpName = "FILE",
        };
        var importTo = new Option<string?>("--import-to")
        {
            Description = "The format the imported list is written in, where the harness reads it: seed (.claude/progress/feature-list.json, the default), quickstart (feature_list.json), ralph (prd.json).",
            HelpName = "FORMAT",
        };
        importTo.AcceptOnlyFromAmong(Formats);
        var command = new Command("init", "Create .claude/config and .claude/progress with a starter project.json for the project type. Existing files are kept.")
        {
            project, json, type, dryRun, hooks, hookCommand, import, importTo,
        };
        command.Validators.Add(result =>
        {
            if (result.GetValue(importTo) is not null && result.GetValue(import) is null)
            {
                result.AddError("--import-to needs --import FILE: the feature list to import.");
            }
        });
        command.SetAction((parse, cancellationToken) => CommonOptions.RunAsync(async () =>
        {
            var withHooks = parse.GetValue(hooks) || parse.GetValue(hookCommand) is not null;
            var request = parse.GetValue(import) is { } source
                ? new FeatureListImport(Path.GetFullPath(source), Enum.Parse<FeatureListFormat>(parse.GetValue(importTo) ?? nameof(FeatureListFormat.Seed), ignoreCase: true))
                : null;
            await using var opened = await HarnessProject.OpenAsync(parse.GetValue(project), cancellationToken: cancellationToken).ConfigureAwait(false);
            var result = await opened.InitializeAsync(parse.GetValue(type), parse.GetValue(dryRun), withHooks, parse.GetValue(hookCommand), request, cancellationToken).ConfigureAwait(false);
            if (parse.GetValue(json))
            {
                Console.Out.WriteLine(HarnessJson.Serialize(result));
                return ExitCodes.Ok;
            }

            var verb = result.DryRun ? "would create" : "created";
            foreach (var path in result.Created)
            {
                Console.Out.WriteLine($"{verb}: {path}");
            }

            foreach (var path in result.Existing)
            {
                Console.Out.WriteLine($"kept:    {path}");
            }

            if (result.Hooks is { } h)
            {
                foreach (var name in h.Added)
                {
                    Console.Out.WriteLine($"{(result.DryRun ? "would add" : "added")}:   {name} hook '{h.Command}' in {h.Path}");
                }

                foreach (var name in h.Updated)
                {
                    Console.Out.WriteLine($"{(result.DryRun ? "would update" : "updated")}: {name} hook to '{h.Command}' in {h.Path}");
                }

                foreach (var name in h.Existing)
                {
                    Console.Out.WriteLine($"kept:    {name} hook '{h.Command}' in {h.Path}");
                }
            }

            if (result.Import is { } i)
            {
                Console.Out.WriteLine($"{(result.DryRun ? "would import" : "imported")}: {i.Features} feature{(i.Features == 1 ? "" : "s")} from {i.SourcePath} ({Name(i.SourceFormat)}) into {i.TargetPath} ({Name(i.TargetFormat)})");
                if (i.Kept.Count > 0)
                {
                    Console.Out.WriteLine($"Kept under their own names (no place for them in the {Name(i.TargetFormat)} format; the harness reads past them and keeps them): {string.Join(", ", i.Kept)}");
                }

                Console.Out.WriteLine(i.ReadByHarness
                    ? $"The harness reads {i.TargetPath} from now on; {i.SourcePath} is left as it was."
                    : $"Note: the harness keeps reading another list, which comes first (seed, then quickstart, then Ralph's); {i.TargetPath} is for other tools.");
            }

            Console.Out.WriteLine($"Project type: {result.ProjectType ?? "unknown"}. Next: edit {Path.Combine(".claude", "config", "project.json")} (health_check, test_command), then run 'harness entry'.");
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static string Name(FeatureListFormat format) => format.ToString().ToLowerInvariant();
}
