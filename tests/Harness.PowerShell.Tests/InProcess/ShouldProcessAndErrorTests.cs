using System.Management.Automation;
using Harness.TestKit;

namespace Harness.PowerShell.Tests.InProcess;

/// <summary>-WhatIf plans that check their input, and error records a script can act on.</summary>
public sealed class ShouldProcessAndErrorTests
{
    [Fact]
    public void WhatIf_checks_the_ids_and_writes_nothing()
    {
        // Before: -WhatIf said it would set 'nope' and never looked at the list.
        using var repo = TestProjects.WithFeatures(("F1", "pending"));
        var before = File.ReadAllBytes(ProjectFiles.FeatureListPath(repo.Path));
        using var session = new ModuleSession();

        var error = Assert.Single(session.Errors("Set-HarnessFeature -LiteralPath $args[0] -Id F1, nope -Status tested -WhatIf", repo.Path));

        Assert.StartsWith("Harness.FeatureNotFound,", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Contains("nope", error.Exception.Message, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(ProjectFiles.FeatureListPath(repo.Path)));
    }

    [Fact]
    public void Piped_features_are_written_in_one_locked_write_per_list()
    {
        // Before: one read, lock and atomic rewrite of the whole list per piped feature.
        using var repo = TestProjects.WithFeatures(("F1", "pending"), ("F2", "pending"), ("F3", "pending"), ("F4", "completed"), ("F5", "pending"));
        using var session = new ModuleSession();

        var updated = session.Run("Get-HarnessFeature -LiteralPath $args[0] -Status pending | Set-HarnessFeature -Status in_progress -PassThru -Verbose", out var streams, repo.Path);

        Assert.Equal(["F1", "F2", "F3", "F5"], updated.Select(f => (string)f.Properties["Id"].Value));
        Assert.All(updated, f => Assert.Equal("in_progress", f.Properties["Status"].Value));
        Assert.Single(streams.Verbose, v => v.Message.StartsWith("Lock: ", StringComparison.Ordinal));
        Assert.Empty(streams.Error);
    }

    [Fact]
    public void Restore_WhatIf_returns_Core_s_plan_and_moves_nothing()
    {
        using var repo = TestProjects.WithFeatures(("F1", "pending"));
        using var session = new ModuleSession(repo.Path);
        session.Run("Save-Checkpoint -Reason before");
        var head = repo.Commit("later", ("app.txt", "v2\n"));

        var plan = Assert.Single(session.Run("Get-Checkpoint | Restore-Checkpoint -WhatIf"));

        Assert.True((bool)plan.Properties["DryRun"].Value);
        Assert.Single(((System.Collections.IEnumerable)plan.Properties["CommitsDropped"].Value).Cast<object>());
        Assert.Equal(head, repo.Git("rev-parse", "HEAD").Trim());
    }

    [Fact]
    public void The_fix_is_said_once_and_names_no_command_line_flag()
    {
        // Before: the message ended with the fix and PowerShell showed it again as the Recommendation;
        // and the advice was "restore with --force".
        using var repo = TestProjects.WithFeatures(("F1", "pending"));
        using var session = new ModuleSession(repo.Path);
        session.Run("Save-Checkpoint -Reason before");
        repo.WriteFile("README.md", "# changed, not committed\n");

        var error = Assert.Single(session.Errors("Get-Checkpoint | Restore-Checkpoint -Confirm:$false"));
        var missing = Assert.Single(session.Errors("Get-HarnessState -LiteralPath $args[0]", Path.Combine(repo.Path, "no-such-folder")));
        var shown = session.Run("$args[0] | Out-String -Width 200", error);

        Assert.StartsWith("Harness.WorkTreeDirty,", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        var fix = error.ErrorDetails.RecommendedAction;
        Assert.False(string.IsNullOrEmpty(fix));
        Assert.DoesNotContain(fix, error.ErrorDetails.Message, StringComparison.Ordinal);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(shown[0].ToString(), System.Text.RegularExpressions.Regex.Escape(fix[..30])));
        foreach (var text in new[] { error.ErrorDetails.Message, fix, missing.Exception.Message })
        {
            Assert.DoesNotContain("--", text, StringComparison.Ordinal);
        }
    }

    [UnixFact]
    public void A_missing_agent_is_an_error_that_ErrorAction_Stop_catches()
    {
        // Before: only a warning; the script went on as if the loop had run.
        using var repo = TestProjects.WithFeatures(("F1", "pending"));
        using var session = new ModuleSession();

        var caught = session.Run(
            "try { Start-AutonomousLoop -LiteralPath $args[0] -AgentCommand '/no/such/agent {prompt_file}' -SkipHealthCheck -ContinueDelay 0 -MaxRetries 0 -ErrorAction Stop; 'not caught' } catch { $_ }",
            repo.Path);

        // The loop checks the agent before its first session: no session is written, only the error, caught.
        var record = Assert.IsType<ErrorRecord>(Assert.Single(caught).BaseObject);
        Assert.StartsWith("Harness.ProcessFailed,", record.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Equal(ErrorCategory.ResourceUnavailable, record.CategoryInfo.Category);
    }

    [Fact]
    public void A_folder_that_is_no_project_gets_no_harness_files()
    {
        // Before: Invoke-SessionEntry in ~ wrote ~/.claude/progress/state.json, and every folder under ~ then resolved to ~.
        using var plain = TempDirectory.Create();
        using var session = new ModuleSession(plain.Path);

        var error = Assert.Single(session.Errors("Invoke-SessionEntry -SkipHealthCheck"));

        Assert.StartsWith("Harness.ProjectNotFound,", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(plain.Path, ".claude")));
    }

    [UnixFact]
    public void The_documented_manual_handoff_works_after_an_entry()
    {
        // Before: Harness.SessionUnknown: the entry starts no session, so there was no session id.
        using var repo = TestProjects.WithFeatures(("F1", "pending"));
        using var session = new ModuleSession(repo.Path);

        session.Run("Invoke-SessionEntry -SkipHealthCheck");
        var handoff = Assert.Single(session.Run("New-SessionSummary -Handoff -CostUsd 1.25"));
        var again = Assert.Single(session.Run("New-SessionSummary -Handoff -CostUsd 1.25"));

        Assert.False((bool)handoff.Properties["AlreadyDone"].Value);
        Assert.True((bool)again.Properties["AlreadyDone"].Value);
        Assert.Equal(1.25, (double)session.Run("(Get-HarnessMetrics).CostUsd")[0].BaseObject);
    }
}
