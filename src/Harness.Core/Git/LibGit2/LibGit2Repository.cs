using System.Globalization;
using LibGit2Sharp;

namespace Harness.Core.Git;

/// <summary>
/// One repository opened through libgit2 for the life of a <see cref="LibGit2Port"/> (one project,
/// one operation). Not thread-safe: the port serialises every call. libgit2 re-reads HEAD, refs,
/// the index and new packs from disk when they change, so an agent running git meanwhile is seen.
/// </summary>
internal sealed partial class LibGit2Repository : IDisposable
{
    private int? _abbreviation;
    private Configuration? _config;

    private LibGit2Repository(Repository repo, string gitDirectory, string topLevel)
    {
        Repo = repo;
        GitDirectory = gitDirectory;
        TopLevel = topLevel;
        CommonDirectory = ReadCommonDirectory(gitDirectory);
    }

    public Repository Repo { get; }

    /// <summary>Absolute, without a trailing separator (a linked worktree's own folder under .git/worktrees/).</summary>
    public string GitDirectory { get; }

    /// <summary>Where objects, refs, info/ and the shallow file live: the main repository's git directory for a linked worktree.</summary>
    public string CommonDirectory { get; }

    /// <summary>The work tree's top, absolute, without a trailing separator.</summary>
    public string TopLevel { get; }

    /// <summary>As <c>git rev-parse --is-shallow-repository</c>: a shallow file in the common directory.</summary>
    public bool IsShallow => File.Exists(Path.Combine(CommonDirectory, "shallow"));

