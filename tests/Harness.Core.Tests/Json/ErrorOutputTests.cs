using System.Text;
using System.Text.RegularExpressions;
using Harness.Core.Errors;
using Harness.Core.Json;
using Harness.Core.Project;
using Harness.Core.State;
using Harness.TestKit;

namespace Harness.Core.Tests.Json;

/// <summary>
/// A hand-edited file with problems gets a short error: at most 20 problems, one line each
/// (<c>file(line,col): $.path: message (token)</c>), then how many more. Every line of an error is
/// an annotation in CI and an <c>error HARN0001</c> line through MSBuild.
/// </summary>
public class ErrorOutputTests
{
    [Fact]
    public void A_literal_typo_in_a_long_state_file_is_one_short_line()
    {
        using var dir = TempDirectory.Create();
        var path = ProjectFiles.WriteState(dir.Path, ProjectFiles.LongState(dirty: "tru"));
        Assert.True(new FileInfo(path).Length > 70_000);

        var error = Assert.Throws<HarnessException>(() => StateStore.Load(ProjectLayout.ForRoot(dir.Path)));

        var lines = error.Message.Split('\n');
        Assert.True(Encoding.UTF8.GetByteCount(error.Message) < 1000, $"{Encoding.UTF8.GetByteCount(error.Message)} bytes:\n{error.Message[..Math.Min(2000, error.Message.Length)]}");
        Assert.Equal(2, lines.Length);
        Assert.StartsWith($"{path}(5,12): $.dirty: not valid JSON: 'tru' is an invalid JSON literal. Expected the literal 'true'.", lines[0]);
        Assert.StartsWith("The file was left unchanged.", lines[1]);
        Assert.Equal((5, 12, "$.dirty"), (error.Line, error.Column, error.JsonPath));
    }

    [Fact]
    public void Five_hundred_invalid_values_list_the_first_twenty_and_how_many_more()
    {
        using var dir = TempDirectory.Create();
        var path = ProjectFiles.WriteState(dir.Path, ProjectFiles.LongState(at: "\"yesterday\""));

        var error = Assert.Throws<HarnessException>(() => StateStore.Load(ProjectLayout.ForRoot(dir.Path)));

        var lines = error.Message.Split('\n');
        Assert.Equal(21, lines.Length);
        for (var i = 0; i < 20; i++)
        {
            Assert.Matches(new Regex($@"^{Regex.Escape(path)}\({11 + (6 * i)},13\): \$\.history\[{i}\]\.at: expected an ISO 8601 date and time \(2025-12-28T10:00:00Z\) \(""yesterday""\)$"), lines[i]);
        }

        Assert.StartsWith("... and 480 more problems in state.json. The file was left unchanged.", lines[20]);
        Assert.Equal((11, 13, "$.history[0].at"), (error.Line, error.Column, error.JsonPath));
    }

    [Fact]
    public void Numbers_no_setting_can_hold_are_problems_not_crashes()
    {
        using var dir = TempDirectory.Create();
        var path = ProjectFiles.WriteConfig(dir.Path, """
            { "timeout_seconds": { "health_check": 1e400 }, "agent": { "max_budget_usd": 1e30 } }
            """);

        // Before: the budget overflowed the decimal it is held in (an unhandled OverflowException).
        var error = Assert.Throws<HarnessException>(() => ProjectConfigStore.Load(ProjectLayout.ForRoot(dir.Path)));

        Assert.Equal(
            [
                $"{path}(1,40): $.timeout_seconds.health_check: expected a number (1e400)",
                $"{path}(1,78): $.agent.max_budget_usd: expected a number from 1E-06 to 1000000000000 (1e30)",
            ],
            error.Message.Split('\n')[..^1]);
    }

    [Fact]
    public void A_value_the_validation_let_through_but_the_type_cannot_hold_is_still_a_located_error()
    {
        // Defence in depth: the deserializer's own errors get the same one-line form.
        var bytes = "{\n  \"pid\": \"4242\",\n  \"host\": \"h\"\n}"u8.ToArray();
        var file = JsonFile.Parse("harness.lock", bytes, ErrorIds.LockFileInvalid, "Delete it.");

        var error = Assert.Throws<HarnessException>(() => HarnessJson.Deserialize(file, HarnessJsonContext.Default.LockInfo, ErrorIds.LockFileInvalid, "Delete it."));

        Assert.Equal((2, 16, "$.pid"), (error.Line, error.Column, error.JsonPath));
        Assert.Equal("harness.lock(2,16): $.pid: The JSON value could not be converted to Harness.Core.State.LockInfo.\nDelete it.", error.Message);
    }

    [Fact]
    public void Each_problem_is_one_line_with_path_expectation_and_the_token_found()
    {
        using var dir = TempDirectory.Create();
        var path = ProjectFiles.WriteConfig(dir.Path, """
            {
              "health_check": 5,
              "timeout_seconds": { "health_check": "a very long string that goes on and on and on well past forty characters" },
              "dev_server_port": 70000,
              "guard": { "protected_paths": "src/**" }
            }
            """);

        var error = Assert.Throws<HarnessException>(() => ProjectConfigStore.Load(ProjectLayout.ForRoot(dir.Path)));

        Assert.Equal(
            [
                $"{path}(2,19): $.health_check: expected a string (5)",
                $"{path}(3,40): $.timeout_seconds.health_check: expected a number (\"a very long string that goes on and ...)",
                $"{path}(4,22): $.dev_server_port: expected a whole number from 1 to 65535 (70000)",
                $"{path}(5,33): $.guard.protected_paths: expected an array of strings (\"src/**\")",
            ],
            error.Message.Split('\n')[..^1]);
        Assert.StartsWith("Fix the value in the file", error.Message.Split('\n')[^1]);
    }
}
