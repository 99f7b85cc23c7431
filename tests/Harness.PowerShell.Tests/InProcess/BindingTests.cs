using System.Management.Automation;
using Harness.TestKit;

namespace Harness.PowerShell.Tests.InProcess;

/// <summary>Parameters and pipelines bind as a PowerShell user expects (each a defect of the issue).</summary>
public sealed class BindingTests
{
    [Fact]
    public void A_bare_argument_to_Get_HarnessFeature_is_the_project_not_an_id()
    {
        // Before: Get-HarnessFeature ./my-app took the path as -Id.
        using var repo = TestProjects.WithFeatures(("F1", "pending"), ("F2", "completed"));
        using var session = new ModuleSession();

        var features = session.Run("Get-HarnessFeature $args[0]", repo.Path);

        Assert.Equal(["F1", "F2"], features.Select(f => (string)f.Properties["Id"].Value));
        Assert.All(features, f => Assert.Equal(repo.Path, f.Properties["ProjectRoot"].Value));
    }

    [Fact]
    public void Every_output_pipes_into_the_next_cmdlet_by_its_project_root()
    {
        // Before: Get-HarnessState | Invoke-SessionEntry took the state's type name as a folder,
        // Invoke-SessionEntry | Save-Checkpoint failed with DriveNotFound, metrics had no project.
        using var repo = TestProjects.WithFeatures(("F1", "pending"));
        using var elsewhere = TempDirectory.Create();
        using var session = new ModuleSession(elsewhere.Path);
        session.Run("Invoke-SessionEntry -LiteralPath $args[0] -SkipHealthCheck", repo.Path);

        var entry = Assert.Single(session.Run("Get-HarnessState -LiteralPath $args[0] | Invoke-SessionEntry -SkipHealthCheck", repo.Path));
        var checkpoint = Assert.Single(session.Run("Invoke-SessionEntry -LiteralPath $args[0] -SkipHealthCheck | Save-Checkpoint -Reason piped", repo.Path));
        var handoff = Assert.Single(session.Run("Get-Checkpoint -LiteralPath $args[0] | Select-Object -First 1 | New-SessionSummary -Handoff", repo.Path));
        var metrics = Assert.Single(session.Run("Get-HarnessMetrics -LiteralPath $args[0]", repo.Path));
        var stateAgain = Assert.Single(session.Run("Get-HarnessMetrics -LiteralPath $args[0] | Get-HarnessState", repo.Path));

        Assert.Equal("Harness.Core.Entry.EntryReport", entry.TypeNames[0]);
        Assert.Equal("piped", checkpoint.Properties["Reason"].Value);
        Assert.Equal("Harness.Core.Summaries.HandoffResult", handoff.TypeNames[0]);
        foreach (var output in new[] { entry, checkpoint, handoff, metrics, stateAgain })
        {
            Assert.Equal(repo.Path, output.Properties["ProjectRoot"].Value);
        }
    }

    [Fact]
    public void Path_takes_wildcards_LiteralPath_takes_brackets_and_a_pattern_that_matches_nothing_is_an_error()
    {
        using var parent = TempDirectory.Create();
        var odd = Path.Combine(parent.Path, "app[1]");
        Directory.CreateDirectory(odd);
        ProjectFiles.WriteFeatures(odd, ("F1", "pending"));
        var plain = Path.Combine(parent.Path, "app2");
        Directory.CreateDirectory(plain);
        ProjectFiles.WriteFeatures(plain, ("F9", "pending"));
        using var session = new ModuleSession(parent.Path);

        var byPattern = session.Run("Get-HarnessFeature -Path app*").Select(f => (string)f.Properties["Id"].Value).Order();
        var literal = session.Run("Get-HarnessFeature -LiteralPath $args[0]", odd).Select(f => (string)f.Properties["Id"].Value);
        var fromGetChildItem = session.Run("Get-ChildItem -Directory | Get-HarnessFeature").Select(f => (string)f.Properties["Id"].Value).Order();
        var error = Assert.Single(session.Errors("Get-HarnessFeature -Path nothing-here*"));

        Assert.Equal(["F1", "F9"], byPattern);
        Assert.Equal(["F1"], literal);
        Assert.Equal(["F1", "F9"], fromGetChildItem);
        Assert.Equal("Harness.ProjectNotFound,Harness.PowerShell.Commands.GetHarnessFeatureCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
    }

    [Fact]
    public void An_unknown_project_type_is_refused_naming_the_known_ones_and_Status_is_a_set()
    {
        // Before: -ProjectType cobol was written into project.json; -Status took any text until Core saw it.
        using var repo = TestProjects.WithFeatures(("F1", "pending"));
        using var session = new ModuleSession();

        var cobol = Assert.Single(session.Errors("Initialize-HarnessProject -LiteralPath $args[0] -ProjectType cobol", repo.Path));
        var status = Assert.Single(session.Errors("Get-HarnessFeature -LiteralPath $args[0] -Status done", repo.Path));
        var statusParameter = session.Run("(Get-Command Set-HarnessFeature).Parameters['Status'].Attributes | Where-Object { $_ -is [System.Management.Automation.ValidateSetAttribute] } | ForEach-Object ValidValues");

        Assert.StartsWith("Harness.ProjectTypeUnknown,", cobol.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Contains("dotnet, elixir", cobol.ErrorDetails.RecommendedAction, StringComparison.Ordinal);
        Assert.False(File.Exists(ProjectFiles.ConfigPath(repo.Path)));
        Assert.StartsWith("ParameterArgumentValidationError,", status.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Equal(Harness.Core.Features.FeatureStatuses.All, statusParameter.Select(v => (string)v.BaseObject));
    }

    [Fact]
    public void Checkpoint_names_session_ids_exit_reasons_and_project_types_complete_with_Tab()
    {
        using var repo = TestProjects.WithFeatures(("F1", "pending"));
        using var session = new ModuleSession(repo.Path);
        session.Run("Invoke-SessionEntry -SkipHealthCheck; Save-Checkpoint -Reason first; New-SessionSummary -Handoff -ExitReason completed");
        var checkpoint = (string)session.Run("(Get-Checkpoint)[0].Name")[0].BaseObject;
        var sessionId = (string)session.Run("(Get-HarnessMetrics)[0].SessionId")[0].BaseObject;

        Assert.Contains(checkpoint, Complete(session, "Restore-Checkpoint -Id "));
        Assert.Contains(sessionId, Complete(session, "Get-HarnessMetrics -SessionId "));
        Assert.Contains("max_turns", Complete(session, "New-SessionSummary -ExitReason max"));
        Assert.Equal(["dart", "deno", "django", "dotnet"], Complete(session, "Initialize-HarnessProject -ProjectType d"));
        Assert.Contains("F1", Complete(session, "Set-HarnessFeature -Id "));
    }

    private static IReadOnlyList<string> Complete(ModuleSession session, string line) =>
        session.Run("(TabExpansion2 -inputScript $args[0] -cursorColumn $args[0].Length).CompletionMatches.ListItemText", line)
            .Select(o => (string)o.BaseObject)
            .ToList();
}
