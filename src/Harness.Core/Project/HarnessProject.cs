using Harness.Core.Errors;
using Harness.Core.Git;
using Harness.Core.Hosting;
using Harness.Core.State;

namespace Harness.Core.Project;

/// <summary>
/// One open project for the length of one operation (a CLI command, one cmdlet item, one MSBuild
/// task, a whole loop run): it owns the layout, the parsed config, the git port, the host, the
/// clock and the project lock. Every front opens one and every Core operation works through it,
/// so no code looks a project up again or takes the lock behind another's back.
/// <code>
/// await using var project = await HarnessProject.OpenAsync(path, host, clock, ct);
/// var report = await project.EnterAsync(new EntryOptions(), ct);
/// </code>
/// Reading never locks. The first operation that writes takes <c>.claude/progress/harness.lock</c>
/// (<see cref="EnsureLockedAsync"/>) and the project keeps it until it is disposed; a second
/// project opened on the same folder, in this process or another, waits <see cref="LockWait"/>
/// and is then refused with <see cref="ErrorIds.LockHeld"/>.
/// </summary>
public sealed partial class HarnessProject : IAsyncDisposable, IDisposable
{
    /// <summary>How long a writer waits for another harness's short operation (a <c>features set</c>, a checkpoint) to finish.</summary>
    public static readonly TimeSpan DefaultLockWait = TimeSpan.FromSeconds(5);

    private ProjectConfig? _config;
    private HarnessLock? _lock;
    private bool _disposed;

    private HarnessProject(ProjectLayout layout, IGit git, IHarnessHost host, TimeProvider clock)
    {
        Layout = layout;
        Git = git;
        Host = host;
        Clock = clock;
    }

    /// <summary>The project root.</summary>
    public string Root => Layout.Root;

    /// <summary>How long <see cref="EnsureLockedAsync"/> waits for another holder; zero refuses at once.</summary>
    public TimeSpan LockWait { get; set; } = DefaultLockWait;

    /// <summary>True once this project holds the project lock (after its first write).</summary>
    public bool HoldsLock => _lock is not null;

    /// <summary>Where every harness file of the project lives.</summary>
    public ProjectLayout Layout { get; }

    internal IGit Git { get; }

    internal IHarnessHost Host { get; }

    internal TimeProvider Clock { get; }

    /// <summary>The lock this project holds, or null before its first write.</summary>
    internal LockInfo? Lock => _lock?.Info;

    /// <summary><c>.claude/config/project.json</c>, parsed and validated on first use (a command that never needs it never fails on it).</summary>
    internal ProjectConfig Config => _config ??= ProjectConfigStore.Load(Layout);

    /// <summary>
    /// Opens the project that <paramref name="path"/> is in: a folder in it, or a file in it (a
    /// feature list's path, as PowerShell pipelines carry it). Null: the current directory.
    /// Reads nothing but the folder tree; nothing is locked or written.
    /// </summary>
    public static Task<HarnessProject> OpenAsync(string? path, IHarnessHost? host = null, TimeProvider? clock = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Open(path, host, clock));
    }

    /// <summary>
    /// The synchronous form of <see cref="OpenAsync"/>, for the guard hook (no async machinery on every
    /// tool call). The git port is libgit2 in-process; it opens the repository on its first git call
    /// (a command that needs no git never loads libgit2) and closes it when the project is disposed.
    /// </summary>
    internal static HarnessProject Open(string? path, IHarnessHost? host = null, TimeProvider? clock = null) =>
        Open(ProjectLayout.Locate(path), new LibGit2Port(), host, clock);

    /// <summary>A project at a known root with a given git port (tests, benchmarks, the loop's own fixtures); the project disposes the port with itself.</summary>
    internal static HarnessProject Open(ProjectLayout layout, IGit git, IHarnessHost? host = null, TimeProvider? clock = null) =>
        new(layout, git, host ?? NullHost.Instance, clock ?? TimeProvider.System);

    /// <summary>
    /// Takes the project lock for <paramref name="purpose"/> unless this project holds it already,
    /// and keeps it until the project is disposed. Every Core operation that writes calls this first.
    /// </summary>
    /// <param name="purpose">What the lock is for, recorded in the lock file for whoever finds it held.</param>
    /// <param name="cancellationToken">Ends the wait for another holder.</param>
    /// <param name="creatingProject">True for <c>init</c>, the one operation that may make a project of a plain folder.</param>
    internal async Task EnsureLockedAsync(string purpose, CancellationToken cancellationToken, bool creatingProject = false)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_lock is null)
        {
            if (!creatingProject && !Layout.IsRecognisedProject())
            {
                throw NotAProject();
            }

            _lock = await HarnessLock.AcquireAsync(Layout, purpose, LockWait, cancellationToken).ConfigureAwait(false);
            Host.WriteVerbose($"Lock: {Layout.LockFile} ({purpose})");

            // Before the first harness file is written: the agent's next 'git add -A' must not take it.
            ProgressIgnore.Ensure(Layout);
        }
    }

    /// <summary>The synchronous form of <see cref="EnsureLockedAsync"/> for Core code that has no async context.</summary>
    internal void EnsureLocked(string purpose, bool creatingProject = false) =>
        EnsureLockedAsync(purpose, CancellationToken.None, creatingProject).GetAwaiter().GetResult();

    private HarnessException NotAProject() =>
        new(ErrorIds.ProjectNotFound, HarnessErrorCategory.ObjectNotFound,
            $"{Layout.Root} is not a project: it is in no git repository and has no .claude/config/project.json, no .claude/progress and no project marker (package.json, *.csproj, Makefile, ...); nothing was written.")
        {
            FilePath = Layout.Root,
            Fix = "Run this in the project's folder or name it, or make this folder a project first (harness init, Initialize-HarnessProject, or git init).",
        };

    /// <summary>Fails loudly when a write is attempted without the lock: a bug, never a user error.</summary>
    internal void AssertLocked()
    {
        if (_lock is null)
        {
            throw new InvalidOperationException($"{Layout.Root}: a harness file was about to be written without the project lock.");
        }
    }

    /// <summary>The variable the loop gives its agent (and everything the agent runs): the running session's id.</summary>
    public const string SessionIdVariable = "HARNESS_SESSION_ID";

    /// <summary>
    /// True when this process runs inside the loop's current session: its environment names the
    /// session (<see cref="SessionIdVariable"/>), state.json says that session is running
    /// (<c>dirty: true</c>, the same id), and a live harness holds the lock. The agent's own
    /// <c>harness features set</c> then writes under the feature list's short lock alone: the loop
    /// holding the project lock is its session's owner, not a rival. (Not a security boundary:
    /// whoever can set the variable can edit the file anyway.)
    /// </summary>
    internal bool IsInsideRunningSession() =>
        Environment.GetEnvironmentVariable(SessionIdVariable) is { Length: > 0 } session &&
        ReadState() is { Dirty: true } state && state.SessionId == session &&
        OtherHolder() is not null;

    /// <summary>
    /// True when another harness (another process, or another open project in this one) holds the
    /// lock now: its session is in progress, so a dirty state is not a crash.
    /// </summary>
    internal LockInfo? OtherHolder() =>
        _lock is null && HarnessLock.CurrentHolder(Layout) is { } holder ? holder : null;

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _lock?.Dispose();
        _lock = null;
        (Git as IDisposable)?.Dispose();
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }
}
