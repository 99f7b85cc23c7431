using System.Globalization;
using System.Text.RegularExpressions;

namespace Harness.Core.Loop.Outages;

/// <summary>
/// A subscription login's usage limit as Claude Code words it in its own error events: "You've hit
/// your limit · resets 5pm (Europe/Vilnius)", "You've hit your session limit · resets …", "You've hit
/// your weekly limit · resets Dec 8, 9am (…)", "Session limit reached ∙ resets 10am", and the older
/// "Claude AI usage limit reached|1760000000". Only ever given the text of a structured error (an
/// error result's <c>result</c>, an assistant event's <c>error</c> message): a README or a tool's
/// output that mentions a "5-hour limit" must not stop a loop.
/// </summary>
internal static partial class UsageLimitMessage
{
    /// <summary>A recognised limit: its words, and when it resets (null when the text does not say, or says it in a way not understood).</summary>
    public sealed record UsageLimit(string Text, DateTimeOffset? ResetsAt);

    public static UsageLimit? Recognise(string? text, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(text) || !LimitWords().IsMatch(text))
        {
            return null;
        }

        var line = text.Trim().Split('\n')[0].Trim();
        var unix = UnixReset().Match(text);
        if (unix.Success && long.TryParse(unix.Groups["s"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return new UsageLimit(line, DateTimeOffset.FromUnixTimeSeconds(seconds));
        }

        var reset = Reset().Match(text);
        return new UsageLimit(line, reset.Success ? ResetTime(reset, now) : null);
    }

    /// <summary>The next moment the wall clock in the message's zone shows the reset time (on its date or weekday when given).</summary>
    private static DateTimeOffset? ResetTime(Match m, DateTimeOffset now)
    {
        var zone = TimeZoneInfo.Local;
        if (m.Groups["zone"].Success)
        {
            try
            {
                zone = TimeZoneInfo.FindSystemTimeZoneById(m.Groups["zone"].Value.Trim());
            }
            catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
            {
                return null;
            }
        }

        var hour = int.Parse(m.Groups["h"].Value, CultureInfo.InvariantCulture);
        var minute = m.Groups["m"].Success ? int.Parse(m.Groups["m"].Value, CultureInfo.InvariantCulture) : 0;
        if (m.Groups["ampm"].Success)
        {
            if (hour is < 1 or > 12)
            {
                return null;
            }

            hour = (hour % 12) + (m.Groups["ampm"].Value.Equals("pm", StringComparison.OrdinalIgnoreCase) ? 12 : 0);
        }

        if (hour > 23 || minute > 59)
        {
            return null;
        }

        var local = TimeZoneInfo.ConvertTime(now, zone);
        var time = new TimeSpan(hour, minute, 0);
        DateTime candidate;
        if (m.Groups["month"].Success)
        {
            var month = Array.FindIndex(Months, name => m.Groups["month"].Value.StartsWith(name, StringComparison.OrdinalIgnoreCase)) + 1;
            var day = int.Parse(m.Groups["day"].Value, CultureInfo.InvariantCulture);
            if (day > DateTime.DaysInMonth(local.Year, month))
            {
                return null;
            }

            candidate = new DateTime(local.Year, month, day, 0, 0, 0, DateTimeKind.Unspecified) + time;

            // "Jan 2" read in late December is next year's.
            if (candidate < local.DateTime.AddDays(-1) && day <= DateTime.DaysInMonth(local.Year + 1, month))
            {
                candidate = candidate.AddYears(1);
            }
        }
        else
        {
            candidate = local.Date + time;
            if (m.Groups["dow"].Success)
            {
                var target = Array.FindIndex(Days, name => m.Groups["dow"].Value.StartsWith(name, StringComparison.OrdinalIgnoreCase));
                candidate = candidate.AddDays(((target - (int)local.DayOfWeek) + 7) % 7);
                if (candidate <= local.DateTime)
                {
                    candidate = candidate.AddDays(7);
                }
            }
            else if (candidate <= local.DateTime)
            {
                candidate = candidate.AddDays(1);
            }
        }

        // A time the zone skips (a DST gap) resolves to the same wall time at the offset before it.
        var unspecified = DateTime.SpecifyKind(candidate, DateTimeKind.Unspecified);
        return new DateTimeOffset(unspecified, zone.GetUtcOffset(unspecified));
    }

    private static readonly string[] Months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    private static readonly string[] Days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

    [GeneratedRegex(@"hit your (?:[\w-]+ )?limit|(?:usage|session|weekly|[\w-]*hour|daily|opus|sonnet) limit reached", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex LimitWords();

    [GeneratedRegex(@"limit reached\|(?<s>\d{9,11})\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex UnixReset();

    [GeneratedRegex(
        @"\bresets\s+(?:at\s+|on\s+)?(?:(?<month>jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+(?<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?:at\s+)?|(?<dow>sun|mon|tue|wed|thu|fri|sat)[a-z]*,?\s+(?:at\s+)?)?(?<h>\d{1,2})(?::(?<m>\d{2}))?\s*(?<ampm>am|pm)?\b(?:\s*\((?<zone>[^)]+)\))?",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Reset();
}
