using System.Text.Json;

namespace Harness.Core.Agents;

/// <summary>
/// The usage of every API message a Claude Code stream showed, by message id, so that a session
/// that ends without its <c>result</c> event (killed, cancelled, crashed) can still be priced. An
/// <c>assistant</c> event repeats its message's usage as it was at the start (input and cache
/// tokens exact, output only the first token); with <c>--include-partial-messages</c> the
/// <c>message_delta</c> stream event carries the final output count. Each field keeps the largest
/// value seen, so repeats count once and the output grows to its final value.
/// </summary>
internal sealed class UsageLedger
{
    private readonly Dictionary<string, Entry> _messages = new(StringComparer.Ordinal);

    /// <summary>API messages seen.</summary>
    public int Messages => _messages.Count;

    /// <summary>Records a message's <c>usage</c> object (from an assistant event or a message_start/message_delta stream event).</summary>
    internal void Record(string? messageId, string? model, JsonElement usage)
    {
        if (string.IsNullOrEmpty(messageId) || usage.ValueKind != JsonValueKind.Object) return;

        // The CLI's own stand-in messages (API errors, "<synthetic>") were never billed.
        if (model == "<synthetic>") return;
        if (!_messages.TryGetValue(messageId, out var entry))
        {
            entry = new Entry();
            _messages[messageId] = entry;
        }

        if (!string.IsNullOrEmpty(model)) entry.Model = model;
        entry.Input = Math.Max(entry.Input, Long(usage, "input_tokens"));
        entry.Output = Math.Max(entry.Output, Long(usage, "output_tokens"));
        entry.CacheRead = Math.Max(entry.CacheRead, Long(usage, "cache_read_input_tokens"));
        entry.CacheCreation = Math.Max(entry.CacheCreation, Long(usage, "cache_creation_input_tokens"));
        if (usage.TryGetProperty("cache_creation", out var split) && split.ValueKind == JsonValueKind.Object)
        {
            entry.CacheWrite1h = Math.Max(entry.CacheWrite1h, Long(split, "ephemeral_1h_input_tokens"));
        }
    }

    /// <summary>All messages together.</summary>
    public TokenUsage Total => _messages.Values.Aggregate(new TokenUsage(), (sum, e) => sum + e.Usage);

    /// <summary>What the messages cost at <paramref name="prices"/>, each at its own model's price.</summary>
    public decimal Cost(PriceTable prices)
    {
        ArgumentNullException.ThrowIfNull(prices);
        return _messages.Values.Sum(e => prices.Cost(e.Model, e.Usage));
    }

    private static long Long(JsonElement o, string name) =>
        o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var l) && l > 0 ? l : 0;

    private sealed class Entry
    {
        public string? Model { get; set; }

        public long Input { get; set; }

        public long Output { get; set; }

        public long CacheRead { get; set; }

        public long CacheCreation { get; set; }

        public long CacheWrite1h { get; set; }

        public TokenUsage Usage => new()
        {
            InputTokens = Input,
            OutputTokens = Output,
            CacheReadTokens = CacheRead,
            CacheWrite1hTokens = Math.Min(CacheWrite1h, CacheCreation),
            CacheWriteTokens = CacheCreation - Math.Min(CacheWrite1h, CacheCreation),
        };
    }
}
