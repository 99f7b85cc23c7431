using Harness.Core.Errors;
using Harness.Core.Hosting;
using Harness.Core.Project;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace Harness.Build;

/// <summary>
/// What every Harness task shares: a Core error becomes one <c>file(line,col): error HARNxxxx</c>
/// line, Core's detail goes out at low importance, and the result is <c>!Log.HasLoggedErrors</c>.
/// MSBuild nodes outlive builds and keep this assembly loaded, so tasks keep no static state and
/// everything they open is closed before <see cref="Execute"/> returns.
/// </summary>
public abstract class HarnessTask : Microsoft.Build.Utilities.Task, ICancelableTask
{
    private readonly CancellationTokenSource _cancel = new();

    /// <summary>Where to start looking for the project root; empty: the current directory.</summary>
    public string? ProjectDirectory { get; set; }

    public void Cancel() => _cancel.Cancel();

    public sealed override bool Execute()
    {
        try
        {
            Run(new MSBuildHost(Log, NullIfEmpty(ProjectDirectory)), _cancel.Token);
        }
        catch (HarnessException ex)
        {
            LogHarnessError(ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Core names the file for every write it knows of; this catches a read it did not expect, as one error line.
            LogHarnessError(new HarnessException(ErrorIds.IoFailed, HarnessErrorCategory.ResourceUnavailable, ex.Message, ex));
        }
        catch (OperationCanceledException) when (_cancel.IsCancellationRequested)
        {
            Log.LogMessage(MessageImportance.Low, "Harness: cancelled");
        }
        finally
        {
            _cancel.Dispose();
        }

        return !Log.HasLoggedErrors;
    }

    /// <summary>One Core call and the mapping of its result to outputs.</summary>
    protected abstract void Run(IHarnessHost host, CancellationToken cancellationToken);

    /// <summary>The project <see cref="ProjectDirectory"/> is in; dispose it before the task returns (it may hold the lock).</summary>
    protected HarnessProject OpenProject(IHarnessHost host, CancellationToken cancellationToken) =>
        HarnessProject.OpenAsync(NullIfEmpty(ProjectDirectory), host, cancellationToken: cancellationToken).GetAwaiter().GetResult();

    protected static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    /// <summary>
    /// One error per failure, at the file, line and column of the first problem. Every line of an
    /// error is an error of its own (and an annotation in CI, twice with the build summary), so the
    /// other lines of a long message (a file's further problems) follow as one plain message.
    /// </summary>
    private void LogHarnessError(HarnessException ex)
    {
        var lines = ex.Message.Split('\n');
        var first = WithoutFix(WithoutLocation(lines[0], ex), ex.Fix);
        Log.LogError(
            subcategory: null,
            errorCode: HarnessErrorCodes.For(ex.ErrorId),
            helpKeyword: ex.ErrorId,
            file: ex.FilePath ?? NullIfEmpty(ProjectDirectory),
            lineNumber: ex.Line ?? 0,
            columnNumber: ex.Column ?? 0,
            endLineNumber: 0,
            endColumnNumber: 0,
            message: ex.Fix is null ? first : $"{first} {ex.Fix}");
        var details = lines.Skip(1).Select(line => WithoutFix(line, ex.Fix)).Where(line => line.Length > 0).ToArray();
        if (details.Length > 0)
        {
            Log.LogMessage(MessageImportance.High, string.Join('\n', details));
        }
    }

    /// <summary>The line without its leading <c>file(line,col): </c>, which MSBuild prints in front of it already.</summary>
    private static string WithoutLocation(string line, HarnessException ex)
    {
        var location = ex.Line is { } l ? $"{ex.FilePath}({l},{ex.Column}): " : $"{ex.FilePath}: ";
        return ex.FilePath is not null && line.StartsWith(location, StringComparison.Ordinal) ? line[location.Length..] : line;
    }

    /// <summary>The line without the fix at its end: the error line carries the fix once.</summary>
    private static string WithoutFix(string line, string? fix) =>
        fix is not null && line.EndsWith(fix, StringComparison.Ordinal) ? line[..^fix.Length].TrimEnd() : line;
}
