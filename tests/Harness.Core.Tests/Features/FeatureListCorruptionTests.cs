using System.Text;
using Harness.Core.Errors;
using Harness.Core.Features;
using Harness.Core.Project;
using Harness.TestKit;

namespace Harness.Core.Tests.Features;

/// <summary>
/// Property: over thousands of damaged copies of real lists (cut at every byte, a byte dropped or
/// replaced at every position, garbage appended), the entry's summary and the full list agree on
/// every one: both accept with the same counts, next feature and problems, or both reject with
/// the same error. Nothing else may escape (no InvalidOperationException from bad text).
/// </summary>
public class FeatureListCorruptionTests
{
    // Shaped like bench/make-fixture.sh's lists, plus what hand edits bring: a BOM, comments,
    // trailing commas, escapes, non-ASCII text, numeric ids, fields the harness does not model.
    private const string Seed = "\uFEFF{\n  // edited by hand\n  \"version\": 2,\n  \"features\": [\n" +
        "    {\n      \"id\": \"F-00001\",\n      \"name\": \"User can export reports in bulk\",\n      \"description\": \"User can export reports in bulk so that large accounts stay manageable.\",\n" +
        "      \"category\": \"functional\",\n      \"steps\": [\n        \"Open the reports page in bulk\",\n        \"Export one or more reports\"\n      ],\n      \"status\": \"completed\",\n      \"attempts\": 1,\n      \"notes\": \"\"\n    },\n" +
        "    {\n      \"id\": 2,\n      \"name\": \"Caf\u00e9 \\\"menu\\\" \\u00fcber\",\n      \"status\": \"in_progress\",\n      \"attempts\": 2,\n      \"owner\": { \"team\": [\"data\", null, 3.5] },\n      \"notes\": \"Needs a migration;\\ncoordinate.\",\n    },\n" +
        "    {\n      \"id\": \"F-00003\",\n      \"description\": \"Guest can search tags\\r\\nsecond line\",\n      \"steps\": null,\n      \"status\": \"pending\"\n    },\n" +
        "    { \"id\": \"F-00004\", \"status\": \"blocked\", \"notes\": \"Waiting on an upstream dependency.\" }\n  ],\n  \"after\": true\n}\n";

    private const string Quickstart = "[\n  {\n    \"category\": \"functional\",\n    \"description\": \"New chat button creates a fresh conversation\",\n    \"steps\": [\n      \"Navigate to main interface\",\n      \"Click the 'New Chat' button\"\n    ],\n    \"passes\": true\n  },\n" +
        "  {\n    \"category\": \"ui\",\n    \"description\": \"Sidebar lists conversations\",\n    \"steps\": [\"Open the app\"],\n    \"passes\": false,\n    \"status\": \"in_progress\"\n  },\n" +
        "  { \"id\": \"X7\", \"description\": \"Settings persist\", \"passes\": false }\n]\n";

    // Shaped like snarktank/ralph's prd.json.example, plus a fork's extras: a word for a priority, a status of ours, a dependency list.
    private const string Ralph = "{\n  \"project\": \"MyApp\",\n  \"branchName\": \"ralph/task-priority\",\n  \"userStories\": [\n" +
        "    {\n      \"id\": \"US-001\",\n      \"title\": \"Add priority field to database\",\n      \"description\": \"As a developer, I need to store task priority.\",\n" +
        "      \"acceptanceCriteria\": [\"Generate and run migration successfully\", \"Typecheck passes\"],\n      \"priority\": 1,\n      \"passes\": true,\n      \"notes\": \"\"\n    },\n" +
        "    {\n      \"id\": \"US-002\",\n      \"title\": \"Caf\u00e9 \\\"badge\\\"\",\n      \"acceptanceCriteria\": [\"Verify in browser\"],\n      \"priority\": 3,\n      \"passes\": false,\n      \"dependencies\": [\"US-001\"],\n      \"notes\": \"line one\\nline two\"\n    },\n" +
        "    { \"id\": \"US-003\", \"title\": \"Selector\", \"priority\": 2, \"passes\": false, \"status\": \"in_progress\", \"attempts\": 1 },\n" +
        "    { \"id\": \"US-004\", \"title\": \"Filter\", \"priority\": \"high\", \"passes\": false }\n  ]\n}\n";

