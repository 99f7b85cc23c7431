using Harness.Core.Entry;
using Harness.Core.Errors;
using Harness.Core.Git;
using Harness.Core.Project;
using Harness.Core.Prompts;
using Harness.Core.State;
using Harness.TestKit;

namespace Harness.Core.Tests.Prompts;

public class PromptBuilderTests
{
    private static async Task<(EntryReport Report, ProjectConfig Config, ProjectLayout Layout)> Enter(string dir)
    {
        await using var project = await HarnessProject.OpenAsync(dir);
        var report = await project.EnterAsync(new EntryOptions { DryRun = true });
        var layout = ProjectLayout.ForRoot(report.Directory);
        return (report, ProjectConfigStore.Load(layout), layout);
    }

    [Fact]
    public async Task Init_prompt_asks_for_the_feature_list_in_the_harness_format()
    {
        using var repo = TempGitRepo.Init();
        repo.Commit("initial", ("README.md", "A to-do app"));
        var (report, config, layout) = await Enter(repo.Path);

        var prompt = PromptBuilder.Build(report, config, layout);

        Assert.Equal(SessionState.INIT, report.NextState);
        Assert.Contains(".claude/progress/feature-list.json", prompt);
        Assert.Contains("\"status\": \"pending\"", prompt);
        Assert.Contains("init.sh", prompt);
        Assert.Contains("initial", prompt);
        Assert.DoesNotContain("{{", prompt);
    }

    [Theory]
    [InlineData(SessionState.INIT)]
    [InlineData(SessionState.IMPLEMENT)]
    [InlineData(SessionState.FIX_BROKEN)]
    [InlineData(SessionState.TEST)]
    public void No_built_in_prompt_asks_for_an_edit_of_a_file_the_guard_blocks(SessionState state)
    {
        // Every line that names one of the harness's own files the agent may not write must say it is off limits.
        var blocked = new[] { "project.json", "settings.json", "state.json", "metrics.jsonl", "checkpoint.json" };
        foreach (var line in PromptTemplates.BuiltIn(state).Split('\n').Where(l => blocked.Any(l.Contains)))
        {
            Assert.True(line.Contains("blocks", StringComparison.Ordinal) || line.TrimEnd().EndsWith("):", StringComparison.Ordinal) || line.Contains("Do not edit", StringComparison.Ordinal),
                $"{state}: \"{line.Trim()}\" names a file the guard blocks for the agent");
        }

        Assert.True(HarnessFiles.AgentMayWrite(".claude/progress/feature-list.json"));
        Assert.False(HarnessFiles.AgentMayWrite(".claude/config/project.json"));
    }

    [Fact]
    public async Task A_ralph_project_s_coding_prompt_takes_the_story_by_priority_and_says_passes_marks_it_done()
    {
        using var repo = TempGitRepo.Init();
        ProjectFiles.WriteRalphFeatures(repo.Path, [("US-001", 2, false), ("US-002", 1, false)]);
        repo.Commit("initial");
        var (report, config, layout) = await Enter(repo.Path);

        var prompt = PromptBuilder.Build(report, config, layout);

        Assert.Equal(SessionState.IMPLEMENT, report.NextState);
        Assert.Contains("(list: prd.json)", prompt);
        Assert.Contains("US-002: Story US-002", prompt);
        Assert.Contains("set `\"passes\": true` instead", prompt);
        Assert.Contains("1. US-002 works", prompt);
        Assert.DoesNotContain("{{", prompt);
        foreach (var state in new[] { SessionState.TEST, SessionState.FIX_BROKEN })
        {
            Assert.Contains("{{feature_list_format}}", PromptTemplates.BuiltIn(state));
        }
    }

    [Fact]
    public async Task Coding_prompt_carries_the_feature_commits_counts_and_last_summary()
    {
        using var repo = TempGitRepo.Init();
        ProjectFiles.WriteConfig(repo.Path, """{ "test_command": "make test", "health_check": "true" }""");
        ProjectFiles.WriteFeatures(repo.Path, ("F1", "completed"), ("F2", "pending"), ("F3", "pending"));
        repo.WriteFile(".claude/progress/sessions/20260101T000000Z.md", "# Session Summary\nDecided to use SQLite.");
        repo.Commit("F1: login works");
        var (report, config, layout) = await Enter(repo.Path);

        var prompt = PromptBuilder.Build(report, config, layout);

        Assert.Equal(SessionState.IMPLEMENT, report.NextState);
        Assert.Contains("F2: Feature F2", prompt);
        Assert.Contains("  1. step one", prompt);
        Assert.Contains("1 of 3 done, 2 pending, 0 in progress, 0 blocked", prompt);
        Assert.Contains("F1: login works", prompt);
        Assert.Contains("Decided to use SQLite.", prompt);
        Assert.Contains("`make test`", prompt);
        Assert.DoesNotContain("{{", prompt);
    }

