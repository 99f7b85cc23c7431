using Harness.Core.Agents;
using Harness.Core.Errors;
using Harness.Core.Project;
using Harness.TestKit;

namespace Harness.Core.Tests.Agents;

/// <summary>The one price table: Claude Code's own list prices by default, project.json <c>agent.prices</c> on top.</summary>
public class PriceTableTests
{
    [Theory]
    [InlineData("claude-sonnet-4-6", 3, 15)]
    [InlineData("claude-sonnet-4-5-20250929", 3, 15)]
    [InlineData("us.anthropic.claude-haiku-4-5-20251001-v1:0", 1, 5)]
    [InlineData("claude-opus-4-6", 5, 25)]
    [InlineData("claude-opus-4-1-20250805", 15, 75)]
    [InlineData("claude-opus-5-5", 4, 20)]
    [InlineData("claude-opus-5", 5, 25)]
    [InlineData("claude-sonnet-5", 2, 10)]
    [InlineData("claude-3-5-haiku-20241022", 0.8, 4)]
    [InlineData("a-model-nobody-knows", 4, 20)]
    [InlineData(null, 4, 20)]
    public void A_model_gets_the_price_of_the_longest_key_its_id_contains(string? model, double input, double output)
    {
        var price = PriceTable.Default.Find(model);

        Assert.Equal(((decimal)input, (decimal)output), (price.Input, price.Output));
    }

    [Fact]
    public void Cache_reads_and_writes_are_priced_by_their_own_rates()
    {
        var usage = new TokenUsage { InputTokens = 1_000_000, OutputTokens = 1_000_000, CacheReadTokens = 1_000_000, CacheWriteTokens = 1_000_000, CacheWrite1hTokens = 1_000_000 };

        // What Claude Code 2.1.332 reports for these tokens on claude-sonnet-4-6: 3 + 15 + 0.30 + 3.75 + 6.
        Assert.Equal(28.05m, PriceTable.Default.Cost("claude-sonnet-4-6", usage));
    }

    [Fact]
    public void Project_json_prices_override_and_add_models_with_the_usual_cache_ratios()
    {
        using var dir = TempDirectory.Create();
        ProjectFiles.WriteConfig(dir.Path, """
            { "agent": { "prices": {
                "claude-sonnet-4-6": { "input": 2.5, "output": 12 },
                "my-gateway-model": { "input": 1, "output": 2, "cache_read": 0.5, "cache_write": 1.5, "cache_write_1h": 3 } } } }
            """);

        var config = ProjectConfigStore.Load(ProjectLayout.ForRoot(dir.Path));
        var request = AgentRunnerFactory.CreateRequest(config, ProjectLayout.ForRoot(dir.Path), "p", "IMPLEMENT", "s1");

        Assert.Equal(new ModelPrice(2.5m, 12m, 0.25m, 3.125m, 5m), request.Prices.Find("claude-sonnet-4-6"));
        Assert.Equal(new ModelPrice(1m, 2m, 0.5m, 1.5m, 3m), request.Prices.Find("my-gateway-model"));
        Assert.Equal(PriceTable.Default.Find("claude-haiku-4-5"), request.Prices.Find("claude-haiku-4-5"));
    }

    [Fact]
    public void A_price_without_input_or_output_is_an_error_naming_the_field()
    {
        using var dir = TempDirectory.Create();
        ProjectFiles.WriteConfig(dir.Path, """
            { "agent": { "prices": { "claude-x": { "output": 2 }, "claude-y": "cheap" } } }
            """);

        var error = Assert.Throws<HarnessException>(() => ProjectConfigStore.Load(ProjectLayout.ForRoot(dir.Path)));

        Assert.Contains("$.agent.prices.claude-x.input: is missing", error.Message);
        Assert.Contains("$.agent.prices.claude-y: expected an object", error.Message);
    }

    [Fact]
    public void A_price_no_decimal_can_hold_is_a_problem_with_its_line_not_a_crash()
    {
        using var dir = TempDirectory.Create();
        ProjectFiles.WriteConfig(dir.Path, """
            { "agent": { "prices": { "claude.x": { "input": 1e30, "output": 2, "cache_read": -1 } } } }
            """);

        var error = Assert.Throws<HarnessException>(() => ProjectConfigStore.Load(ProjectLayout.ForRoot(dir.Path)));

        Assert.Contains("(1,49): $.agent.prices['claude.x'].input: expected a number", error.Message);
        Assert.Contains("$.agent.prices['claude.x'].cache_read: expected a number", error.Message);
    }
}
