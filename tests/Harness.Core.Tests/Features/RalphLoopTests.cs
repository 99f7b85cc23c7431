using System.Text.Json.Nodes;
using Harness.Core.Features;
using Harness.Core.Loop;
using Harness.Core.Project;
using Harness.Core.Tests.Git;
using Harness.Core.Tests.Loop;
using Harness.TestKit;
using static Harness.Core.Tests.Loop.LoopProject;

namespace Harness.Core.Tests.Features;

/// <summary>Issue 16's done-when case: a project whose feature list is Ralph's prd.json, completed by the loop.</summary>
public class RalphLoopTests
{
    // A prd.json as Ralph's users write it: priorities out of file order, a root field and a story field
    // the harness does not model, non-ASCII text, one story already passing.
    private const string Prd = """
        {
          "project": "Café",
          "branchName": "ralph/task-priority",
          "description": "Task priority — the whole system",
          "userStories": [
            {
              "id": "US-001",
              "title": "Selector",
              "description": "As a user, I want to change a task's priority.",
              "acceptanceCriteria": ["Dropdown", "Typecheck passes"],
              "priority": 2,
              "passes": false,
              "notes": ""
            },
            {
              "id": "US-002",
              "title": "Priority field",
              "description": "As a developer, I need to store task priority.",
              "acceptanceCriteria": ["Migration runs"],
              "priority": 1,
              "passes": false,
              "dependencies": [],
              "notes": "début"
            },
            {
              "id": "US-003",
              "title": "Badge",
              "description": "As a user, I see the priority.",
              "acceptanceCriteria": ["Badge shows"],
              "priority": 3,
              "passes": false,
              "notes": ""
            },
            {
              "id": "US-000",
              "title": "Already there",
              "description": "Done before the harness came.",
              "acceptanceCriteria": [],
              "priority": 0,
              "passes": true,
              "notes": ""
            }
          ]
        }

        """;

    [UnixFact]
    public async Task A_prd_json_project_is_completed_by_priority_and_only_its_passes_flags_change_on_disk()
    {
        using var project = RalphProject(out var prd).Script([Step("complete_features", ("count", 1))]);

        var result = await Run(project, project.Options());

        Assert.Equal(LoopStopReason.Complete, result.StopReason);
        Assert.True(result.Finished);
        Assert.Equal(["US-002", "US-001", "US-003"], result.Sessions.Select(s => s.FeatureId));
        Assert.Equal((4, 4), (result.FeaturesDone, result.FeaturesTotal));

        // On disk: every story passes, and not another byte moved (the agent flips a flag by a text
        // edit; the harness's integrity check and handoffs leave the file as the agent left it).
        Assert.Equal(Prd.Replace("\"passes\": false", "\"passes\": true", StringComparison.Ordinal), File.ReadAllText(prd));
        Assert.Equal(FeatureListFormat.Ralph, FeatureStore.Load(ProjectLayout.ForRoot(project.Path))!.Format);
        Assert.False(File.Exists(ProjectLayout.ForRoot(project.Path).FeatureListFile));
    }

    [UnixFact]
    public async Task A_story_that_uses_up_its_attempts_is_blocked_in_place_and_the_other_stories_keep_their_bytes()
    {
        using var project = RalphProject(out var prd).Script(
            [Step("text", ("text", "no luck"))],
            [Step("text", ("text", "no luck again"))],
            [Step("complete_features", ("count", 1))]);

        var result = await Run(project, project.Options() with { FeatureAttempts = 2, StallLimit = 5 });

        Assert.Equal(["US-002", "US-002", "US-001", "US-003"], result.Sessions.Select(s => s.FeatureId));
        Assert.Equal(["US-002"], result.BlockedFeatures);
        var text = File.ReadAllText(prd);
        var story = JsonNode.Parse(text)!["userStories"]![1]!.AsObject();
        Assert.Equal(["id", "title", "description", "acceptanceCriteria", "priority", "passes", "dependencies", "notes", "attempts", "status"], story.Select(p => p.Key));
        Assert.False(story["passes"]!.GetValue<bool>());
        Assert.Equal(("blocked", 2), (story["status"]!.GetValue<string>(), story["attempts"]!.GetValue<int>()));
        Assert.StartsWith("début\n", story["notes"]!.GetValue<string>(), StringComparison.Ordinal);

        // Outside the blocked story, the file is the original with the two finished stories' flags flipped.
        var expected = Prd.Replace("\"passes\": false", "\"passes\": true", StringComparison.Ordinal);
        var blocked = "    {\n      \"id\": \"US-002\"";
        var next = "    {\n      \"id\": \"US-003\"";
        var start = expected.IndexOf(blocked, StringComparison.Ordinal);
        Assert.Equal(expected[..start], text[..start]);
        Assert.Equal(expected[expected.IndexOf(next, StringComparison.Ordinal)..], text[text.IndexOf(next, StringComparison.Ordinal)..]);
    }

    /// <summary>A git project whose feature list is <see cref="Prd"/> at the root, committed.</summary>
    private static LoopProject RalphProject(out string prd)
    {
        var project = Create();
        prd = Path.Combine(project.Path, "prd.json");
        File.WriteAllText(prd, Prd);
        project.Repo.Commit("ralph's prd.json");
        return project;
    }

    private static async Task<LoopResult> Run(LoopProject project, LoopOptions options)
    {
        using var opened = TestProject.Open(project.Path);
        return await opened.RunLoopAsync(options, _ => { });
    }
}
