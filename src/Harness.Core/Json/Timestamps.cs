using System.Globalization;
using System.Text.Json;

namespace Harness.Core.Json;

/// <summary>
/// Every way the harness writes a point in time, in one place. Files and <c>--json</c> output use
/// one format, <see cref="Utc"/>; the others are names (file and ref stamps), git's own dates, and
/// text for people. Reading accepts any ISO 8601 form the harness or the seed ever wrote.
/// </summary>
internal static class Timestamps
{
    /// <summary>The wire format: UTC with milliseconds, <c>2026-01-15T10:11:12.123Z</c>.</summary>
    public static string Utc(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>UTC to the second, <c>2026-01-15T10:11:12Z</c>: summaries, MSBuild outputs, <c>git log --since</c>.</summary>
    public static string UtcSeconds(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>A name that sorts by time, to the millisecond: checkpoints, transcripts (<c>20260115T101112123Z</c>).</summary>
    public static string Stamp(DateTimeOffset t) => t.UtcDateTime.ToString("yyyyMMdd'T'HHmmssfff'Z'", CultureInfo.InvariantCulture);

    /// <summary>A name that sorts by time, to the second: session summaries and ids (<c>20260115T101112Z</c>).</summary>
    public static string StampSeconds(DateTimeOffset t) => t.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);

    /// <summary>For a sentence a person reads: <c>2026-01-15 10:11:12Z</c>.</summary>
    public static string Display(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>A commit's date as git states it, in the author's own zone: <c>2025-12-28T10:00:01-05:00</c>.</summary>
    public static string WithOffset(DateTimeOffset t) => t.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    /// <summary>
    /// Any ISO 8601 date and time: the wire format, the lock's old round-trip form
    /// (<c>...1200000+00:00</c>), seconds only, any offset (<c>date -Iseconds</c>); no zone means UTC.
    /// </summary>
    public static bool TryParse(string? text, out DateTimeOffset value) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out value);

    /// <summary>The string under <paramref name="reader"/> as a time (<see cref="TryParse"/>); a <see cref="JsonException"/> for anything else.</summary>
    internal static DateTimeOffset Read(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.String && TryParse(reader.GetString(), out var value)
            ? value
            : throw new JsonException($"expected an ISO 8601 date and time ({Example})");

    /// <summary>What an error message shows as a valid time.</summary>
    internal const string Example = "2025-12-28T10:00:00Z";
}
