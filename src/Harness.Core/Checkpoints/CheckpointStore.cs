using System.Globalization;
using System.Text;
using Harness.Core.Errors;
using Harness.Core.Features;
using Harness.Core.Git;
using Harness.Core.Hosting;
using Harness.Core.IO;
using Harness.Core.Project;
using Harness.Core.State;

namespace Harness.Core.Checkpoints;

/// <summary>
/// Save, list and restore checkpoints; autosave snapshots; "what broke". The promise: nothing the
/// agent or the user wrote is lost by the harness. Every restore first saves HEAD plus every
/// uncommitted and untracked file under <c>refs/harness/backup/&lt;time&gt;</c>.
/// </summary>
internal sealed class CheckpointStore
{
    public const string CheckpointRefPrefix = "refs/harness/checkpoints/";
    public const string AutosaveRefPrefix = "refs/harness/autosave/";
    public const string BackupRefPrefix = "refs/harness/backup/";
    public const int DefaultAutosaveKeep = 10;

    private const string EmptyTree = "4b825dc642cb6eb9a060e54bf8d69288fbee4904";

    private readonly HarnessProject _project;
    private readonly ProjectLayout _layout;
    private readonly IGit _git;
    private readonly IHarnessHost _host;
    private readonly TimeProvider _clock;

    public CheckpointStore(HarnessProject project)
    {
        _project = project;
        _layout = project.Layout;
        _git = project.Git;
        _host = project.Host;
        _clock = project.Clock;
    }

    /// <summary>Commits the whole work tree (or records HEAD when nothing changed) and records the checkpoint.</summary>
    public Checkpoint Save(CheckpointOptions? options = null) => Save(options, RequireRepository());

    /// <summary>As <see cref="Save(CheckpointOptions?)"/>, with the repository already inspected (each inspection is three git processes).</summary>
    internal Checkpoint Save(CheckpointOptions? options, GitRepositoryInfo info)
    {
        options ??= new CheckpointOptions();
        var layout = _layout;

        // Read (and so validate) what the save writes back, and check it can write, before the commit.
        _project.EnsureLocked("checkpoint save");
        var state = StateStore.Load(layout);
        var features = FeatureStore.LoadSummary(layout);
        IO.FileErrors.EnsureWritable(layout.ProgressDirectory);
        var now = _clock.GetUtcNow();
        var sessionId = options.SessionId ?? state?.SessionId;

        var tree = _git.WriteWorkTreeSnapshot(layout.Root, HarnessFiles.SnapshotExcludes);
        var head = info.HeadCommit;
        var headTree = head is null ? null : _git.TreeOf(layout.Root, head);
        string commit;
        var created = false;
        string? message = null;
        var usedHarnessIdentity = false;
        if (headTree == tree && head is not null)
        {
            _host.WriteVerbose($"Nothing to commit: recording the checkpoint at HEAD {head[..12]}");
            commit = head;
        }
        else
        {
            if (head is null && tree == EmptyTree)
            {
                throw new HarnessException(ErrorIds.NothingToCheckpoint, HarnessErrorCategory.InvalidOperation, $"{layout.Root}: nothing to checkpoint: the repository has no commits and no files.");
            }

            message = CommitMessage(sessionId, state, features, options.Reason);
            var result = _git.CommitTree(layout.Root, tree, head is null ? [] : [head], message, harnessIdentity: false);
            usedHarnessIdentity = result.UsedHarnessIdentity;
            if (usedHarnessIdentity)
            {
                _host.WriteWarning($"no git author is configured; the checkpoint commit uses the harness identity ({GitCli.HarnessUserName} <{GitCli.HarnessUserEmail}>). Your git config was not changed.");
            }

            // HEAD moves only if nobody moved it meanwhile (the agent may run git too).
            if (!_git.UpdateRef(layout.Root, "HEAD", result.Hash, head ?? "", "harness: checkpoint"))
            {
                throw new HarnessException(ErrorIds.GitFailed, HarnessErrorCategory.ResourceBusy, $"{layout.Root}: HEAD moved while the checkpoint was being written; nothing was recorded. Try again.");
            }

            // Everything is committed: the index follows HEAD so git status is clean.
            _git.ResetIndex(layout.Root);
            commit = result.Hash;
            created = true;
            _host.WriteVerbose($"Committed {commit[..12]}: {message}");
        }

        if (info.IsDetached)
        {
            _host.WriteWarning($"HEAD is detached; the checkpoint commit {commit[..12]} is on no branch (the checkpoint ref keeps it).");
        }

        var checkpoint = new Checkpoint
        {
            Name = Stamp(now),
            Commit = commit,
            CreatedCommit = created,
            Time = now,
            State = state?.State,
            Health = state?.HealthStatus ?? HealthStatus.UNKNOWN,
            SessionId = sessionId,
            Branch = info.IsDetached ? null : info.Branch,
            Detached = info.IsDetached,
            FeaturesTotal = features?.Counts.Total ?? 0,
            FeaturesDone = features?.Counts.Done ?? 0,
            FeaturesRemaining = features?.Counts.Remaining ?? 0,
            FeaturesBlocked = features?.Counts.Blocked ?? 0,
            Reason = options.Reason,
            Message = message,
            UsedHarnessIdentity = usedHarnessIdentity,
        };
        checkpoint = WriteCheckpointRef(checkpoint, tree);
        CheckpointFile.Write(layout.CheckpointFile, checkpoint);
        if (state is not null)
        {
            state.CheckpointAt = now;
            StateStore.Save(_project, state, now);
        }

        return checkpoint;
    }

