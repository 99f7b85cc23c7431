using System.CommandLine;
using System.Globalization;
using System.Text;
using Harness.Cli.Output;
using Harness.Core.Checkpoints;
using Harness.Core.Git;
using Harness.Core.Json;
using Harness.Core.Project;

namespace Harness.Cli.Commands;

/// <summary><c>harness checkpoint save|list|restore</c>.</summary>
internal static class CheckpointCommand
{
    public static Command Create()
    {
        var command = new Command("checkpoint", "Save, list and restore checkpoints (commits of the whole work tree, recorded under refs/harness/checkpoints/).");
        command.Subcommands.Add(Save());
        command.Subcommands.Add(List());
        command.Subcommands.Add(Restore());
        return command;
    }

    private static Command Save()
    {
        var project = CommonOptions.Project();
        var json = CommonOptions.Json();
        var verbose = CommonOptions.Verbose();
        var reason = new Option<string?>("--reason", "-m") { Description = "Why: goes into the commit message and the checkpoint record.", HelpName = "TEXT" };
        var session = new Option<string?>("--session") { Description = "Session id to record (default: state.json's session_id).", HelpName = "ID" };
        var command = new Command("save", "Commit the whole work tree (tracked and untracked, .gitignore respected) and record a checkpoint. Nothing to commit: recorded at HEAD.")
        {
            project, json, verbose, reason, session,
        };
        command.SetAction((parse, cancellationToken) => CommonOptions.RunAsync(async () =>
        {
            await using var opened = await HarnessProject.OpenAsync(parse.GetValue(project), new ConsoleHost(parse.GetValue(verbose)), cancellationToken: cancellationToken).ConfigureAwait(false);
            var c = await opened.SaveCheckpointAsync(new CheckpointOptions { Reason = parse.GetValue(reason), SessionId = parse.GetValue(session) }, cancellationToken).ConfigureAwait(false);
            Console.Out.WriteLine(parse.GetValue(json) ? HarnessJson.Serialize(c) : $"Checkpoint {c.Name}: {(c.CreatedCommit ? "committed" : "nothing to commit, recorded at HEAD")} {c.ShortCommit}" +
                $"{(c.Detached ? " (detached HEAD: on no branch; the checkpoint ref keeps it)" : c.Branch is null ? "" : $" on {c.Branch}")}, health {c.Health}" +
                $"{(c.UsedHarnessIdentity ? "; committed as the harness identity (no git author configured)" : "")}");
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command List()
    {
        var project = CommonOptions.Project();
        var json = CommonOptions.Json();
        var command = new Command("list", "List checkpoints, newest first; the last one taken while HEALTHY is marked \"last good\".") { project, json };
        command.SetAction(parse => CommonOptions.Run(() =>
        {
            using var opened = CommonOptions.Open(parse.GetValue(project));
            var list = opened.ListCheckpoints();
            if (parse.GetValue(json))
            {
                Console.Out.WriteLine(HarnessJson.Serialize(list));
                return ExitCodes.Ok;
            }

            if (list.Count == 0)
            {
                Console.Out.WriteLine("No checkpoints yet. 'harness checkpoint save' makes one.");
                return ExitCodes.Ok;
            }

            var s = new StringBuilder();
            foreach (var c in list)
            {
                s.AppendLine(CultureInfo.InvariantCulture,
                    $"{c.Name}  {c.ShortCommit}  {c.Health,-8} {c.State?.ToString() ?? "-",-10} {c.FeaturesDone}/{c.FeaturesTotal} done  session {c.SessionId ?? "-"}{(c.IsLastGood ? "  <- last good" : "")}{(c.Reason is null ? "" : $"  ({c.Reason})")}");
            }

            Console.Out.Write(s.ToString());
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Restore()
    {
        var project = CommonOptions.Project();
        var json = CommonOptions.Json();
        var verbose = CommonOptions.Verbose();
        var name = new Argument<string?>("checkpoint") { Description = "The checkpoint's name, a unique prefix of it or of its commit (default: the last good one).", Arity = ArgumentArity.ZeroOrOne };
        var dryRun = new Option<bool>("--dry-run") { Description = "Show what would change (files, commits dropped) and change nothing." };
        var force = new Option<bool>("--force") { Description = "Restore even with uncommitted changes (they are backed up under refs/harness/backup/ first)." };
        var reason = new Option<string?>("--reason") { Description = "Recorded in state.json's history.", HelpName = "TEXT" };
        var command = new Command("restore", "Restore a checkpoint: back up HEAD and every uncommitted and untracked file under refs/harness/backup/<time>, reset the tree, record it in state.json.")
        {
            name, project, json, verbose, dryRun, force, reason,
        };
        command.SetAction((parse, cancellationToken) => CommonOptions.RunAsync(async () =>
        {
            await using var opened = await HarnessProject.OpenAsync(parse.GetValue(project), new ConsoleHost(parse.GetValue(verbose)), cancellationToken: cancellationToken).ConfigureAwait(false);
            var r = await opened.RestoreCheckpointAsync(new RestoreOptions
            {
                Checkpoint = parse.GetValue(name),
                DryRun = parse.GetValue(dryRun),
                Force = parse.GetValue(force),
                Reason = parse.GetValue(reason),
            }, cancellationToken).ConfigureAwait(false);
            Console.Out.WriteLine(parse.GetValue(json) ? HarnessJson.Serialize(r) : Format(r));
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static string Format(RestoreResult r)
    {
        var s = new StringBuilder();
        s.AppendLine(r.DryRun
            ? $"Dry run: restoring checkpoint {r.Checkpoint.Name} ({r.Checkpoint.ShortCommit}) would change:"
            : $"Restored checkpoint {r.Checkpoint.Name} ({r.Checkpoint.ShortCommit}). The previous tree is saved as {r.BackupRef} (git checkout {r.BackupRef} -- . brings it back).");
        s.AppendLine(CultureInfo.InvariantCulture, $"Files ({r.Files.Count}):");
        foreach (var f in r.Files)
        {
            s.AppendLine(CultureInfo.InvariantCulture, $"  {f.Status} {f.Path}");
        }

        s.Append(CultureInfo.InvariantCulture, $"Commits dropped from the branch ({r.CommitsDropped.Count}):");
        foreach (var c in r.CommitsDropped)
        {
            s.AppendLine();
            s.Append(CultureInfo.InvariantCulture, $"  {c.ShortHash} {c.Subject}");
        }

        if (r.DryRun && r.DirtyFiles.Count > 0)
        {
            s.AppendLine();
            s.Append(CultureInfo.InvariantCulture, $"Uncommitted changes ({r.DirtyFiles.Count}; a restore needs --force, and backs them up first): {string.Join(", ", r.DirtyFiles)}");
        }

        return s.ToString();
    }
}
