namespace Harness.Core.Project;

/// <summary>
/// Finds a project from any path a front was given: a folder in it, or a file in it (a feature
/// list's path, as PowerShell pipelines carry it from one cmdlet to the next).
/// </summary>
public static class ProjectLocator
{
    /// <summary>The project <paramref name="path"/> is in; a file's folder is searched from. Null: the current directory.</summary>
    public static ProjectLayout Locate(string? path)
    {
        if (!string.IsNullOrEmpty(path) && File.Exists(path))
        {
            return ProjectLayout.Resolve(Path.GetDirectoryName(Path.GetFullPath(path)));
        }

        return ProjectLayout.Resolve(path);
    }
}
