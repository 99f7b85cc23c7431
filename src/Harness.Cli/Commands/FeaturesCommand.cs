using System.CommandLine;
using System.Globalization;
using System.Text;
using Harness.Core.Errors;
using Harness.Core.Features;
using Harness.Core.Json;
using Harness.Core.Project;

namespace Harness.Cli.Commands;

/// <summary><c>harness features</c>: list features (optionally by status); <c>harness features set</c>: change statuses.</summary>
internal static class FeaturesCommand
{
    public static Command Create()
    {
        var project = CommonOptions.Project();
        var json = CommonOptions.Json();
        var status = StatusOption("Only features with this status.");
        var command = new Command("features", "List a project's features with their status (seed feature-list.json, quickstart feature_list.json or Ralph's prd.json).")
        {
            project, json, status,
        };
        command.SetAction(parse => CommonOptions.Run(() =>
        {
            using var opened = CommonOptions.Open(parse.GetValue(project));
            var layout = opened.Layout;
            var list = opened.ReadFeatures() ?? throw FeatureQuery.Missing(layout);
            var wanted = parse.GetValue(status);
            var features = wanted is null ? list.Features : list.Features.Where(f => f.Status == wanted).ToArray();
            Console.Out.WriteLine(parse.GetValue(json)
                ? HarnessJson.Serialize(features)
                : Format(list, features));
            foreach (var problem in list.Problems)
            {
                Console.Error.WriteLine($"harness: warning: {list.FilePath}: {problem.Message}");
            }

            return ExitCodes.Ok;
        }));
        command.Subcommands.Add(CreateSet());
        return command;
    }

    private static Command CreateSet()
    {
        var project = CommonOptions.Project();
        var json = CommonOptions.Json();
        var ids = new Argument<string[]>("id") { Description = "Feature ids to change.", Arity = ArgumentArity.OneOrMore };
        var status = StatusOption("The new status.");
        status.Required = true;
        var notes = new Option<string?>("--notes") { Description = "Replace the features' notes." };
        var command = new Command("set", "Set the status of one or more features (one atomic write; nothing is written if an id is unknown).")
        {
            ids, project, json, status, notes,
        };
        command.SetAction((parse, cancellationToken) => CommonOptions.RunAsync(async () =>
        {
            await using var opened = await HarnessProject.OpenAsync(parse.GetValue(project), cancellationToken: cancellationToken).ConfigureAwait(false);
            var updated = await opened.SetFeatureStatusAsync(parse.GetValue(ids)!, parse.GetValue(status)!, parse.GetValue(notes), cancellationToken).ConfigureAwait(false);
            Console.Out.WriteLine(parse.GetValue(json)
                ? HarnessJson.Serialize(updated)
                : string.Join(Environment.NewLine, updated.Select(f => $"{f.Id}: {f.Status}")));
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Option<string?> StatusOption(string description)
    {
        var option = new Option<string?>("--status", "-s") { Description = $"{description} One of: {string.Join(", ", FeatureStatuses.All)}.", HelpName = "STATUS" };
        option.AcceptOnlyFromAmong([.. FeatureStatuses.All]);
        return option;
    }

    private static string Format(FeatureList list, IReadOnlyList<Feature> shown)
    {
        var s = new StringBuilder();
        var idWidth = Math.Max(2, shown.Count == 0 ? 2 : shown.Max(f => f.Id.Length));
        var statusWidth = Math.Max(6, shown.Count == 0 ? 6 : shown.Max(f => f.Status.Length));
        s.AppendLine(CultureInfo.InvariantCulture, $"{"ID".PadRight(idWidth)}  {"STATUS".PadRight(statusWidth)}  NAME");
        foreach (var f in shown)
        {
            s.AppendLine(CultureInfo.InvariantCulture, $"{f.Id.PadRight(idWidth)}  {f.Status.PadRight(statusWidth)}  {f.Name}");
        }

        var c = list.Counts;
        s.Append(CultureInfo.InvariantCulture,
            $"{shown.Count} shown; {c.Total} in {list.FilePath}: {c.Pending} pending, {c.InProgress} in progress, {c.Tested} tested, {c.Completed} completed, {c.Blocked} blocked{(c.Unknown > 0 ? $", {c.Unknown} with unknown status" : "")}");
        return s.ToString();
    }
}
