namespace Harness.Core.Project;

/// <summary>Which of <c>required_env</c> are missing. Reports names only: values may be secrets.</summary>
internal static class EnvironmentCheck
{
    /// <summary>Names that are unset or empty, in config order.</summary>
    public static IReadOnlyList<string> MissingVariables(ProjectConfig config, Func<string, string?>? lookup = null)
    {
        lookup ??= Environment.GetEnvironmentVariable;
        return config.RequiredEnv.Where(name => string.IsNullOrEmpty(lookup(name))).Distinct(StringComparer.Ordinal).ToArray();
    }
}
