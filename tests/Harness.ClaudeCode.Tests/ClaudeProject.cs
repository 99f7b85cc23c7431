using System.Text.Json.Nodes;
using Harness.ClaudeCode.Tests.FakeApi;
using Harness.Core.Agents;
using Harness.Core.Guard;
using Harness.Core.Loop;
using Harness.Core.Project;
using Harness.TestKit;

namespace Harness.ClaudeCode.Tests;

/// <summary>
/// A git project, a private HOME for the CLI, and the fake API, with the environment that makes the
/// real CLI talk to the fake only: its base URL, a made-up key, no non-essential traffic, no proxy,
/// and a PATH that finds <c>claude</c> but not <c>harness</c> (the hooks name the harness by path).
/// </summary>
internal sealed class ClaudeProject : IDisposable
{
    private readonly TempDirectory _home = TempDirectory.Create("claude-home");

    private ClaudeProject(TempGitRepo repo)
    {
        Repo = repo;
        Api = new FakeAnthropicApi();
    }

    public TempGitRepo Repo { get; }

    public FakeAnthropicApi Api { get; }

    public string Root => Repo.Path;

    public ProjectLayout Layout => ProjectLayout.ForRoot(Root);

    /// <summary>The harness CLI as installed: its apphost (copied beside the tests with harness.dll).</summary>
    public static string Harness { get; } = Path.Combine(AppContext.BaseDirectory, "harness");

    /// <summary>What <c>harness init --hooks</c> writes when run from <see cref="Harness"/>.</summary>
    public static string GuardCommand { get; } = HookCommand.ForExecutable(Harness);

    public static ClaudeProject Create(params (string Id, string Status)[] features)
    {
        var repo = TempGitRepo.Init();
        repo.WriteFile("README.md", "# todo\nA tiny to-do list app.\n");
        if (features.Length > 0)
        {
            ProjectFiles.WriteFeatures(repo.Path, features);
        }

        // The agent commits with its Bash tool: a local identity, no signing.
        repo.Git("config", "user.name", "Claude Test");
        repo.Git("config", "user.email", "claude-test@example.invalid");
        repo.Git("config", "commit.gpgsign", "false");
        repo.Commit("initial");
        return new ClaudeProject(repo);
    }

    /// <summary>The environment of the CLI (and of the harness when it runs it); null removes a variable inherited from the test run.</summary>
    public Dictionary<string, string?> Environment(bool sandbox = true) => new(StringComparer.Ordinal)
    {
        ["PATH"] = $"{ClaudeCodeCli.BinFolder}:/usr/local/bin:/usr/bin:/bin",
        ["HOME"] = _home.Path,
        ["CLAUDE_CONFIG_DIR"] = Path.Combine(_home.Path, ".claude"),
        ["ANTHROPIC_BASE_URL"] = Api.Url,
        ["ANTHROPIC_API_KEY"] = "sk-ant-fake-key-for-the-harness-tests",
        ["ANTHROPIC_AUTH_TOKEN"] = null,
        ["CLAUDE_CODE_OAUTH_TOKEN"] = null,
        ["CLAUDE_CODE_USE_BEDROCK"] = null,
        ["CLAUDE_CODE_USE_VERTEX"] = null,
        ["CLAUDE_CODE_USE_FOUNDRY"] = null,
        ["ANTHROPIC_MODEL"] = null,
        ["CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC"] = "1",
        ["DISABLE_AUTOUPDATER"] = "1",
        ["DISABLE_TELEMETRY"] = "1",
        ["DISABLE_ERROR_REPORTING"] = "1",
        ["HTTP_PROXY"] = null,
        ["HTTPS_PROXY"] = null,
        ["http_proxy"] = null,
        ["https_proxy"] = null,
        ["NO_PROXY"] = "127.0.0.1,localhost",
        ["CLAUDE_CODE_MAX_RETRIES"] = "2",
        ["IS_SANDBOX"] = sandbox ? "1" : null,
        ["CLAUDE_PROJECT_DIR"] = null,
    };

    /// <summary>The starter project.json (bypassPermissions), with the fields a test changes.</summary>
    public async Task InitializeAsync(string? permissionMode = null, string? model = "claude-sonnet-4-6", bool hooks = false)
    {
        await using (var project = await HarnessProject.OpenAsync(Root))
        {
            await project.InitializeAsync("unknown", hooks: hooks, hookCommand: hooks ? GuardCommand : null);
        }

        var config = JsonNode.Parse(File.ReadAllText(Layout.ConfigFile))!;
        if (permissionMode is not null) config["agent"]!["permission_mode"] = permissionMode;
        config["agent"]!["model"] = model;
        File.WriteAllText(Layout.ConfigFile, config.ToJsonString());
        Repo.Commit("harness set-up");
    }

    /// <summary>Loop options for one test: the real CLI, the test environment, this harness as the guard, no waiting.</summary>
    public LoopOptions LoopOptions(int maxIterations = 1) => new()
    {
        AgentCommand = ClaudeCodeCli.Executable,
        AgentEnvironment = Environment(),
        GuardCommand = GuardCommand,
        MaxIterations = maxIterations,
        ContinueDelay = TimeSpan.Zero,
        RetryBaseDelay = TimeSpan.FromMilliseconds(50),
        CheckpointInterval = TimeSpan.FromHours(1),
        RunHealthCheck = false,
        SessionTimeout = TimeSpan.FromMinutes(2),
    };

    public async Task<(LoopResult Result, List<LoopEvent> Events)> RunLoopAsync(LoopOptions options)
    {
        var events = new List<LoopEvent>();
        await using var project = await HarnessProject.OpenAsync(Root);
        var result = await project.RunLoopAsync(options, e =>
        {
            lock (events)
            {
                events.Add(e);
            }
        });
        return (result, events);
    }

    /// <summary>One Claude Code session straight through the adapter, as the loop runs it.</summary>
    public Task<AgentSessionResult> RunAgentAsync(AgentSessionRequest request, IProgress<AgentEvent>? progress = null) =>
        new ClaudeCodeAgent(ClaudeCodeCli.Executable).RunAsync(request, progress);

    public AgentSessionRequest Request(string prompt = "Do the task.", string? permissionMode = "bypassPermissions", bool sandbox = true) => new()
    {
        Prompt = prompt,
        WorkingDirectory = Root,
        Model = "claude-sonnet-4-6",
        PermissionMode = permissionMode,
        Environment = Environment(sandbox),
        Timeout = TimeSpan.FromMinutes(2),
        TranscriptPath = Path.Combine(_home.Path, $"transcript-{Guid.NewGuid():N}.jsonl"),
    };

    public string InProject(string relative) => Path.Combine(Root, relative);

    public void Dispose()
    {
        Api.Dispose();
        Repo.Dispose();
        _home.Dispose();
    }
}

/// <summary>Collects agent events synchronously, in order.</summary>
internal sealed class EventLog : IProgress<AgentEvent>
{
    private readonly List<AgentEvent> _events = [];

    public IReadOnlyList<AgentEvent> Events
    {
        get
        {
            lock (_events) return _events.ToList();
        }
    }

    public void Report(AgentEvent value)
    {
        lock (_events) _events.Add(value);
    }
}
