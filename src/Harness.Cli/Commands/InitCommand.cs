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
        var command = new Command("init", "Create .claude/config and .claude/progress with a starter project.json for the project type. Existing files are kept.")
        {
            project, json, type, dryRun,
        };
        command.SetAction(parse => CommonOptions.Run(() =>
        {
            var result = ProjectInitializer.Initialize(parse.GetValue(project), parse.GetValue(type), parse.GetValue(dryRun));
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

            Console.Out.WriteLine($"Project type: {result.ProjectType ?? "unknown"}. Next: edit {Path.Combine(".claude", "config", "project.json")} (health_check, test_command), then run 'harness entry'.");
            return ExitCodes.Ok;
        }));
        return command;
    }
}
