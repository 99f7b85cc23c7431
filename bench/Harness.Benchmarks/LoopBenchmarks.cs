using BenchmarkDotNet.Attributes;
using Harness.Core.Agents;
using Harness.Core.Features;
using Harness.Core.Git;
using Harness.Core.Loop;
using Harness.Core.Project;
using Harness.TestKit;

namespace Harness.Benchmarks;

/// <summary>
/// What the loop itself costs per iteration, without an agent and without the continue delay:
/// entry, session start, integrity check, handoff (summary, checkpoint commit, metrics). The agent
/// is an in-process stand-in that marks the next feature done. Target: under 100 ms an iteration.
/// </summary>
[SimpleJob(invocationCount: 1, iterationCount: 5, warmupCount: 1)]
[MemoryDiagnoser]
public class LoopBenchmarks
{
    private const int Features = 10;
    private TempGitRepo? _repo;

    [IterationSetup]
    public void Setup()
    {
        _repo = TempGitRepo.Init();
        ProjectFiles.WriteFeatures(_repo.Path, Enumerable.Range(1, Features).Select(i => ($"F{i:00}", "pending")).ToArray());
        _repo.Commit("features");
    }

    [IterationCleanup]
    public void Cleanup() => _repo?.Dispose();

    [Benchmark(OperationsPerInvoke = Features, Description = "AutonomousLoop, one iteration (no agent work, no delay)")]
    public async Task<LoopResult> Iteration()
    {
        await using var project = await HarnessProject.OpenAsync(_repo!.Path).ConfigureAwait(false);
        var result = await project.RunLoopAsync(new LoopOptions
        {
            Agent = new MarkNextDone(),
            ContinueDelay = TimeSpan.Zero,
            RunHealthCheck = false,
            CheckpointInterval = TimeSpan.FromHours(1),
        }).ConfigureAwait(false);
        if (result.Sessions.Count != Features)
        {
            throw new InvalidOperationException($"expected {Features} sessions, ran {result.Sessions.Count}: {result.Message}");
        }

        return result;
    }

    private sealed class MarkNextDone : IAgentRunner
    {
        public string Name => "mark-next-done";

        public Task<AgentSessionResult> RunAsync(AgentSessionRequest request, IProgress<AgentEvent>? progress = null, CancellationToken cancellationToken = default)
        {
            var layout = ProjectLayout.ForRoot(request.WorkingDirectory);
            var next = FeatureStore.LoadSummary(layout)!.NextFeature!;
            FeatureStore.SetStatus(layout, [next.Id], FeatureStatuses.Completed);
            return Task.FromResult(new AgentSessionResult { Outcome = AgentOutcome.Completed, HasResultEvent = true, ResultText = $"{next.Id} done" });
        }
    }
}
