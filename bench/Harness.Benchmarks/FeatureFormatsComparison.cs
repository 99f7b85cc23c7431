using System.Diagnostics;
using System.Globalization;
using System.Runtime.Loader;
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
/// With <c>HARNESS_BENCH_BASELINE_CORE</c> naming the Harness.Core.dll of an earlier build (see
/// <see cref="FeatureListBenchmarks"/>), a row "Seed@baseline" reads the seed list through that build
/// in the same rounds: the hot path's before and after.
/// Run: bash bench/feature-formats.sh, or dotnet run -c Release --project bench/Harness.Benchmarks -- feature-formats [ROUNDS]
/// </summary>
internal static class FeatureFormatsComparison
{
    private static readonly FeatureListFormat[] Formats = [FeatureListFormat.Seed, FeatureListFormat.Quickstart, FeatureListFormat.Ralph];

    private const string Baseline = "Seed@baseline";

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

            var readers = Formats.ToDictionary(f => f.ToString(), f => (Summary: Read(() => FeatureStore.LoadSummary(projects[f].Layout)), Full: Read(() => FeatureStore.Load(projects[f].Layout))));
            if (Environment.GetEnvironmentVariable("HARNESS_BENCH_BASELINE_CORE") is { Length: > 0 } baselineCore)
            {
                readers[Baseline] = BaselineReaders(baselineCore, projects[FeatureListFormat.Seed].Dir);
            }

            var summary = Time(readers.ToDictionary(r => r.Key, r => r.Value.Summary), rounds);
            var full = Time(readers.ToDictionary(r => r.Key, r => r.Value.Full), rounds);
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

    private static Func<object?> Read(Func<object?> read) => read;

    /// <summary>The same public calls through the earlier build, loaded in its own context; reflection costs ~100 ns against milliseconds.</summary>
    private static (Func<object?> Summary, Func<object?> Full) BaselineReaders(string assemblyPath, string projectDir)
    {
        var core = new AssemblyLoadContext("baseline").LoadFromAssemblyPath(Path.GetFullPath(assemblyPath));
        var layout = core.GetType("Harness.Core.Project.ProjectLayout", throwOnError: true)!.GetMethod(nameof(ProjectLayout.ForRoot))!.Invoke(null, [projectDir]);
        var store = core.GetType("Harness.Core.Features.FeatureStore", throwOnError: true)!;
        var loadSummary = store.GetMethod(nameof(FeatureStore.LoadSummary))!;
        var load = store.GetMethod(nameof(FeatureStore.Load))!;
        return (() => loadSummary.Invoke(null, [layout]), () => load.Invoke(null, [layout]));
    }

    private static Dictionary<string, List<double>> Time(Dictionary<string, Func<object?>> readers, int rounds)
    {
        var names = readers.Keys.ToArray();
        var samples = names.ToDictionary(n => n, _ => new List<double>());
        for (var round = -5; round < rounds; round++)
        {
            for (var i = 0; i < names.Length; i++)
            {
                var name = names[(i + Math.Max(round, 0)) % names.Length];
                var stopwatch = Stopwatch.StartNew();
                GC.KeepAlive(readers[name]());
                stopwatch.Stop();
                if (round >= 0)
                {
                    samples[name].Add(stopwatch.Elapsed.TotalMilliseconds);
                }
            }
        }

        return samples;
    }

    private static void Report(string what, Dictionary<string, List<double>> samples)
    {
        var seed = Median(samples[nameof(FeatureListFormat.Seed)]);
        Console.WriteLine(what);
        foreach (var (name, values) in samples)
        {
            var median = Median(values);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {name,-14} median {median,7:F2}  min {values.Min(),7:F2}  ratio {median / seed:F2}"));
        }
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
