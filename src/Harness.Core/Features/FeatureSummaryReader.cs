using System.Buffers;
using System.Text;
using System.Text.Json;
using Harness.Core.Json;

namespace Harness.Core.Features;

/// <summary>
/// The entry's hot path over lists of thousands of features: one forward pass with
/// <see cref="Utf8JsonReader"/> that keeps only ids and statuses, checks the other fields' token
/// types without materializing them, and builds the one full record the entry shows (the next
/// feature). Anything unexpected hands over to <see cref="FeatureListParser"/>, which produces the
/// precise error, so both readers accept and reject exactly the same files.
/// </summary>
internal static class FeatureSummaryReader
{
    private static readonly JsonReaderOptions Options = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    public static FeatureSummary Read(string path, byte[] bytes, FeatureListFormat format)
    {
        var json = bytes.AsSpan().StartsWith("\uFEFF"u8) ? bytes.AsSpan(3) : bytes.AsSpan();
        try
        {
            if (TryScan(json, format, out var heads, out var next))
            {
                var problems = FeatureValidation.Validate(heads);
                return new FeatureSummary
                {
                    Path = path,
                    Format = format,
                    Counts = FeatureCounts.Of(heads),
                    NextFeature = next is { } n ? Materialize(path, json, n, format, heads.Count) : null,
                    Problems = problems,
                };
            }
        }
        catch (JsonException)
        {
            // Malformed JSON: the full parser reports it with line and column.
        }

        return FeatureListParser.Parse(JsonFile.Unparsed(path, bytes), bytes, format).ToSummary();
    }

    private readonly record struct ItemRange(int Index, int Start, int End);

    private static bool TryScan(ReadOnlySpan<byte> json, FeatureListFormat format, out List<(string Id, string Status)> heads, out ItemRange? next)
    {
        heads = [];
        next = null;
        ItemRange? firstPending = null;
        var reader = new Utf8JsonReader(json, Options);
        if (!reader.Read())
        {
            return false;
        }

        if (format == FeatureListFormat.Seed)
        {
            if (reader.TokenType != JsonTokenType.StartObject || !SeekProperty(ref reader, "features"u8) || reader.TokenType != JsonTokenType.StartArray)
            {
                return false;
            }
        }
        else if (reader.TokenType != JsonTokenType.StartArray)
        {
            return false;
        }

        var seed = format == FeatureListFormat.Seed;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var index = heads.Count;
            var start = (int)reader.TokenStartIndex;
            if (reader.TokenType != JsonTokenType.StartObject || !TryReadItem(ref reader, seed, out var id, out var status))
            {
                return false;
            }

            // Missing ids: "#n" in the seed format; in the quickstart's, filled in by position below.
            id = string.IsNullOrWhiteSpace(id) ? (seed ? $"#{index + 1}" : "") : id;
            heads.Add((id, status));
            var range = new ItemRange(index, start, (int)reader.BytesConsumed);
            if (next is null && status == FeatureStatuses.InProgress)
            {
                next = range;
            }
            else if (firstPending is null && status == FeatureStatuses.Pending)
            {
                firstPending = range;
            }
        }

        if (!seed)
        {
            // Quickstart ids derive from the position, padded to the list's length: known only now.
            var width = FeatureListParser.QuickstartIdWidth(heads.Count);
            for (var i = 0; i < heads.Count; i++)
            {
                if (heads[i].Id.Length == 0)
                {
                    heads[i] = (FeatureListParser.QuickstartId(i, width), heads[i].Status);
                }
            }
        }

        next ??= firstPending;
        return true;
    }

    /// <summary>Reads one feature object; false on any token the full parser would reject.</summary>
    private static bool TryReadItem(ref Utf8JsonReader reader, bool seed, out string? id, out string status)
    {
        id = null;
        status = FeatureStatuses.Pending;
        string? explicitStatus = null;
        var passes = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("id"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.String)
                {
                    id = reader.GetString();
                }
                else if (reader.TokenType == JsonTokenType.Number)
                {
                    id = Encoding.UTF8.GetString(reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan);
                }
                else if (reader.TokenType != JsonTokenType.Null)
                {
                    return false;
                }
            }
            else if (reader.ValueTextEquals("status"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.String)
                {
                    explicitStatus = KnownStatus(ref reader) ?? reader.GetString();
                }
                else if (reader.TokenType != JsonTokenType.Null)
                {
                    return false;
                }
            }
            else if (!seed && reader.ValueTextEquals("passes"u8))
            {
                reader.Read();
                if (reader.TokenType is JsonTokenType.True or JsonTokenType.False)
                {
                    passes = reader.TokenType == JsonTokenType.True;
                }
                else if (reader.TokenType != JsonTokenType.Null)
                {
                    return false;
                }
            }
            else if (reader.ValueTextEquals("name"u8) || reader.ValueTextEquals("description"u8) ||
                     reader.ValueTextEquals("category"u8) || reader.ValueTextEquals("notes"u8))
            {
                reader.Read();
                if (reader.TokenType is not (JsonTokenType.String or JsonTokenType.Null))
                {
                    return false;
                }
            }
            else if (reader.ValueTextEquals("steps"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartArray)
                {
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    {
                        if (reader.TokenType != JsonTokenType.String)
                        {
                            return false;
                        }
                    }
                }
                else if (reader.TokenType != JsonTokenType.Null)
                {
                    return false;
                }
            }
            else if (reader.ValueTextEquals("attempts"u8))
            {
                reader.Read();
                if (!(reader.TokenType == JsonTokenType.Null || (reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var n) && n >= 0)))
                {
                    return false;
                }
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        status = explicitStatus ?? (seed || !passes ? FeatureStatuses.Pending : FeatureStatuses.Completed);
        return reader.TokenType == JsonTokenType.EndObject;
    }

    // The five statuses cover nearly every feature: return the constants instead of 10,000 new strings.
    private static string? KnownStatus(ref Utf8JsonReader reader) =>
        reader.ValueTextEquals("pending"u8) ? FeatureStatuses.Pending
        : reader.ValueTextEquals("completed"u8) ? FeatureStatuses.Completed
        : reader.ValueTextEquals("in_progress"u8) ? FeatureStatuses.InProgress
        : reader.ValueTextEquals("tested"u8) ? FeatureStatuses.Tested
        : reader.ValueTextEquals("blocked"u8) ? FeatureStatuses.Blocked
        : null;

    private static bool SeekProperty(ref Utf8JsonReader reader, ReadOnlySpan<byte> name)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var match = reader.ValueTextEquals(name);
            reader.Read();
            if (match)
            {
                return true;
            }

            reader.Skip();
        }

        return false;
    }

    private static Feature Materialize(string path, ReadOnlySpan<byte> json, ItemRange range, FeatureListFormat format, int count)
    {
        using var item = JsonDocument.Parse(json[range.Start..range.End].ToArray(), new JsonDocumentOptions
        {
            CommentHandling = JsonCommentHandling.Skip,
            AllowTrailingCommas = true,
        });
        var validator = new JsonValidator(JsonFile.Unparsed(path, []));
        return format == FeatureListFormat.Seed
            ? FeatureListParser.SeedItem(item.RootElement, range.Index, "$", path, validator)
            : FeatureListParser.QuickstartItem(item.RootElement, range.Index, FeatureListParser.QuickstartIdWidth(count), "$", path, validator);
    }
}
