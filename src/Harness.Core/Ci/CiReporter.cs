namespace Harness.Core.Ci;

/// <summary>The CI system a process runs under, as far as its environment tells.</summary>
internal enum CiSystem
{
    /// <summary>Not a CI system we know (or none): nothing extra is printed or written.</summary>
    None,

    /// <summary><c>GITHUB_ACTIONS=true</c>.</summary>
    GitHubActions,

    /// <summary><c>TF_BUILD=True</c> (Azure Pipelines, Azure DevOps Server).</summary>
    AzureDevOps,
}

internal enum AnnotationLevel
{
    Error,
    Warning,
    Notice,
}

/// <summary>How a step ended, for systems that record it (Azure's <c>task.complete</c>).</summary>
internal enum CiResult
{
    Succeeded,
    SucceededWithIssues,
    Failed,
}

/// <summary>One annotation; <see cref="File"/> is made relative to the checkout when it lies inside it.</summary>
internal sealed record CiAnnotation(AnnotationLevel Level, string Message)
{
    public string? File { get; init; }

    /// <summary>1-based; ignored without <see cref="File"/>.</summary>
    public int? Line { get; init; }

    /// <summary>1-based; ignored without <see cref="Line"/>.</summary>
    public int? Column { get; init; }

    /// <summary>GitHub shows it as the annotation's heading; Azure has none, so it prefixes the message there.</summary>
    public string? Title { get; init; }
}

/// <summary>
/// What the fronts ask of a CI system. One instance per process, picked by
/// <see cref="CiEnvironment.CreateReporter"/>; the plain one does nothing, so callers never branch.
/// Commands go to the writer the reporter was made with (stdout, or stderr when stdout carries JSON:
/// both runners read commands from either stream).
/// </summary>
internal interface ICiReporter
{
    CiSystem System { get; }

    /// <summary>False for the plain reporter: callers may skip building what it would drop.</summary>
    bool IsActive { get; }

    void Annotate(CiAnnotation annotation);

    /// <summary>Starts a collapsible group in the log; pair with <see cref="EndGroup"/>.</summary>
    void StartGroup(string title);

    void EndGroup();

    /// <summary>Masks a secret in the rest of the job's log (each line of a multi-line value too).</summary>
    void Mask(string secret);

    /// <summary>A step output (GitHub <c>$GITHUB_OUTPUT</c>) or output variable (Azure <c>isOutput=true</c>).</summary>
    void SetOutput(string name, string value);

    /// <summary>Several outputs in one append (GitHub: one write to <c>$GITHUB_OUTPUT</c>).</summary>
    void SetOutputs(IReadOnlyList<KeyValuePair<string, string>> outputs);

    /// <summary>Markdown for the job summary (GitHub <c>$GITHUB_STEP_SUMMARY</c>, Azure <c>task.uploadsummary</c>).</summary>
    void AppendSummary(string markdown);

    /// <summary>The step's result where the system records one (Azure <c>task.complete</c>); nothing elsewhere.</summary>
    void Complete(CiResult result, string? message = null);

    /// <summary>
    /// Prints text that did not come from the harness (health check output, feature names) so the
    /// runner cannot read any line of it as a command: GitHub <c>::stop-commands::</c>, Azure defused
    /// <c>##vso[</c>/<c>##[</c>; plain: as is. Ends with a newline.
    /// </summary>
    void WriteUntrusted(string text);
}

/// <summary>Environment detection: a couple of variable lookups, cheap enough for every entry.</summary>
internal static class CiEnvironment
{
    public static CiSystem Detect(Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        if (string.Equals(environment("GITHUB_ACTIONS"), "true", StringComparison.OrdinalIgnoreCase))
        {
            return CiSystem.GitHubActions;
        }

        return string.Equals(environment("TF_BUILD"), "True", StringComparison.OrdinalIgnoreCase) ? CiSystem.AzureDevOps : CiSystem.None;
    }

    /// <summary>The reporter for this environment, writing its commands to <paramref name="commands"/>.</summary>
    public static ICiReporter CreateReporter(TextWriter commands, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        return Detect(environment) switch
        {
            CiSystem.GitHubActions => new GitHubActionsReporter(
                commands,
                outputFile: NullIfEmpty(environment("GITHUB_OUTPUT")),
                summaryFile: NullIfEmpty(environment("GITHUB_STEP_SUMMARY")),
                workspace: NullIfEmpty(environment("GITHUB_WORKSPACE"))),
            CiSystem.AzureDevOps => new AzureDevOpsReporter(
                commands,
                summaryDirectory: NullIfEmpty(environment("AGENT_TEMPDIRECTORY")),
                workspace: NullIfEmpty(environment("BUILD_SOURCESDIRECTORY"))),
            _ => new PlainReporter(commands),
        };
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}

/// <summary>No CI system: nothing extra; untrusted text is printed as is.</summary>
internal sealed class PlainReporter(TextWriter output) : ICiReporter
{

    public CiSystem System => CiSystem.None;

    public bool IsActive => false;

    public void Annotate(CiAnnotation annotation)
    {
    }

    public void StartGroup(string title)
    {
    }

    public void EndGroup()
    {
    }

    public void Mask(string secret)
    {
    }

    public void SetOutput(string name, string value)
    {
    }

    public void SetOutputs(IReadOnlyList<KeyValuePair<string, string>> outputs)
    {
    }

    public void AppendSummary(string markdown)
    {
    }

    public void Complete(CiResult result, string? message = null)
    {
    }

    public void WriteUntrusted(string text) => output.WriteLine(text);
}
