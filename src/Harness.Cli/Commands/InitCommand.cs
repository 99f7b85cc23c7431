using System.CommandLine;
using Harness.Core.Json;
using Harness.Core.Project;

namespace Harness.Cli.Commands;

/// <summary><c>harness init</c>: set a project up (folders and a starter project.json); never overwrites.</summary>
internal static class InitCommand
{
    public static Command Create()
    {
        var project = CommonOptions.Project();
        var json = CommonOptions.Json();
        var type = new Option<string?>("--type") { Description = "Project type for the starter config (default: detected from the project's files).", HelpName = "TYPE" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Show what would be created; create nothing." };
        var hooks = new Option<bool>("--hooks") { Description = "Also add the 'harness guard' hooks (PreToolUse, SessionStart) to .claude/settings.json, keeping everything already there and rewriting older forms of the guard command." };
        var hookCommand = new Option<string?>("--hook-command") { Description = $"The command the hooks run (default: {Harness.Core.Guard.HookSettings.DefaultCommandDescription}), e.g. \"/opt/harness/harness guard\" (the binary itself: no dotnet launcher in every hook call); ' || exit 2' is appended so a hook that cannot run blocks.", HelpName = "COMMAND" };
        var command = new Command("init", "Create .claude/config and .claude/progress with a starter project.json for the project type. Existing files are kept.")
        {
            project, json, type, dryRun, hooks, hookCommand,
        };
        command.SetAction((parse, cancellationToken) => CommonOptions.RunAsync(async () =>
        {
            var withHooks = parse.GetValue(hooks) || parse.GetValue(hookCommand) is not null;
            await using var opened = await HarnessProject.OpenAsync(parse.GetValue(project), cancellationToken: cancellationToken).ConfigureAwait(false);
            var result = await opened.InitializeAsync(parse.GetValue(type), parse.GetValue(dryRun), withHooks, parse.GetValue(hookCommand), cancellationToken).ConfigureAwait(false);
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

            Console.Out.WriteLine($"Project type: {result.ProjectType ?? "unknown"}. Next: edit {Path.Combine(".claude", "config", "project.json")} (health_check, test_command), then run 'harness entry'.");
            return ExitCodes.Ok;
        }));
        return command;
    }
}
