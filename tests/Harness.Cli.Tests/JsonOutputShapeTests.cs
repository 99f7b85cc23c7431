using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Harness.TestKit;

namespace Harness.Cli.Tests;

/// <summary>
/// The field names, their order and their kinds in what the real CLI prints with <c>--json</c>
/// (values vary by run: paths, hashes, times). Harness.Core.Tests pins the exact bytes of each
/// serializer; these pin that the commands still print through them.
/// </summary>
public class JsonOutputShapeTests
{
    [Fact]
    public void Entry_json()
    {
        using var repo = TempGitRepo.Init();
        ProjectFiles.WriteFeatures(repo.Path, ("F1", "completed"), ("F2", "pending"));
        repo.Commit("features");
        repo.WriteFile("notes.txt", "untracked, so git status lists something");

        var result = CliRunner.Run(repo.Path, "entry", "--json");

        Assert.Equal(0, result.ExitCode);
        Matches("entry.shape", Shape(result.StdOut));
    }

    [Fact]
    public void Loop_json_events()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        using var repo = TempGitRepo.Init();
        using var scratch = TempDirectory.Create();
        ProjectFiles.WriteFeatures(repo.Path, ("F1", "pending"));
        repo.Commit("features");
        var shim = LoopCommandTests.Shim(scratch, new JsonObject
        {
            ["steps"] = new JsonArray(
                new JsonObject { ["action"] = "tool" },
                new JsonObject { ["action"] = "complete_features", ["count"] = 1 }),
        }, record: null);

        var result = CliRunner.Run(repo.Path, "loop", "--agent-command", shim, "--continue-delay", "0", "--no-health", "--json");

        Assert.True(result.ExitCode == 0, result.StdErr);
        var shapes = result.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => Shape(line));
        Matches("loop-events.shape", string.Join("---\n", shapes));
    }

    private static void Matches(string name, string actual, [CallerFilePath] string testFile = "") =>
        Assert.Equal(GoldenFile.Expected(name, actual, testFile), actual);

    /// <summary>One line per value: its JSON path and kind, in document order; the event name of a loop event; arrays by their first element.</summary>
    private static string Shape(string json)
    {
        using var document = JsonDocument.Parse(json);
        var text = new StringBuilder();
        Walk(document.RootElement, "$", text);
        return text.ToString();
    }

    private static void Walk(JsonElement e, string path, StringBuilder text)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
                text.Append(path).Append(" object\n");
                foreach (var p in e.EnumerateObject())
                {
                    if (path == "$" && p.Name == "event")
                    {
                        text.Append("$.event = ").Append(p.Value.GetString()).Append('\n');
                        continue;
                    }

                    Walk(p.Value, $"{path}.{p.Name}", text);
                }

                break;
            case JsonValueKind.Array:
                text.Append(path).Append(e.GetArrayLength() == 0 ? " empty array\n" : " array\n");
                if (e.GetArrayLength() > 0)
                {
                    Walk(e[0], $"{path}[0]", text);
                }

                break;
            case JsonValueKind.True or JsonValueKind.False:
                text.Append(path).Append(" boolean\n");
                break;
            default:
                text.Append(path).Append(' ').Append(e.ValueKind.ToString().ToLowerInvariant()).Append('\n');
                break;
        }
    }
}
