using System.Diagnostics;
using Harness.Core.Features;
using Harness.Core.Git;
using Harness.Core.Health;
using Harness.Core.Hosting;
using Harness.Core.Project;
using Harness.Core.State;

namespace Harness.Core.Entry;

/// <summary>
/// The session entry protocol of the seeds, in one call: safety (directory, git, config, health),
/// state (create or load, features, next state) and context (summary, recent files, skill).
/// Runs on every session, so git runs concurrently with everything else.
/// </summary>
internal sealed class SessionEntry(HarnessProject project)
{
    private readonly IGit _git = project.Git;
    private readonly IHarnessHost _host = project.Host;
    private readonly TimeProvider _clock = project.Clock;

    public async Task<EntryReport> RunAsync(EntryOptions options, CancellationToken cancellationToken = default)
    {
        var stopwatch = Stopwatch.StartNew();
        var startedAt = _clock.GetUtcNow();
        var layout = project.Layout;
        _host.WriteVerbose($"Project root: {layout.Root}");

        // Git and the feature list (thousands of features) need no other input: start them first,
        // so they overlap with config, lock and state on a second core.
        var gitTask = Task.Run(() => _git.Snapshot(layout.Root, options.RecentCommitCount), cancellationToken);
        var featuresTask = Task.Run(() => FeatureStore.LoadSummary(layout), cancellationToken);
        try
        {
            var warnings = new List<string>();

            // Phase 1: safety validation.
            var detected = ProjectDetector.Detect(layout.Root);
            var config = project.Config;
            // A folder with harness files is a project without markers too (docs/formats.md). Looked
            // at before the lock, which creates .claude/progress.
            var hasHarnessFiles = config.Exists || Directory.Exists(layout.ProgressDirectory);
            _host.WriteVerbose(config.Exists ? $"Config: {config.FilePath}" : "Config: none (.claude/config/project.json); using defaults");
            foreach (var field in config.UnknownFields)
            {
                warnings.Add($"{config.FilePath}: unknown field \"{field}\" (kept as is; check the spelling)");
            }

            var missingEnv = EnvironmentCheck.MissingVariables(config, options.EnvironmentLookup);
            if (missingEnv.Count > 0)
            {
                warnings.Add($"required environment variables not set: {string.Join(", ", missingEnv)}");
            }

            // dirty: true is a session in progress only while another live harness holds the lock
            // (another process, or another open project in this one), which only a dry run (no
            // lock of its own) can see; once this project holds the lock, a dirty state is a crash.
            var sessionInProgress = false;
            if (!options.DryRun)
            {
                await project.EnsureLockedAsync("session entry", cancellationToken).ConfigureAwait(false);
            }
            else if (project.OtherHolder() is { } holder)
            {
                sessionInProgress = true;
                warnings.Add($"another harness is running (pid {holder.Pid} on {holder.Host}); this dry run only reads");
            }

            // Read state and features before the health check, so a broken file fails fast.
            var state = StateStore.Load(layout);
            _host.WriteVerbose(state is null ? "State: none yet" : $"State: {state.State} ({layout.StateFile})");
            var features = await featuresTask.ConfigureAwait(false);
            CrashReport? crash = null;
            if (state?.Dirty == true && !sessionInProgress)
            {
                // No live harness holds the lock (we got it): the last session crashed. Recover
                // before deciding anything, then read again what the recovery may have changed.
                crash = RecoverFromCrash(layout, state, options, warnings);
                if (crash.Action == "rolled_back")
                {
                    state = StateStore.Load(layout);
                    features = FeatureStore.LoadSummary(layout);
                    await gitTask.ConfigureAwait(false);
                    gitTask = Task.Run(() => _git.Snapshot(layout.Root, options.RecentCommitCount), cancellationToken);
                }
                else if (!options.DryRun)
                {
                    state = StateStore.Load(layout);
                }
            }

            _host.WriteVerbose(features is null ? "Feature list: none" : $"Feature list: {features.Counts.Total} features ({features.Path})");
            if (!detected.HasMarkers && !hasHarnessFiles)
            {
                warnings.Add($"no project markers found in {layout.Root}; run from the project root or pass its path");
            }

            var health = await CheckHealthAsync(options, layout, config, detected, state, options.DryRun ? null : project.ChildRecord, cancellationToken).ConfigureAwait(false);
            var effectiveHealth = options.RunHealthCheck ? health.Status : state?.HealthStatus ?? HealthStatus.UNKNOWN;
            _host.WriteVerbose($"Health: {health.Outcome} ({health.Description})");

            // Phase 2: state management.
            var featureStatus = NextStateRules.FeatureStatusOf(features);
            var (next, reason) = NextStateRules.Decide(effectiveHealth, health.Description, features);
            var current = state?.State ?? SessionState.START;
            _host.WriteVerbose($"Features: {featureStatus} ({features?.Counts.Remaining ?? 0} of {features?.Counts.Total ?? 0} remaining)");
            _host.WriteVerbose($"Next state: {next} ({reason})");
            AddFeatureWarnings(features, warnings);
            if (crash is not null)
            {
                warnings.Add(crash.Message);
            }
            else if (state?.Dirty == true && !sessionInProgress)
            {
                warnings.Add($"the previous session{(state.SessionId is null ? "" : $" ({state.SessionId})")} did not end cleanly (dirty: true)");
            }

            Checkpoints.WhatBroke? whatBroke = null;
            if (effectiveHealth == HealthStatus.BROKEN)
            {
                try
                {
                    whatBroke = new Checkpoints.CheckpointStore(project).WhatBroke();
                }
                catch (Errors.HarnessException ex)
                {
                    warnings.Add($"could not compare with the last good checkpoint: {ex.Message}");
                }
            }

            if (!options.DryRun)
            {
                // Only --no-health keeps the recorded health; a project without any check is UNKNOWN now,
                // so the guard (which reads state.json) does not go on blocking on an old BROKEN.
                RecordEntry(state, effectiveHealth, options.RunHealthCheck, next, reason);
                _host.WriteVerbose(state is null ? $"State: created {layout.StateFile}" : $"State: updated {layout.StateFile}");
            }

            // Phase 3: context loading.
            var git = WithoutHarnessTemporaries(await gitTask.ConfigureAwait(false));
            warnings.AddRange(git.Warnings);
            var (recentFiles, recentSource, recentWarning) = ContextLoader.RecentFiles(layout, git, options.RecentFileCount);
            if (recentWarning is not null)
            {
                warnings.Add(recentWarning);
            }

            var report = new EntryReport
            {
                Directory = layout.Root,
                ProjectMarkers = detected.Markers,
                ProjectType = config.ProjectType ?? detected.DetectedType,
                ProjectTypeSource = config.ProjectType is not null ? "config" : detected.DetectedType is not null ? "detected" : null,
                ConfigPath = config.FilePath,
                Git = git,
                Health = health,
                HealthStatus = effectiveHealth,
                StateFile = layout.StateFile,
                StateCreated = state is null,
                CurrentState = current,
                NextState = next,
                NextStateReason = reason,
                FeatureStatus = featureStatus,
                Features = features ?? FeatureSummary.None,
                SessionType = featureStatus == FeatureListStatus.NO_FEATURE_LIST ? SessionType.INIT : SessionType.CONTINUE,
                PreviousSessionDirty = crash is not null || (state?.Dirty == true && !sessionInProgress),
                Crash = crash,
                KilledSurvivors = project.TakeKilledSurvivors(),
                WhatBroke = whatBroke,
                LatestSummary = ContextLoader.LatestSummary(layout),
                RecentFiles = recentFiles,
                RecentFilesSource = recentSource,
                Skill = NextStateRules.SkillFor(next),
                MissingEnv = missingEnv,
                RequiredEnv = config.RequiredEnv,
                Warnings = warnings,
                DryRun = options.DryRun,
                StartedAt = startedAt,
                Duration = stopwatch.Elapsed,
            };
            foreach (var warning in warnings)
            {
                _host.WriteWarning(warning);
            }

            return report;
        }
        finally
        {
            // Never leave a background read running or unobserved when an earlier step threw.
            await Task.WhenAny(Task.WhenAll(gitTask, featuresTask)).ConfigureAwait(false);
        }
    }