    /// <summary>Checkpoints, newest first; the newest whose health was HEALTHY has <see cref="Checkpoint.IsLastGood"/>.</summary>
    public IReadOnlyList<Checkpoint> List()
    {
        var list = _git.ListRefs(_layout.Root, CheckpointRefPrefix)
            .Select(CheckpointRecord.Parse)
            .OfType<Checkpoint>()
            .OrderByDescending(c => c.Name, StringComparer.Ordinal)
            .ToList();
        var good = list.FindIndex(c => c.Health == HealthStatus.HEALTHY);
        if (good >= 0)
        {
            list[good] = list[good] with { IsLastGood = true };
        }

        return list;
    }

    /// <summary>Finds a checkpoint by name, unique name prefix or commit prefix; null name: the last good (else the newest).</summary>
    public Checkpoint Find(string? name)
    {
        var layout = _layout;
        var list = List();
        if (list.Count == 0)
        {
            throw new HarnessException(ErrorIds.CheckpointNotFound, HarnessErrorCategory.ObjectNotFound, $"{layout.Root}: no checkpoints yet (refs/harness/checkpoints/ is empty). Save a checkpoint first.");
        }

        if (string.IsNullOrEmpty(name))
        {
            return list.FirstOrDefault(c => c.IsLastGood)
                ?? throw new HarnessException(ErrorIds.CheckpointNotFound, HarnessErrorCategory.ObjectNotFound, $"{layout.Root}: no checkpoint was taken while the project was HEALTHY; name one ({string.Join(", ", list.Take(5).Select(c => c.Name))}).");
        }

        var key = name.StartsWith(CheckpointRefPrefix, StringComparison.Ordinal) ? name[CheckpointRefPrefix.Length..] : name;
        var exact = list.FirstOrDefault(c => c.Name == key);
        if (exact is not null)
        {
            return exact;
        }

        var matches = list.Where(c => c.Name.StartsWith(key, StringComparison.Ordinal) || c.Commit.StartsWith(key, StringComparison.OrdinalIgnoreCase)).ToList();
        return matches.Count switch
        {
            1 => matches[0],
            0 => throw new HarnessException(ErrorIds.CheckpointNotFound, HarnessErrorCategory.ObjectNotFound, $"no checkpoint named '{name}'. Checkpoints: {string.Join(", ", list.Take(10).Select(c => c.Name))}."),
            _ => throw new HarnessException(ErrorIds.CheckpointNotFound, HarnessErrorCategory.InvalidArgument, $"'{name}' matches {matches.Count} checkpoints ({string.Join(", ", matches.Take(5).Select(c => c.Name))}); give more of the name."),
        };
    }

