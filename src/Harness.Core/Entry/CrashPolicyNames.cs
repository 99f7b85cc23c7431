namespace Harness.Core.Entry;

/// <summary>
/// The one spelling of <see cref="CrashPolicy"/> for people: <c>keep</c> and <c>rollback</c>, as
/// every front takes it (<c>--on-crash</c>, <c>HarnessOnCrash</c>, <c>HarnessLoopOnCrash</c>) and
/// project.json and the entry report write it.
/// </summary>
internal static class CrashPolicyNames
{
    public const string Keep = "keep";
    public const string Rollback = "rollback";

    public static readonly IReadOnlyList<string> All = [Keep, Rollback];

    /// <summary>The policy a name means, in any case; empty or null means the default, <see cref="CrashPolicy.Keep"/>; anything else is null.</summary>
    public static CrashPolicy? Parse(string? value) => string.IsNullOrWhiteSpace(value) ? CrashPolicy.Keep : value.Trim().ToLowerInvariant() switch
    {
        Keep => CrashPolicy.Keep,
        Rollback => CrashPolicy.Rollback,
        _ => null,
    };

    public static string Of(CrashPolicy policy) => policy == CrashPolicy.Rollback ? Rollback : Keep;

    /// <summary>The advice every front gives for a name it does not know.</summary>
    public static string Invalid(string what, string? value) => $"{what} is '{value}'; use {Keep} (the default) or {Rollback}.";
}
