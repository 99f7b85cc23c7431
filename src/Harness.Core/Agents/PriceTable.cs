namespace Harness.Core.Agents;

/// <summary>
/// What one model costs, in US dollars per million tokens: plain input, output, cache reads, and
/// cache writes with the 5-minute and the 1-hour lifetime (the API bills them differently).
/// </summary>
internal sealed record ModelPrice(decimal Input, decimal Output, decimal CacheRead, decimal CacheWrite, decimal CacheWrite1h)
{
    /// <summary>The API's usual ratios when only input and output are given: reads 0.1×, writes 1.25× (5 min) and 2× (1 h) the input price.</summary>
    public static ModelPrice FromInputOutput(decimal input, decimal output) => new(input, output, input * 0.1m, input * 1.25m, input * 2m);

    /// <summary>The cost of <paramref name="usage"/> at this price.</summary>
    public decimal Cost(TokenUsage usage)
    {
        ArgumentNullException.ThrowIfNull(usage);
        var perMillion = (usage.InputTokens * Input) + (usage.OutputTokens * Output) + (usage.CacheReadTokens * CacheRead)
            + (usage.CacheWriteTokens * CacheWrite) + (usage.CacheWrite1hTokens * CacheWrite1h);
        return perMillion / 1_000_000m;
    }
}

/// <summary>Tokens of one or more API requests, split the way they are billed.</summary>
internal sealed record TokenUsage
{
    public long InputTokens { get; init; }

    public long OutputTokens { get; init; }

    public long CacheReadTokens { get; init; }

    /// <summary>Cache writes with the default 5-minute lifetime (and those whose lifetime the stream did not say).</summary>
    public long CacheWriteTokens { get; init; }

    public long CacheWrite1hTokens { get; init; }

    public long CacheCreationTokens => CacheWriteTokens + CacheWrite1hTokens;

    public static TokenUsage operator +(TokenUsage a, TokenUsage b) => new()
    {
        InputTokens = a.InputTokens + b.InputTokens,
        OutputTokens = a.OutputTokens + b.OutputTokens,
        CacheReadTokens = a.CacheReadTokens + b.CacheReadTokens,
        CacheWriteTokens = a.CacheWriteTokens + b.CacheWriteTokens,
        CacheWrite1hTokens = a.CacheWrite1hTokens + b.CacheWrite1hTokens,
    };
}

/// <summary>
/// The one price table of the harness: what a session cost when the agent did not say (killed by
/// the watchdog, cancelled, crashed before its <c>result</c> event). The defaults are the list
/// prices Claude Code 2.1.332 itself charges per model (measured against it, see docs/agents.md);
/// project.json <c>agent.prices</c> overrides or adds models.
/// </summary>
internal sealed class PriceTable
{
    /// <summary>Models Claude Code does not know it prices like its default model; so does the harness.</summary>
    public static readonly ModelPrice Fallback = new(4m, 20m, 0.2m, 5m, 8m);

    private static readonly ModelPrice Opus45 = new(5m, 25m, 0.5m, 6.25m, 10m);
    private static readonly ModelPrice Opus4 = new(15m, 75m, 1.5m, 18.75m, 30m);
    private static readonly ModelPrice Sonnet4 = new(3m, 15m, 0.3m, 3.75m, 6m);

    public static PriceTable Default { get; } = new(new Dictionary<string, ModelPrice>(StringComparer.OrdinalIgnoreCase)
    {
        ["claude-opus-5-5"] = Fallback,
        ["claude-opus-5"] = Opus45,
        ["claude-opus-4-8"] = Opus45,
        ["claude-opus-4-7"] = Opus45,
        ["claude-opus-4-6"] = Opus45,
        ["claude-opus-4-5"] = Opus45,
        ["claude-opus-4-1"] = Opus4,
        ["claude-opus-4-0"] = Opus4,
        ["claude-opus-4-20"] = Opus4,
        ["claude-3-opus"] = Opus4,
        ["claude-sonnet-5-5"] = new(2m, 10m, 0.1m, 2.5m, 4m),
        ["claude-sonnet-5"] = new(2m, 10m, 0.2m, 2.5m, 4m),
        ["claude-sonnet-4"] = Sonnet4,
        ["claude-3-7-sonnet"] = Sonnet4,
        ["claude-3-5-sonnet"] = Sonnet4,
        ["claude-haiku-5-5"] = new(0.5m, 0.5m, 0.05m, 0.625m, 1m),
        ["claude-haiku-4-5"] = new(1m, 5m, 0.1m, 1.25m, 2m),
        ["claude-3-5-haiku"] = new(0.8m, 4m, 0.08m, 1m, 1.6m),
        ["claude-3-haiku"] = new(0.25m, 1.25m, 0.03m, 0.3m, 0.5m),
    });

    private readonly Dictionary<string, ModelPrice> _prices;

    public PriceTable(IReadOnlyDictionary<string, ModelPrice> prices)
    {
        ArgumentNullException.ThrowIfNull(prices);
        _prices = new Dictionary<string, ModelPrice>(prices, StringComparer.OrdinalIgnoreCase);
    }

    public IReadOnlyDictionary<string, ModelPrice> Prices => _prices;

    /// <summary>This table with <paramref name="overrides"/> on top (same keys replaced, new keys added).</summary>
    public PriceTable With(IReadOnlyDictionary<string, ModelPrice>? overrides)
    {
        if (overrides is null || overrides.Count == 0) return this;
        var merged = new Dictionary<string, ModelPrice>(_prices, StringComparer.OrdinalIgnoreCase);
        foreach (var (model, price) in overrides) merged[model] = price;
        return new PriceTable(merged);
    }

    /// <summary>
    /// The price of <paramref name="model"/>: the longest key the model id contains (so dated ids such
    /// as <c>claude-sonnet-4-5-20250929</c> and provider ids such as <c>us.anthropic.claude-…</c>
    /// match their family), else <see cref="Fallback"/>.
    /// </summary>
    public ModelPrice Find(string? model)
    {
        if (string.IsNullOrEmpty(model)) return Fallback;
        ModelPrice? best = null;
        var bestLength = 0;
        foreach (var (key, price) in _prices)
        {
            if (key.Length > bestLength && model.Contains(key, StringComparison.OrdinalIgnoreCase))
            {
                best = price;
                bestLength = key.Length;
            }
        }

        return best ?? Fallback;
    }

    public decimal Cost(string? model, TokenUsage usage) => Find(model).Cost(usage);
}
