using Harness.Core.Hosting;
using Harness.Core.Project;
using Microsoft.Build.Framework;

namespace Harness.Build;

/// <summary>
/// The project root Core would use (<see cref="HarnessProject.OpenAsync"/>): the nearest folder upwards
/// with harness files, else the git work tree's top, else the start folder. The targets key the
/// once-per-build entry on it, so every project of a repository shares one entry run.
/// </summary>
public sealed class HarnessResolveProject : HarnessTask
{
    [Output] public string ProjectRoot { get; private set; } = "";

    protected override void Run(IHarnessHost host, CancellationToken cancellationToken)
    {
        using var project = OpenProject(host, cancellationToken);
        ProjectRoot = project.Root;
    }
}
