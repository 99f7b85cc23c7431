using System.Management.Automation;
using Harness.Core.Errors;
using Harness.Core.Project;
using Harness.PowerShell.Hosting;

namespace Harness.PowerShell.Commands;

/// <summary>
/// What every Harness cmdlet shares: path resolution the PowerShell way, the host, stopping
/// (Ctrl+C, <c>Stop()</c>, <c>Select-Object -First</c>), the project path on every output object,
/// and the one mapping from a Core error to an <see cref="ErrorRecord"/>. No Harness behaviour lives here.
/// </summary>
/// <remarks>
/// Every cmdlet has -Path (wildcards, position 0 where it takes strings) and -LiteralPath (aliases
/// PSPath, LP, FullName, ProjectRoot) in two parameter sets, LiteralPath the default: an object
/// with a ProjectRoot (every Harness output) or a PSPath (Get-ChildItem's) binds -LiteralPath by
/// property name, a string binds -Path. No cmdlet may have a field of a Harness.Core value type:
/// see <see cref="Module.ModuleInitializer.RegisterResolver"/>.
/// </remarks>
public abstract class HarnessCmdlet : PSCmdlet
{
    /// <summary>Error id when a path names something outside the file system (a registry key, a variable).</summary>
    public const string PathNotFileSystemErrorId = "Harness.PathNotFileSystem";

    /// <summary>Error id when two parameters that exclude each other are given together.</summary>
    public const string ParameterConflictErrorId = "Harness.ParameterConflict";

    /// <summary>The note property every output object gets: the root of the project it came from (binds -LiteralPath).</summary>
    public const string ProjectRootProperty = "ProjectRoot";

    internal const string PathSet = "Path";
    internal const string LiteralPathSet = "LiteralPath";

    private readonly CancellationTokenSource _stopping = new();
    private CmdletHost? _host;
    private List<PSObject>? _results;

    /// <summary>Cancelled when the pipeline stops: Ctrl+C, <c>PowerShell.Stop()</c>, or a downstream <c>Select-Object -First</c>.</summary>
    internal CancellationToken CancelOnStop => _stopping.Token;

    internal CmdletHost HarnessHost => _host ??= new CmdletHost(this, _stopping);

    protected override void StopProcessing() => _stopping.Cancel();

    /// <summary>
    /// The file-system paths the command works on: <paramref name="path"/> with wildcards expanded
    /// (a pattern that matches nothing is an error for that pattern, as Resolve-Path reports it),
    /// else <paramref name="literalPath"/> as typed, else PowerShell's current location. Relative
    /// paths are resolved against the current location and drives (Core's process directory is not it).
    /// </summary>
    internal IReadOnlyList<string> ResolveTargets(string[]? path, string[]? literalPath)
    {
        if (path is null && literalPath is null)
        {
            return [SessionState.Path.CurrentFileSystemLocation.ProviderPath];
        }

        var targets = new List<string>();
        foreach (var literal in literalPath ?? [])
        {
            targets.Add(ResolveLiteral(literal));
        }

        foreach (var pattern in path ?? [])
        {
            if (!WildcardPattern.ContainsWildcardCharacters(pattern))
            {
                targets.Add(ResolveLiteral(pattern));
                continue;
            }

            try
            {
                var resolved = SessionState.Path.GetResolvedProviderPathFromPSPath(pattern, out var provider);
                RequireFileSystem(pattern, provider);
                if (resolved.Count == 0)
                {
                    throw new ItemNotFoundException(pattern);
                }

                targets.AddRange(resolved);
            }
            catch (ItemNotFoundException)
            {
                var notFound = new HarnessException(ErrorIds.ProjectNotFound, HarnessErrorCategory.ObjectNotFound, $"{pattern}: no file or folder matches.")
                {
                    Fix = "Check the pattern, or pass the folder with -LiteralPath when its name has [ ] * or ? in it.",
                };
                WriteError(ToErrorRecord(notFound, pattern));
            }
        }

        return targets;
    }

    /// <summary>One path taken literally (a provider-qualified PSPath too); whether it exists is Core's to say.</summary>
    internal string ResolveLiteral(string path)
    {
        var resolved = SessionState.Path.GetUnresolvedProviderPathFromPSPath(path, out var provider, out _);
        RequireFileSystem(path, provider);
        return resolved;
    }

    private void RequireFileSystem(string path, ProviderInfo provider)
    {
        if (!string.Equals(provider.Name, "FileSystem", StringComparison.OrdinalIgnoreCase))
        {
            ThrowTerminatingError(new ErrorRecord(
                new ArgumentException($"{path}: not a file system path (provider {provider.Name}). Pass a project folder."),
                PathNotFileSystemErrorId,
                ErrorCategory.InvalidArgument,
                path));
        }
    }

    /// <summary>Opens the project a resolved folder (or file) is in; dispose it when the item is done, which releases the lock.</summary>
    internal HarnessProject OpenProject(string directory) =>
        HarnessProject.OpenAsync(directory, HarnessHost, cancellationToken: CancelOnStop).GetAwaiter().GetResult();

    /// <summary>
    /// Runs <paramref name="action"/> on each target's project, one project open at a time; a
    /// failure of one item is reported (<see cref="ReportError"/>) and the next item goes on.
    /// What the action writes with <see cref="WriteResult"/> goes down the pipeline once the
    /// project is closed and its lock released: the next cmdlet (<c>Invoke-SessionEntry | Save-Checkpoint</c>)
    /// opens the same project, and would find it locked while this one still held it.
    /// </summary>
    internal void ForEachProject(IEnumerable<string> targets, Action<HarnessProject> action)
    {
        foreach (var directory in targets)
        {
            var results = new List<PSObject>();
            _results = results;
            try
            {
                using var project = OpenProject(directory);
                action(project);
            }
            catch (Exception ex) when (IsReportable(ex))
            {
                ReportError(ex, directory);
            }
            finally
            {
                _results = null;
            }

            foreach (var result in results)
            {
                WriteObject(result);
            }
        }
    }