    private CrashReport RecoverFromCrash(ProjectLayout layout, HarnessState state, EntryOptions options, List<string> warnings)
    {
        var who = state.SessionId is null ? "the previous session" : $"the previous session ({state.SessionId})";
        var when = state.Timestamp is { } t ? $" (state last written {Json.Timestamps.Utc(t)})" : "";
        if (options.DryRun)
        {
            return new CrashReport
            {
                SessionId = state.SessionId,
                LastWrittenAt = state.Timestamp,
                Policy = options.CrashPolicy,
                Action = "none",
                Message = $"{who} did not end cleanly (dirty: true){when} and no harness is running; a real entry would recover ({options.CrashPolicy.ToString().ToLowerInvariant()})",
            };
        }

        var now = _clock.GetUtcNow();
        string action = "kept", message;
        string? checkpointName = null, backupRef = null;
        if (options.CrashPolicy == CrashPolicy.Rollback)
        {
            var store = new Checkpoints.CheckpointStore(project);
            var target = store.List() is { Count: > 0 } list ? list.FirstOrDefault(c => c.IsLastGood) ?? list[0] : null;
            if (target is null)
            {
                warnings.Add("crash policy rollback: there is no checkpoint to roll back to; the tree is kept");
                message = $"{who} did not end cleanly (dirty: true){when}; no checkpoint to roll back to, so the work tree was kept as it was";
            }
            else
            {
                var result = store.Restore(new Checkpoints.RestoreOptions { Checkpoint = target.Name, Force = true, Reason = $"crash recovery after {who}" });
                action = "rolled_back";
                checkpointName = target.Name;
                backupRef = result.BackupRef;
                message = $"{who} did not end cleanly (dirty: true){when}; rolled back to checkpoint {target.Name} ({target.ShortCommit}); the crashed tree is saved as {backupRef}";
            }
        }
        else
        {
            message = $"{who} did not end cleanly (dirty: true){when}; the work tree was kept as it was (crash policy keep)";
        }

        var current = StateStore.Load(layout) ?? state;
        current.RecordEvent($"crash recovered: {message}", now);
        current.Dirty = false;
        StateStore.Save(project, current, now);
        return new CrashReport
        {
            SessionId = state.SessionId,
            LastWrittenAt = state.Timestamp,
            Policy = options.CrashPolicy,
            Action = action,
            Checkpoint = checkpointName,
            BackupRef = backupRef,
            Message = message,
        };
    }

