using Harness.Core.Git;
using Harness.Core.Hosting;
using Harness.Core.Project;

namespace Harness.Core.Tests;

/// <summary>An open project at a known root, as the fronts get one, for tests of Core components.</summary>
internal static class TestProject
{
    /// <param name="root">The project root (no upward search).</param>
    /// <param name="git">The git port; by default libgit2 in-process, as the fronts open it (the project disposes it).</param>
    /// <param name="locked">Take the project lock now, as a front's first write would.</param>
    public static HarnessProject Open(string root, IHarnessHost? host = null, TimeProvider? clock = null, bool locked = false, IGit? git = null)
    {
        var project = HarnessProject.Open(ProjectLayout.ForRoot(root), git ?? new LibGit2Port(), host, clock);
        project.LockWait = TimeSpan.Zero;
        if (locked)
        {
            project.EnsureLocked("test", creatingProject: true);
        }

        return project;
    }
}