    [Fact]
    public async Task Fix_broken_prompt_carries_the_failing_output_and_what_broke()
    {
        using var repo = TempGitRepo.Init();
        ProjectFiles.WriteConfig(repo.Path, """{ "health_check": "echo 'SyntaxError: app.js line 3' >&2; exit 2" }""");
        ProjectFiles.WriteFeatures(repo.Path, ("F1", "pending"));
        repo.Commit("setup");
        var (report, config, layout) = await Enter(repo.Path);

        var prompt = PromptBuilder.Build(report, config, layout, whatBroke: "Files changed since abc1234: src/app.js");

        Assert.Equal(SessionState.FIX_BROKEN, report.NextState);
        Assert.Contains("SyntaxError: app.js line 3", prompt);
        Assert.Contains("exit 2", prompt);
        Assert.Contains("Files changed since abc1234: src/app.js", prompt);
        Assert.Contains("src/**", prompt);
        Assert.DoesNotContain("{{", prompt);
    }

    [Theory]
    [InlineData(SessionState.INIT)]
    [InlineData(SessionState.IMPLEMENT)]
    [InlineData(SessionState.FIX_BROKEN)]
    [InlineData(SessionState.TEST)]
    public async Task Every_built_in_template_uses_only_known_placeholders(SessionState state)
    {
        using var repo = TempGitRepo.Init();
        var (report, config, layout) = await Enter(repo.Path);

        var rendered = PromptTemplates.Render(PromptTemplates.BuiltIn(state), PromptBuilder.Facts(report, config, layout), "built-in");

        Assert.DoesNotContain("{{", rendered);
        Assert.True(rendered.Length > 500);
    }

    [Fact]
    public async Task A_project_template_overrides_the_built_in_one()
    {
        using var repo = TempGitRepo.Init();
        ProjectFiles.WriteConfig(repo.Path, """{ "prompts": { "coding": "prompts/code.md" } }""");
        ProjectFiles.WriteFeatures(repo.Path, ("F7", "pending"));
        repo.WriteFile("prompts/code.md", "Do {{ next_feature_id }} in {{project_root}}.");
        var (report, config, layout) = await Enter(repo.Path);

        Assert.Equal($"Do F7 in {repo.Path}.", PromptBuilder.Build(report, config, layout));
    }

    [Fact]
    public async Task An_unknown_placeholder_in_a_project_template_names_file_and_placeholder()
    {
        using var repo = TempGitRepo.Init();
        ProjectFiles.WriteConfig(repo.Path, """{ "prompts": { "coding": "prompts/code.md" } }""");
        ProjectFiles.WriteFeatures(repo.Path, ("F7", "pending"));
        var file = repo.WriteFile("prompts/code.md", "Do {{next_featur}} now.");
        var (report, config, layout) = await Enter(repo.Path);

        var error = Assert.Throws<HarnessException>(() => PromptBuilder.Build(report, config, layout));

        Assert.Equal(ErrorIds.PromptInvalid, error.ErrorId);
        Assert.Contains(file, error.Message);
        Assert.Contains("{{next_featur}}", error.Message);
        Assert.Contains("{{next_feature}}", error.Message);
    }

    [Fact]
    public async Task A_missing_project_template_is_an_error_naming_the_config()
    {
        using var repo = TempGitRepo.Init();
        ProjectFiles.WriteConfig(repo.Path, """{ "prompts": { "initializer": "nope.md" } }""");
        var (report, config, layout) = await Enter(repo.Path);

        var error = Assert.Throws<HarnessException>(() => PromptBuilder.Build(report, config, layout));

        Assert.Contains("prompts.initializer names nope.md", error.Message);
    }

    [Fact]
    public async Task Long_summaries_are_cut_with_a_pointer_to_the_file()
    {
        using var repo = TempGitRepo.Init();
        ProjectFiles.WriteFeatures(repo.Path, ("F1", "pending"));
        var summary = repo.WriteFile(".claude/progress/sessions/20260101T000000Z.md", new string('x', PromptBuilder.MaxSummaryCharacters + 500));
        var (report, config, layout) = await Enter(repo.Path);

        var facts = PromptBuilder.Facts(report, config, layout);

        Assert.Contains($"[... cut; the whole summary is in {summary}]", facts["last_summary"]);
        Assert.True(facts["last_summary"].Length < PromptBuilder.MaxSummaryCharacters + 200);
    }

    [Fact]
    public void No_prompt_for_complete()
    {
        var error = Assert.Throws<HarnessException>(() => PromptTemplates.NameFor(SessionState.COMPLETE));

        Assert.Equal(ErrorIds.PromptInvalid, error.ErrorId);
    }
}
