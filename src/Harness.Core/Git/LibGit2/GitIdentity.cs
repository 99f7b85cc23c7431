using System.Globalization;
using Harness.Core.Errors;
using LibGit2Sharp;

namespace Harness.Core.Git;

/// <summary>
/// Who a commit the harness writes is by, resolved as git resolves it (ident.c): the
/// GIT_AUTHOR_* / GIT_COMMITTER_* variables, then <c>author.*</c> / <c>committer.*</c>, then
/// <c>user.*</c>, then EMAIL for the address. git would go on to guess from the account and host
/// name; the harness does not guess: without a configured name and address it uses its own
/// identity and says so (CheckpointStore warns).
/// </summary>
internal static class GitIdentity
{
    /// <summary>Author and committer, or null when git has none configured. <paramref name="harnessIdentity"/>: as <c>-c user.name=Harness -c user.email=...</c>.</summary>
    public static (Signature Author, Signature Committer)? Resolve(Configuration config, bool harnessIdentity, DateTimeOffset now)
    {
        var author = Person(config, "AUTHOR", "author", harnessIdentity, now);
        var committer = Person(config, "COMMITTER", "committer", harnessIdentity, now);
        return author is null || committer is null ? null : (author, committer);
    }

    private static Signature? Person(Configuration config, string variable, string section, bool harnessIdentity, DateTimeOffset now)
    {
        var name = NonEmpty(Environment.GetEnvironmentVariable($"GIT_{variable}_NAME"))
            ?? NonEmpty(config.GetValueOrDefault<string>($"{section}.name"))
            ?? (harnessIdentity ? GitCli.HarnessUserName : NonEmpty(config.GetValueOrDefault<string>("user.name")));
        var email = NonEmpty(Environment.GetEnvironmentVariable($"GIT_{variable}_EMAIL"))
            ?? NonEmpty(config.GetValueOrDefault<string>($"{section}.email"))
            ?? (harnessIdentity ? GitCli.HarnessUserEmail : NonEmpty(config.GetValueOrDefault<string>("user.email")) ?? NonEmpty(Environment.GetEnvironmentVariable("EMAIL")));
        if (name is null || email is null)
        {
            return null;
        }

        var dateVariable = $"GIT_{variable}_DATE";
        var date = Environment.GetEnvironmentVariable(dateVariable) is { Length: > 0 } text ? ParseDate(dateVariable, text) : now;
        return new Signature(name, email, date);
    }

    /// <summary>
    /// The date forms git's own tools write and tests set: <c>@seconds +hhmm</c> / <c>seconds +hhmm</c>
    /// (git's internal format), ISO 8601 and RFC 2822.
    /// </summary>
    internal static DateTimeOffset ParseDate(string variable, string text)
    {
        var value = text.Trim();
        var parts = value.TrimStart('@').Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length is 1 or 2 && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && (value.StartsWith('@') || parts.Length == 2))
        {
            var offset = parts.Length == 2 ? ParseOffset(parts[1]) : TimeSpan.Zero;
            if (offset is not null)
            {
                return DateTimeOffset.FromUnixTimeSeconds(seconds).ToOffset(offset.Value);
            }
        }

        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces | DateTimeStyles.AssumeUniversal, out var parsed))
        {
            return parsed;
        }

        throw new HarnessException(ErrorIds.GitFailed, HarnessErrorCategory.InvalidArgument, $"{variable} is '{text}', a date the harness cannot read.")
        {
            Fix = $"Set {variable} to '@<seconds since 1970> +0000', an ISO 8601 date (2026-12-02T10:00:00+01:00) or an RFC 2822 date, or unset it.",
        };
    }

    private static TimeSpan? ParseOffset(string text)
    {
        if (text.Length != 5 || (text[0] != '+' && text[0] != '-') || !int.TryParse(text.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var hhmm))
        {
            return null;
        }

        var offset = new TimeSpan(hhmm / 100, hhmm % 100, 0);
        return text[0] == '-' ? -offset : offset;
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
