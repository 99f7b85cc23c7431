namespace Harness.Build.Tests;

/// <summary>
/// The environment of every dotnet process a test starts: the test machine's CI variables and the
/// MSBuild variables `dotnet test` leaves behind are removed, so a result is the same on a laptop
/// and on a CI runner, and git ignores the machine's config.
/// </summary>
internal static class ChildEnvironment
{
    /// <summary>Exact names CI systems set (GitHub Actions, Azure Pipelines, GitLab, Jenkins, ...).</summary>
    public static readonly string[] CiVariables =
    [
        "CI", "CONTINUOUS_INTEGRATION", "GITHUB_ACTIONS", "TF_BUILD", "GITLAB_CI", "JENKINS_URL",
        "TEAMCITY_VERSION", "APPVEYOR", "TRAVIS", "CIRCLECI", "BUILDKITE", "BITBUCKET_BUILD_NUMBER",
        "BUILD_BUILDID", "BUILD_SOURCESDIRECTORY",
    ];

    /// <summary>Prefixes of whole CI variable families (GITHUB_OUTPUT, RUNNER_TEMP, SYSTEM_TEAMFOUNDATION..., AGENT_ID, ...).</summary>
    public static readonly string[] CiPrefixes = ["GITHUB_", "RUNNER_", "SYSTEM_TEAMFOUNDATION", "AGENT_", "CI_", "BUILDKITE_"];

    public static Dictionary<string, string> For(IReadOnlyDictionary<string, string> inherited, string? nugetPackages)
    {
        var env = new Dictionary<string, string>(inherited, StringComparer.Ordinal);
        foreach (var name in env.Keys.ToArray())
        {
            if (IsCi(name) || name.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase) || name.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase))
            {
                env.Remove(name);
            }
        }

        if (nugetPackages is not null)
        {
            env["NUGET_PACKAGES"] = nugetPackages;
        }

        env["MSBUILDDISABLENODEREUSE"] = "1";
        env["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        env["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        env["DOTNET_NOLOGO"] = "1";
        env["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        env["DOTNET_CLI_UI_LANGUAGE"] = "en";
        env["GIT_CONFIG_GLOBAL"] = OperatingSystem.IsWindows() ? "NUL" : "/dev/null";
        env["GIT_CONFIG_NOSYSTEM"] = "1";
        return env;
    }

    public static bool IsCi(string name) =>
        CiVariables.Contains(name, StringComparer.OrdinalIgnoreCase) ||
        CiPrefixes.Any(p => name.StartsWith(p, StringComparison.OrdinalIgnoreCase));

    public static IReadOnlyDictionary<string, string> Current()
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry e in Environment.GetEnvironmentVariables())
        {
            env[(string)e.Key] = (string?)e.Value ?? "";
        }

        return env;
    }
}
