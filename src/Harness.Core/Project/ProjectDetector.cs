namespace Harness.Core.Project;

/// <summary>What kind of project a folder holds, from the files at its root.</summary>
internal static class ProjectDetector
{
    // Order matters: the first marker found names the type (a Next.js app also has package.json).
    private static readonly (string Marker, string Type)[] FileMarkers =
    [
        ("Cargo.toml", "rust"),
        ("go.mod", "go"),
        ("pom.xml", "java-maven"),
        ("build.gradle", "java-gradle"),
        ("build.gradle.kts", "java-gradle"),
        ("Gemfile", "ruby"),
        ("composer.json", "php"),
        ("mix.exs", "elixir"),
        ("pubspec.yaml", "dart"),
        ("Package.swift", "swift"),
        ("deno.json", "deno"),
        ("package.json", "node"),
        ("pyproject.toml", "python"),
        ("setup.py", "python"),
        ("requirements.txt", "python"),
        ("pytest.ini", "python"),
        ("Pipfile", "python"),
        ("CMakeLists.txt", "cmake"),
        ("Makefile", "make"),
    ];

    private static readonly string[] DotnetExtensions = [".sln", ".slnx", ".csproj", ".fsproj", ".vbproj"];

    /// <summary>Every project type detection can name (a starter project.json is made for each), sorted: what a front offers and accepts.</summary>
    public static readonly IReadOnlyList<string> KnownTypes =
        FileMarkers.Select(m => m.Type).Concat(["dotnet", "nextjs", "vite", "django", "fastapi"]).Distinct().Order(StringComparer.Ordinal).ToArray();

    public static ProjectInfo Detect(string root)
    {
        var markers = new List<string>();
        string? type = null;
        foreach (var (marker, markerType) in FileMarkers)
        {
            if (File.Exists(Path.Combine(root, marker)))
            {
                markers.Add(marker);
                type ??= markerType;
            }
        }

        var dotnet = FindDotnetMarker(root);
        if (dotnet is not null)
        {
            markers.Insert(0, dotnet);
            type = "dotnet";
        }

        if (type == "node")
        {
            type = RefineNode(root);
        }
        else if (type == "python")
        {
            type = RefinePython(root);
        }

        return new ProjectInfo(markers, type);
    }

    private static string? FindDotnetMarker(string root)
    {
        try
        {
            foreach (var file in Directory.EnumerateFiles(root))
            {
                var extension = Path.GetExtension(file);
                if (Array.Exists(DotnetExtensions, e => e.Equals(extension, StringComparison.OrdinalIgnoreCase)))
                {
                    return Path.GetFileName(file);
                }
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        return null;
    }

    private static string RefineNode(string root)
    {
        var text = ReadSmall(Path.Combine(root, "package.json"));
        if (text.Contains("\"next\"", StringComparison.Ordinal))
        {
            return "nextjs";
        }

        if (text.Contains("\"vite\"", StringComparison.Ordinal))
        {
            return "vite";
        }

        return "node";
    }

    private static string RefinePython(string root)
    {
        if (File.Exists(Path.Combine(root, "manage.py")))
        {
            return "django";
        }

        var text = ReadSmall(Path.Combine(root, "pyproject.toml")) + ReadSmall(Path.Combine(root, "requirements.txt"));
        return text.Contains("fastapi", StringComparison.OrdinalIgnoreCase) ? "fastapi" : "python";
    }

    private static string ReadSmall(string path)
    {
        try
        {
            var info = new FileInfo(path);
            return info.Exists && info.Length < 1 << 20 ? File.ReadAllText(path) : "";
        }
        catch (IOException)
        {
            return "";
        }
        catch (UnauthorizedAccessException)
        {
            return "";
        }
    }
}

/// <summary>The project markers found at the root (package.json, Cargo.toml, ...) and the type they imply.</summary>
internal sealed record ProjectInfo(IReadOnlyList<string> Markers, string? DetectedType)
{
    public bool HasMarkers => Markers.Count > 0;
}
