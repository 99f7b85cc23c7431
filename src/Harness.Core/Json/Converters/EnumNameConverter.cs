using System.Text.Json;
using System.Text.Json.Serialization;

namespace Harness.Core.Json.Converters;

/// <summary>
/// The seed's enum values (<c>START</c>, <c>HEALTHY</c>) in files the harness reads: the member's
/// name exactly as declared. Reads names only, case-sensitive (no numbers, no <c>"START, INIT"</c>);
/// JSON null reads as the first member (<c>UNKNOWN</c>, <c>START</c>), as the validation allows it.
/// Put on the enum type, so every property of that type uses it.
/// </summary>
internal sealed class EnumNameConverter<T> : JsonConverter<T>
    where T : struct, Enum
{
    public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.Null ? default
        : reader.TokenType == JsonTokenType.String && EnumNames<T>.Declared.Find(ref reader) is { } value ? value
        : throw new JsonException($"expected one of {string.Join(", ", EnumNames<T>.Declared.All)}");

    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => writer.WriteStringValue(EnumNames<T>.Declared.Of(value));
}

/// <summary>One enum's wire spellings, index for index with <see cref="Enum.GetValues{TEnum}"/>.</summary>
internal sealed class EnumNames<T>
    where T : struct, Enum
{
    private readonly T[] _values = Enum.GetValues<T>();

    private EnumNames(string[] names) => All = names;

    /// <summary>The names as declared: the seed's upper-case values, <c>Seed</c>/<c>Quickstart</c>.</summary>
    public static EnumNames<T> Declared { get; } = new(Enum.GetNames<T>());

    /// <summary>The names by the harness's one naming policy: <c>SessionEnded</c> → <c>session_ended</c>.</summary>
    public static EnumNames<T> SnakeCase { get; } = new(Array.ConvertAll(Enum.GetNames<T>(), JsonNamingPolicy.SnakeCaseLower.ConvertName));

    public IReadOnlyList<string> All { get; }

    public string Of(T value)
    {
        var i = Array.IndexOf(_values, value);
        return i >= 0 ? All[i] : throw new ArgumentOutOfRangeException(nameof(value), value, $"not a named {typeof(T).Name}");
    }

    public T? Find(string text)
    {
        for (var i = 0; i < All.Count; i++)
        {
            if (string.Equals(All[i], text, StringComparison.Ordinal))
            {
                return _values[i];
            }
        }

        return null;
    }

    public T? Find(ref Utf8JsonReader reader)
    {
        for (var i = 0; i < All.Count; i++)
        {
            if (reader.ValueTextEquals(All[i]))
            {
                return _values[i];
            }
        }

        return null;
    }
}
