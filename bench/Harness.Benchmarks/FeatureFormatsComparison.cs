using System.Diagnostics;
using System.Globalization;
using Harness.Core.Features;
using Harness.Core.Project;

namespace Harness.Benchmarks;

/// <summary>
/// The feature-list reader on the same 10 000 features in each format, in one run: the fixture's
/// seed list, and that list imported (FeatureListConversion, as <c>harness init --import</c> does)
/// into Ralph's prd.json and the quickstart's feature_list.json. Each round reads every format once,
/// in a rotating order, so machine noise (two cores shared with other builds) hits them alike; the
/// ratio of the medians is the result. LoadSummary is what the entry runs every session; Load is
/// what <c>harness features</c> and the writers run.
/// Run: bash bench/feature-formats.sh, or dotnet run -c Release --project bench/Harness.Benchmarks -- feature-formats [ROUNDS]
/// </summary>
internal static class FeatureFormatsComparison
{
    private static readonly FeatureListFormat[] Formats = [FeatureListFormat.Seed, FeatureListFormat.Quickstart, FeatureListFormat.Ralph];

    public static int Run(string[] args)
    {
        var rounds = args.Length > 1 && int.TryParse(args[1], CultureInfo.InvariantCulture, out var r) ? r : 40;
        var fixture = FixtureBuilder.Create(commits: 1, features: FixtureBuilder.DefaultFeatures);
        var projects = new Dictionary<FeatureListFormat, (string Dir, ProjectLayout Layout)>();
        try
        {
            var seedPath = ProjectLayout.ForRoot(fixture).FeatureListFile;
            var seed = File.ReadAllBytes(seedPath);
            foreach (var format in Formats)
            {
                var dir = Path.Combine(Path.GetTempPath(), $"harness-formats-{format}-{Guid.NewGuid():N}");
                var layout = ProjectLayout.ForRoot(dir);
                var (_, bytes, count, _) = FeatureListConversion.Convert(seedPath, seed, format);
                var path = format switch
                {
                    FeatureListFormat.Seed => layout.FeatureListFile,
                    FeatureListFormat.Quickstart => layout.QuickstartFeatureListFile,
                    _ => layout.RalphFeatureListFile,
                };
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                File.WriteAllBytes(path, bytes);
                projects[format] = (dir, layout);
                Console.WriteLine($"{format,-10} {count} features, {bytes.Length / 1048576.0:F1} MB: {path}");
            }

            var summary = Time(projects, rounds, layout => FeatureStore.LoadSummary(layout));
            var full = Time(projects, rounds, layout => FeatureStore.Load(layout));
            Console.WriteLine();
            Console.WriteLine($"{rounds} rounds after 5 warm-ups; median / min in ms; ratio = median / median(seed)");
            Report("LoadSummary (entry)", summary);
            Report("Load (features, writers)", full);
            return 0;
        }
        finally
        {
            FixtureBuilder.Delete(fixture);
            foreach (var (dir, _) in projects.Values)
            {
                Directory.Delete(dir, recursive: true);
            }
        }
    }

    private static Dictionary<FeatureListFormat, List<double>> Time(Dictionary<FeatureListFormat, (string Dir, ProjectLayout Layout)> projects, int rounds, Func<ProjectLayout, object?> read)
    {
        var samples = Formats.ToDictionary(f => f, _ => new List<double>());
        for (var round = -5; round < rounds; round++)
        {
            for (var i = 0; i < Formats.Length; i++)
            {
                var format = Formats[(i + Math.Max(round, 0)) % Formats.Length];
                var stopwatch = Stopwatch.StartNew();
                GC.KeepAlive(read(projects[format].Layout));
                stopwatch.Stop();
                if (round >= 0)
                {
                    samples[format].Add(stopwatch.Elapsed.TotalMilliseconds);
                }
            }
        }

        return samples;
    }

    private static void Report(string what, Dictionary<FeatureListFormat, List<double>> samples)
    {
        var seed = Median(samples[FeatureListFormat.Seed]);
        Console.WriteLine(what);
        foreach (var format in Formats)
        {
            var median = Median(samples[format]);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {format,-10} median {median,7:F2}  min {samples[format].Min(),7:F2}  ratio {median / seed:F2}"));
        }
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