    private async Task<HealthCheckResult> CheckHealthAsync(EntryOptions options, ProjectLayout layout, ProjectConfig config, ProjectInfo project, HarnessState? state, Processes.ProcessRecord? record, CancellationToken cancellationToken)
    {
        if (!options.RunHealthCheck)
        {
            var recorded = state?.HealthStatus ?? HealthStatus.UNKNOWN;
            var when = state?.HealthCheckedAt is { } at ? $" at {Json.Timestamps.Utc(at)}" : "";
            return HealthCheckResult.Skipped(HealthRunner.HealthCheckKind, $"not run on request; last recorded {recorded}{when}");
        }

        _host.WriteVerbose(config.HealthCheck is null ? "Health check: none configured; trying the project type's fallback" : $"Health check: {config.HealthCheck}");
        return await HealthRunner.RunHealthCheckAsync(layout, config, project, cancellationToken, record).ConfigureAwait(false);
    }

    private void RecordEntry(HarnessState? state, HealthStatus health, bool healthMeasured, SessionState next, string reason)
    {
        var now = _clock.GetUtcNow();
        state ??= HarnessState.CreateNew(now, health);
        if (healthMeasured)
        {
            state.HealthStatus = health;
            state.HealthCheckedAt = now;
        }

        state.LastEntryAt = now;
        state.TransitionTo(next, reason, now);
        StateStore.Save(project, state, now);
    }

    /// <summary>
    /// git status runs while this entry writes state.json atomically, so it can catch the write's
    /// hidden temporary file for an instant; it is the harness's own, never the project's change.
    /// </summary>
    private static GitSnapshot WithoutHarnessTemporaries(GitSnapshot git) =>
        git.Status.Any(e => HarnessFiles.IsTemporary(e.Path))
            ? git with { Status = git.Status.Where(e => !HarnessFiles.IsTemporary(e.Path)).ToArray() }
            : git;

    private static void AddFeatureWarnings(FeatureSummary? features, List<string> warnings)
    {
        if (features is null)
        {
            return;
        }

        foreach (var problem in features.Problems)
        {
            warnings.Add($"{features.Path}: {problem.Message}");
        }

        if (features.Counts.Total == 0)
        {
            warnings.Add($"{features.Path} has no features; treating the project as not initialized (INIT)");
        }
    }
}
