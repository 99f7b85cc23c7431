using System.Runtime.CompilerServices;
using System.Text;

namespace Harness.TestKit;

/// <summary>
/// Expected output kept in a file under <c>Golden/</c> beside the test. The JSON the harness writes is
/// a contract (docs/formats.md, scripts, CI); golden files pin it byte for byte. After a deliberate
/// format change, run the tests once with HARNESS_UPDATE_GOLDEN=1 and review the diff.
/// </summary>
public static class GoldenFile
{
    /// <summary>The golden text for <paramref name="name"/>; with HARNESS_UPDATE_GOLDEN=1, <paramref name="actual"/> is stored first.</summary>
    public static string Expected(string name, string actual, [CallerFilePath] string testFile = "")
    {
        var path = Path.Combine(Path.GetDirectoryName(SourceTree.OnDisk(testFile))!, "Golden", name);
        if (Environment.GetEnvironmentVariable("HARNESS_UPDATE_GOLDEN") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, Encoding.UTF8.GetBytes(actual));
        }

        return File.Exists(path)
            ? Encoding.UTF8.GetString(File.ReadAllBytes(path))
            : $"(no golden file {path}: run the tests once with HARNESS_UPDATE_GOLDEN=1 and review it)";
    }
}
