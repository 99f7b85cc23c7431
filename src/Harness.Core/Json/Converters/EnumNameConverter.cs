using System.Text.Json;
using System.Text.Json.Serialization;

namespace Harness.Core.Json.Converters;

/// <summary>
/// An enum as its member's name, exactly as declared: the seed's upper-case values (<c>START</c>,
/// <c>HEALTHY</c>, <c>TIMED_OUT</c>) and the feature list's format (<c>Seed</c>). Reads names only,
/// case-sensitive (no numbers, no <c>"START, INIT"</c>); JSON null reads as the first member.
/// </summary>
internal sealed class EnumNameConverter<T> : JsonConverter<T>
    where T : struct, Enum
{
    private static readonly EnumNames<T> Names = new(Enum.GetNames<T>());

    public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => Names.Read(ref reader);

    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => writer.WriteStringValue(Names.Encoded(value));
}

/// <summary>
/// An enum as the snake_case of its name (<c>SessionEnded</c> → <c>session_ended</c>), by the one
/// naming policy of <see cref="HarnessJsonContext"/>. Derived converters name older spellings that
/// are still read.
/// </summary>
internal class SnakeCaseEnumConverter<T> : JsonConverter<T>
    where T : struct, Enum
{
    private static readonly EnumNames<T> SnakeNames = new(Array.ConvertAll(Enum.GetNames<T>(), JsonNamingPolicy.SnakeCaseLower.ConvertName));

    private readonly (string Spelling, T Value)[] _alsoRead;

    public SnakeCaseEnumConverter()
        : this([])
    {
    }

    protected SnakeCaseEnumConverter(params (string Spelling, T Value)[] alsoRead) => _alsoRead = alsoRead;

    /// <summary>The one spelling of <paramref name="value"/> on the wire.</summary>
    public static string Name(T value) => SnakeNames.Name(value);

    public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        foreach (var (spelling, value) in _alsoRead)
        {
            if (reader.TokenType == JsonTokenType.String && reader.ValueTextEquals(spelling))
            {
                return value;
            }
        }

        return SnakeNames.Read(ref reader);
    }

    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => writer.WriteStringValue(SnakeNames.Encoded(value));
}

/// <summary>One enum's wire names, index for index with <see cref="Enum.GetValues{TEnum}"/>.</summary>
internal sealed class EnumNames<T>
    where T : struct, Enum
{
    private readonly T[] _values = Enum.GetValues<T>();
    private readonly string[] _names;
    private readonly JsonEncodedText[] _encoded;

    public EnumNames(string[] names)
    {
        _names = names;
        _encoded = Array.ConvertAll(names, n => JsonEncodedText.Encode(n));
    }

    public string Name(T value) => _names[IndexOf(value)];

    public JsonEncodedText Encoded(T value) => _encoded[IndexOf(value)];

    public T Read(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return default;
        }

        if (reader.TokenType == JsonTokenType.String)
        {
            for (var i = 0; i < _names.Length; i++)
            {
                if (reader.ValueTextEquals(_names[i]))
                {
                    return _values[i];
                }
            }
        }

        throw new JsonException($"expected one of {string.Join(", ", _names)}");
    }

    private int IndexOf(T value)
    {
        var i = Array.IndexOf(_values, value);
        return i >= 0 ? i : throw new ArgumentOutOfRangeException(nameof(value), value, $"not a named {typeof(T).Name}");
    }
}