    /// <summary>Opens the repository whose work tree starts at <paramref name="topLevel"/>; throws <see cref="LibGit2SharpException"/> when libgit2 cannot.</summary>
    public static LibGit2Repository Open(string topLevel)
    {
        var repo = new Repository(topLevel);
        try
        {
            // Opened at the top RepositoryDiscovery found, so never bare (core.bare set in a work tree's .git is refused).
            var info = repo.Info;
            return info.IsBare || info.WorkingDirectory is null
                ? throw new LibGit2SharpException($"{topLevel}: libgit2 opens the repository as bare (core.bare is true)")
                : new LibGit2Repository(repo, Trim(info.Path), Trim(info.WorkingDirectory));
        }
        catch
        {
            repo.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The config values the harness reads itself. Never <c>Repo.Config</c>: that replaces the config
    /// libgit2 loaded for the repository, and under Native AOT without the global and system files.
    /// </summary>
    public Configuration Config => _config ??= GitConfigEnvironment.Build(CommonDirectory);

    public bool ConfigBool(string key, bool defaultValue)
    {
        try
        {
            return Config.GetValueOrDefault(key, defaultValue);
        }
        catch (LibGit2SharpException)
        {
            // git refuses a value it cannot read as a boolean as well; the default is the safe reading here.
            return defaultValue;
        }
    }

    public int? ConfigInt(string key)
    {
        var text = Config.GetValueOrDefault<string>(key);
        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;
    }

    /// <summary>The object a revision names (git rev-parse syntax), or null when it names none.</summary>
    public GitObject? Find(string revision)
    {
        try
        {
            return Repo.Lookup(revision);
        }
        catch (LibGit2SharpException)
        {
            // Invalid syntax, an unborn HEAD, an ambiguous prefix: rev-parse --verify fails for all of them.
            return null;
        }
    }

    /// <summary>As <c>git rev-parse --verify REVISION^{commit}</c>.</summary>
    public Commit? FindCommit(string revision) => Find(revision + "^{commit}") as Commit;

    /// <summary>As <c>git rev-parse --verify REVISION^{tree}</c>.</summary>
    public Tree? FindTree(string revision) => Find(revision + "^{tree}") as Tree;

    public Commit RequireCommit(string revision) =>
        FindCommit(revision) ?? throw LibGit2Errors.Failed($"'{revision}' names no commit in {TopLevel}");

    /// <summary>
    /// git's <c>%h</c>: as many hex digits as core.abbrev asks, or by default as git's "auto" picks from
    /// the number of packed objects (7 below 2^14, one more per factor of 4), longer while another
    /// object starts the same. (LibGit2Sharp's ShortenObjectId returns nothing under Native AOT.)
    /// </summary>
    public string ShortHash(Commit commit)
    {
        _abbreviation ??= AbbreviationLength();
        var full = commit.Sha;
        for (var length = _abbreviation.Value; length < full.Length; length++)
        {
            if (NamesOnly(full[..length], full))
            {
                return full[..length];
            }
        }

        return full;
    }

    public void Dispose()
    {
        _config?.Dispose();
        Repo.Dispose();
    }

    private bool NamesOnly(string prefix, string full)
    {
        try
        {
            return Repo.Lookup(prefix)?.Sha == full;
        }
        catch (AmbiguousSpecificationException)
        {
            return false;
        }
    }

    private int AbbreviationLength()
    {
        var configured = Config.GetValueOrDefault<string>("core.abbrev");
        if (configured is not null && !configured.Equals("auto", StringComparison.OrdinalIgnoreCase))
        {
            if (configured.Equals("no", StringComparison.OrdinalIgnoreCase) || configured.Equals("false", StringComparison.OrdinalIgnoreCase))
            {
                return 40;
            }

            return int.TryParse(configured, NumberStyles.Integer, CultureInfo.InvariantCulture, out var length) ? Math.Clamp(length, 4, 40) : 7;
        }

        // git (object-name.c): len = ceil((msb(count) + 1) / 2), at least 7, where count is the
        // number of objects in packs (loose objects are not counted): 8 from 2^14 objects on.
        var count = PackedObjectCount();
        var bits = 0;
        while (count > 0)
        {
            bits++;
            count >>= 1;
        }

        return Math.Max(7, (bits + 1) / 2);
    }

    /// <summary>The sum of the object counts of every pack index (the last entry of each .idx fan-out table).</summary>
    private long PackedObjectCount()
    {
        var total = 0L;
        foreach (var objects in ObjectDirectories())
        {
            var packs = Path.Combine(objects, "pack");
            if (!Directory.Exists(packs))
            {
                continue;
            }

            foreach (var index in Directory.EnumerateFiles(packs, "*.idx"))
            {
                total += PackIndexObjectCount(index);
            }
        }

        return total;
    }

    private IEnumerable<string> ObjectDirectories()
    {
        var objects = Path.Combine(CommonDirectory, "objects");
        yield return objects;
        var alternates = Path.Combine(objects, "info", "alternates");
        if (File.Exists(alternates))
        {
            foreach (var line in File.ReadLines(alternates))
            {
                if (line.Length > 0 && line[0] != '#')
                {
                    yield return Path.GetFullPath(Path.Combine(objects, line.Trim()));
                }
            }
        }
    }

    private static long PackIndexObjectCount(string index)
    {
        try
        {
            using var stream = File.OpenRead(index);
            Span<byte> header = stackalloc byte[8];
            stream.ReadExactly(header);

            // Version 2 and later: "\377tOc" and a version before the fan-out table; version 1 has none.
            var fanOut = header[0] == 0xff && header[1] == (byte)'t' && header[2] == (byte)'O' && header[3] == (byte)'c' ? 8 : 0;
            Span<byte> last = stackalloc byte[4];
            stream.Position = fanOut + (255 * 4);
            stream.ReadExactly(last);
            return System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(last);
        }
        catch (IOException)
        {
            // A pack being written or removed by a concurrent gc; git skips an index it cannot open too.
            return 0;
        }
    }

    private static string ReadCommonDirectory(string gitDirectory)
    {
        var file = Path.Combine(gitDirectory, "commondir");
        return File.Exists(file) ? Trim(Path.GetFullPath(Path.Combine(gitDirectory, File.ReadAllText(file).Trim()))) : gitDirectory;
    }

    private static string Trim(string path) => Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
}