    /// <summary>The object with the project's root as a note property, so it pipes into every other Harness cmdlet.</summary>
    internal static PSObject WithProjectRoot(object value, HarnessProject project)
    {
        var output = PSObject.AsPSObject(value);
        if (output.Properties[ProjectRootProperty] is null)
        {
            output.Properties.Add(new PSNoteProperty(ProjectRootProperty, project.Root));
        }

        return output;
    }

    /// <summary>Writes a result of <paramref name="project"/>, carrying its root: after the project is closed inside <see cref="ForEachProject"/>, else now.</summary>
    internal void WriteResult(object value, HarnessProject project)
    {
        var output = WithProjectRoot(value, project);
        if (_results is { } results)
        {
            results.Add(output);
            return;
        }

        WriteObject(output);
    }

    /// <summary>
    /// Reports a failure of one item: bad input (a Core InvalidArgument) stops the command; anything
    /// else is written as a non-terminating error so the pipeline goes on with the next item.
    /// </summary>
    internal void ReportError(Exception exception, object? target)
    {
        var record = ToErrorRecord(exception, target);
        if (exception is HarnessException { Category: HarnessErrorCategory.InvalidArgument })
        {
            ThrowTerminatingError(record);
        }

        WriteError(record);
    }

    /// <summary>True for the exceptions a Harness cmdlet reports as errors rather than letting them escape.</summary>
    internal static bool IsReportable(Exception exception) =>
        exception is HarnessException or IOException or UnauthorizedAccessException;

    /// <summary>
    /// An ErrorRecord with Core's stable error id, the matching category and the file as target.
    /// The fix goes to RecommendedAction, and only there: PowerShell shows it as the
    /// "Recommendation", so a message that already ends with it would show it twice.
    /// </summary>
    internal static ErrorRecord ToErrorRecord(Exception exception, object? target)
    {
        if (exception is HarnessException harness)
        {
            var record = new ErrorRecord(harness, harness.ErrorId, Map(harness.Category), harness.FilePath ?? target);
            if (harness.Fix is { Length: > 0 } fix)
            {
                var message = harness.Message.Replace(fix, "", StringComparison.Ordinal).TrimEnd();
                record.ErrorDetails = new ErrorDetails(message) { RecommendedAction = fix };
            }

            return record;
        }

        var category = exception is UnauthorizedAccessException ? ErrorCategory.PermissionDenied : ErrorCategory.WriteError;
        return new ErrorRecord(exception, ErrorIds.IoFailed, category, target);
    }

    internal static ErrorCategory Map(HarnessErrorCategory category) => category switch
    {
        HarnessErrorCategory.InvalidArgument => ErrorCategory.InvalidArgument,
        HarnessErrorCategory.InvalidData => ErrorCategory.InvalidData,
        HarnessErrorCategory.ObjectNotFound => ErrorCategory.ObjectNotFound,
        HarnessErrorCategory.ResourceBusy => ErrorCategory.ResourceBusy,
        HarnessErrorCategory.ResourceUnavailable => ErrorCategory.ResourceUnavailable,
        HarnessErrorCategory.OperationTimeout => ErrorCategory.OperationTimeout,
        HarnessErrorCategory.PermissionDenied => ErrorCategory.PermissionDenied,
        HarnessErrorCategory.InvalidOperation => ErrorCategory.InvalidOperation,
        _ => ErrorCategory.NotSpecified,
    };
}

/// <summary>
/// A Harness cmdlet that works on project folders: -LiteralPath here (objects from the pipeline by
/// ProjectRoot, PSPath or FullName), -Path (wildcards) in the two kinds below.
/// </summary>
public abstract class HarnessPathCmdlet : HarnessCmdlet
{
    /// <summary>Project folders or files in them, taken as typed (no wildcards); binds ProjectRoot, PSPath and FullName from the pipeline.</summary>
    [Parameter(ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LP", "FullName", ProjectRootProperty)]
    [ValidateNotNullOrEmpty]
    public string[]? LiteralPath { get; set; }

    /// <summary>The -Path of the concrete kind.</summary>
    private protected abstract string[]? PathPatterns { get; }

    /// <summary>The folders of this record: see <see cref="HarnessCmdlet.ResolveTargets"/>.</summary>
    internal IReadOnlyList<string> Targets() => ResolveTargets(PathPatterns, LiteralPath);
}

/// <summary>Works on the project folders it is given: -Path at position 0, taking strings from the pipeline.</summary>
public abstract class HarnessProjectCmdlet : HarnessPathCmdlet
{
    /// <summary>Project folders or files in them, with wildcards (default: the current location); the project root is found upwards from each.</summary>
    [Parameter(Position = 0, ParameterSetName = PathSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Path { get; set; }

    private protected override string[]? PathPatterns => Path;
}

/// <summary>Works on named things in a project (features, checkpoints): position 0 is the name, -Path is named and binds only by property name.</summary>
public abstract class HarnessItemCmdlet : HarnessPathCmdlet
{
    /// <summary>The project folder (or a file in it), with wildcards (default: the current location).</summary>
    [Parameter(ParameterSetName = PathSet, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Path { get; set; }

    private protected override string[]? PathPatterns => Path;
}