    /// <summary>
    /// Restores a checkpoint: backup first (HEAD + uncommitted + untracked under refs/harness/backup/),
    /// then the tree is reset to the checkpoint, then state.json records it. The harness's own
    /// bookkeeping (state, checkpoint.json, metrics, summaries, lock) is kept as it is.
    /// </summary>
    public RestoreResult Restore(RestoreOptions options)
    {
        var layout = _layout;
        var info = RequireRepository();
        var target = Find(options.Checkpoint);
        var paths = new ProjectPaths(layout, info);
        var head = info.HeadCommit;
        if (!options.DryRun)
        {
            // Everything the restore writes after the reset is checked before the reset: a restore
            // that moved the tree and then failed to record it would leave the user guessing.
            _project.EnsureLocked("checkpoint restore");
            StateStore.Load(layout);
            IO.FileErrors.EnsureWritable(layout.ProgressDirectory);
        }

        var dirty = _git.Status(layout.Root)
            .Select(s => s.Path)
            .Where(p => !paths.IsBookkeeping(p))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        var untracked = _git.UntrackedFiles(layout.Root).Where(p => !p.EndsWith('/') && !paths.IsBookkeeping(p)).ToList();
        var changedByRestore = _git.DiffNames(layout.Root, target.Commit, null);
        var files = changedByRestore
            .Where(f => !paths.IsBookkeeping(f.Path))
            .Select(f => new GitFileChange(Invert(f.Status), f.Path))
            .Concat(untracked.Select(p => new GitFileChange('D', p)))
            .OrderBy(f => f.Path, StringComparer.Ordinal)
            .ToList();
        var dropped = head is null ? [] : _git.CommitsInRange(layout.Root, 1000, $"{target.Commit}..{head}");
        var plan = new RestoreResult
        {
            Checkpoint = target,
            DryRun = options.DryRun,
            PreviousHead = head,
            Files = files,
            CommitsDropped = dropped,
            DirtyFiles = dirty,
        };
        if (options.DryRun)
        {
            return plan;
        }

        if (dirty.Count > 0 && !options.Force)
        {
            const int shown = 20;
            var list = string.Join(", ", dirty.Take(shown)) + (dirty.Count > shown ? $" and {dirty.Count - shown} more" : "");
            throw new HarnessException(
                ErrorIds.WorkTreeDirty,
                HarnessErrorCategory.InvalidOperation,
                $"{layout.Root}: the work tree has uncommitted changes that restoring {target.Name} would rewrite: {list}. Nothing was changed.")
            {
                Fix = "Commit them or save a checkpoint first, or force the restore: they are backed up under refs/harness/backup/ before anything moves.",
            };
        }

        var now = _clock.GetUtcNow();
        var (backupRef, backupCommit) = Backup(head, info, $"before restoring checkpoint {target.Name} ({target.ShortCommit})", now);
        _host.WriteVerbose($"Backed up HEAD and the work tree to {backupRef} ({backupCommit[..12]})");

        var kept = paths.ReadKept(changedByRestore.Select(f => f.Path));
        _git.ResetHard(layout.Root, target.Commit);
        foreach (var path in untracked)
        {
            DeleteUntracked(paths.TopLevel, path);
        }

        ProjectPaths.WriteKept(kept);

        var state = StateStore.Load(layout);
        if (state is not null)
        {
            var why = string.IsNullOrWhiteSpace(options.Reason) ? "on request" : options.Reason;
            state.RecordEvent($"restored checkpoint {target.Name} (commit {target.ShortCommit}, health {target.Health}): {why}; the previous tree is saved as {backupRef}", now);
            StateStore.Save(_project, state, now);
        }

        return plan with { BackupRef = backupRef, BackupCommit = backupCommit };
    }

    /// <summary>
    /// A snapshot of the work tree as a commit under <c>refs/harness/autosave/&lt;session&gt;/</c>,
    /// keeping the newest <paramref name="keep"/>. Index, HEAD, files and git status are untouched.
    /// An unchanged tree makes no new snapshot.
    /// </summary>
    public Autosave AutosaveNow(string sessionId, int keep = DefaultAutosaveKeep)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(keep, 1);
        var layout = _layout;
        var info = RequireRepository();
        var prefix = AutosaveRefPrefix + SafeRefComponent(sessionId) + "/";
        var existing = _git.ListRefs(layout.Root, prefix).OrderByDescending(r => r.Name, StringComparer.Ordinal).ToList();
        var tree = _git.WriteWorkTreeSnapshot(layout.Root, HarnessFiles.SnapshotExcludes);
        if (existing.Count > 0 && _git.TreeOf(layout.Root, existing[0].Commit) == tree)
        {
            return new Autosave(existing[0].Name, existing[0].Commit, tree, false, []);
        }