    private const string NotHarness = "not a harness error: ";

    private static readonly byte[] Replacements = [(byte)'"', (byte)'}', (byte)']', (byte)',', (byte)':', (byte)'0', (byte)'n', (byte)'/', 0xFF];

    private static readonly string[] Suffixes = ["x", "}", "]", ",", "{}", "[]", "null", "\"s\"", "0", "/* open comment", "// closed comment", "/* closed */", "\n\t ", "\0", "\uFEFF"];

    [Theory]
    [InlineData(FeatureListFormat.Seed)]
    [InlineData(FeatureListFormat.Quickstart)]
    [InlineData(FeatureListFormat.Ralph)]
    public void Summary_and_full_list_agree_on_every_corruption(FeatureListFormat format)
    {
        using var dir = TempDirectory.Create();
        var layout = ProjectLayout.ForRoot(dir.Path);
        var path = format switch
        {
            FeatureListFormat.Seed => ProjectFiles.Write(ProjectFiles.FeatureListPath(dir.Path), ""),
            FeatureListFormat.Quickstart => dir.Write("feature_list.json", ""),
            _ => dir.Write("prd.json", ""),
        };
        var original = Encoding.UTF8.GetBytes(format switch { FeatureListFormat.Seed => Seed, FeatureListFormat.Quickstart => Quickstart, _ => Ralph });
        File.WriteAllBytes(path, original);
        Assert.Null(Outcome(layout, summary: false).Error); // the undamaged list reads

        var disagreements = new List<string>();
        int accepted = 0, rejected = 0;
        foreach (var (what, bytes) in Corruptions(original))
        {
            File.WriteAllBytes(path, bytes);
            var full = Outcome(layout, summary: false);
            var fast = Outcome(layout, summary: true);
            if (full != fast || full.Error?.StartsWith(NotHarness, StringComparison.Ordinal) == true)
            {
                disagreements.Add($"{what}:\n  full: {full}\n  fast: {fast}");
            }
            else if (full.Error is null)
            {
                accepted++;
            }
            else
            {
                rejected++;
            }
        }

        Assert.True(disagreements.Count == 0, $"{disagreements.Count} corruptions read differently, e.g.\n{string.Join("\n", disagreements.Take(5))}");

        // Not vacuous: the corruptions exercise both answers, and plenty of each.
        Assert.True(accepted > 300 && rejected > 500, $"accepted {accepted}, rejected {rejected}");
    }

    private static IEnumerable<(string What, byte[] Bytes)> Corruptions(byte[] original)
    {
        for (var n = 0; n < original.Length; n++)
        {
            yield return ($"cut to {n} bytes", original[..n]);
            yield return ($"byte {n} dropped", [.. original[..n], .. original[(n + 1)..]]);
            // One replacement per position, taking the candidates in turn: every byte gets hit, every candidate often.
            var copy = (byte[])original.Clone();
            copy[n] = Replacements[n % Replacements.Length];
            yield return ($"byte {n} replaced by 0x{copy[n]:X2}", copy);
        }

        foreach (var suffix in Suffixes)
        {
            yield return ($"\"{suffix}\" appended", [.. original, .. Encoding.UTF8.GetBytes(suffix)]);
        }
    }

    /// <summary>What a reader made of the bytes, comparable by value: the summary's facts, or the error's.</summary>
    private sealed record Result(string? Summary, string? Error);

    private static Result Outcome(ProjectLayout layout, bool summary)
    {
        try
        {
            var s = summary ? FeatureStore.LoadSummary(layout)! : FeatureStore.Load(layout)!.ToSummary();
            var next = s.NextFeature is { } f ? $"{f.Id}|{f.Name}|{f.Description}|{f.Category}|{string.Join("/", f.Steps)}|{f.Status}|{f.Attempts}|{f.Notes}|{f.Priority}|{f.Index}" : "none";
            return new Result($"{s.Counts} next={next} problems={string.Join("; ", s.Problems.Select(p => p.Message))}", null);
        }
        catch (HarnessException ex)
        {
            return new Result(null, $"{ex.ErrorId} line {ex.Line} col {ex.Column} {ex.JsonPath}: {ex.Message}");
        }
        catch (Exception ex)
        {
            return new Result(null, $"{NotHarness}{ex.GetType().Name}: {ex.Message}");
        }
    }
}