        var now = _clock.GetUtcNow();
        var head = info.HeadCommit;
        var commit = _git.CommitTree(layout.Root, tree, head is null ? [] : [head], $"harness: autosave of session {sessionId} at {Iso(now)}", harnessIdentity: true).Hash;
        var name = UniqueRef(prefix + Stamp(now), commit, "harness: autosave");
        var pruned = existing.Skip(keep - 1).Select(r => r.Name).ToList();
        _git.DeleteRefs(layout.Root, pruned);
        return new Autosave(name, commit, tree, true, pruned);
    }

    /// <summary>The diff summary between the last good checkpoint and now; null when there is no good checkpoint.</summary>
    public WhatBroke? WhatBroke()
    {
        var layout = _layout;
        var info = _git.Inspect(layout.Root);
        if (!info.IsRepository || info.Error is not null)
        {
            return null;
        }

        var good = List().FirstOrDefault(c => c.IsLastGood);
        if (good is null)
        {
            return null;
        }

        var paths = new ProjectPaths(layout, info);
        var files = _git.DiffNames(layout.Root, good.Commit, null)
            .Concat(_git.UntrackedFiles(layout.Root).Where(p => !p.EndsWith('/')).Select(p => new GitFileChange('?', p)))
            .Where(f => !paths.IsBookkeeping(f.Path))
            .OrderBy(f => f.Path, StringComparer.Ordinal)
            .ToList();
        var commits = info.HeadCommit is null ? [] : _git.CommitsInRange(layout.Root, 50, $"{good.Commit}..{info.HeadCommit}");
        return new WhatBroke { LastGood = good, Commits = commits, Files = files };
    }

    internal (string Ref, string Commit) Backup(string? head, GitRepositoryInfo info, string why, DateTimeOffset now)
    {
        var tree = _git.WriteWorkTreeSnapshot(_layout.Root, HarnessFiles.BackupExcludes);
        var message = new StringBuilder($"harness: backup {why}\n\n");
        message.Append(CultureInfo.InvariantCulture, $"head: {head ?? "(no commits)"}\n");
        message.Append(CultureInfo.InvariantCulture, $"branch: {(info.IsDetached ? "(detached)" : info.Branch)}\n");
        message.Append(CultureInfo.InvariantCulture, $"time: {Iso(now)}\n");
        var commit = _git.CommitTree(_layout.Root, tree, head is null ? [] : [head], message.ToString(), harnessIdentity: true).Hash;
        var name = UniqueRef(BackupRefPrefix + Stamp(now), commit, "harness: backup");
        return (name, commit);
    }

    internal static string Stamp(DateTimeOffset t) => Json.Timestamps.Stamp(t);

    internal static string Iso(DateTimeOffset t) => Json.Timestamps.Utc(t);

    /// <summary>A session id made safe for one ref name component.</summary>
    internal static string SafeRefComponent(string value)
    {
        var s = new StringBuilder();
        foreach (var c in value)
        {
            s.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '-');
        }

        var text = s.ToString().Replace("..", "-", StringComparison.Ordinal).Trim('.');
        if (text.EndsWith(".lock", StringComparison.Ordinal))
        {
            text += "-";
        }

        return text.Length == 0 ? "session" : text;
    }

    private Checkpoint WriteCheckpointRef(Checkpoint checkpoint, string tree)
    {
        var record = _git.CommitTree(_layout.Root, tree, [checkpoint.Commit], CheckpointRecord.Format(checkpoint), harnessIdentity: true).Hash;
        var name = UniqueRef(checkpoint.Ref, record, "harness: checkpoint");
        return checkpoint with { Name = name[CheckpointRefPrefix.Length..] };
    }

    /// <summary>Creates <paramref name="refName"/> (or refName-2, -3 ... when taken in the same millisecond).</summary>
    private string UniqueRef(string refName, string commit, string reason)
    {
        for (var i = 1; i < 100; i++)
        {
            var candidate = i == 1 ? refName : $"{refName}-{i}";
            if (_git.UpdateRef(_layout.Root, candidate, commit, "", reason))
            {
                return candidate;
            }
        }

        throw new HarnessException(ErrorIds.GitFailed, HarnessErrorCategory.InvalidOperation, $"could not create {refName}: git update-ref kept failing.");
    }

    private GitRepositoryInfo RequireRepository()
    {
        var layout = _layout;
        var info = _git.Inspect(layout.Root);
        if (info.Error is not null)
        {
            throw new HarnessException(ErrorIds.GitFailed, HarnessErrorCategory.ResourceUnavailable, info.Error);
        }

        return info.IsRepository
            ? info
            : throw new HarnessException(ErrorIds.NotARepository, HarnessErrorCategory.InvalidOperation, $"{layout.Root} is not in a git repository; checkpoints are git commits. Run 'git init' first.");
    }

    private static string CommitMessage(string? sessionId, HarnessState? state, FeatureSummary? features, string? reason)
    {
        var parts = new List<string>();
        if (state?.CurrentFeature is { } feature)
        {
            var status = features?.NextFeature?.Id == feature ? features.NextFeature.Status : null;
            parts.Add(status is null ? $"feature {feature}" : $"feature {feature} {status}");
        }

        parts.Add($"health {state?.HealthStatus ?? HealthStatus.UNKNOWN}");
        var head = sessionId is null ? "harness: checkpoint" : $"harness: checkpoint after session {sessionId}";
        var subject = $"{head}, {string.Join(", ", parts)}";
        return string.IsNullOrWhiteSpace(reason) ? subject : $"{subject}\n\n{reason.Trim()}";
    }

    private static char Invert(char status) => status switch
    {
        // diff target -> work tree: a file the work tree added goes away on restore, and back.
        'A' => 'D',
        'D' => 'A',
        _ => status,
    };

    private static void DeleteUntracked(string topLevel, string relativePath)
    {
        var full = Path.Combine(topLevel, relativePath.Replace('/', Path.DirectorySeparatorChar));
        try
        {
            File.Delete(full);
            for (var dir = Path.GetDirectoryName(full); dir is not null && dir.Length > topLevel.Length && Directory.Exists(dir) && !Directory.EnumerateFileSystemEntries(dir).Any(); dir = Path.GetDirectoryName(dir))
            {
                Directory.Delete(dir);
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
