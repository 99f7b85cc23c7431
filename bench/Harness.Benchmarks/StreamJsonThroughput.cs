using System.Diagnostics;
using System.Globalization;
using System.Text;
using Harness.Core.Agents;

namespace Harness.Benchmarks;

/// <summary>
/// Stream-json parsing throughput and memory on a generated transcript (default 1 GB), through the
/// same <see cref="StreamJsonPump"/> the Claude Code adapter uses. Not a BenchmarkDotNet class: one
/// pass over 1 GB is the measurement, and peak working set is what matters.
/// Run: dotnet run -c Release --project bench/Harness.Benchmarks -- stream-json [MB] [--transcript]
/// </summary>
internal static class StreamJsonThroughput
{
    public static int Run(string[] args)
    {
        var megabytes = args.Length > 1 && int.TryParse(args[1], CultureInfo.InvariantCulture, out var mb) ? mb : 1024;
        var withTranscript = args.Contains("--transcript");
        var dir = Path.Combine(Path.GetTempPath(), "harness-streamjson-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        try
        {
            var input = Path.Combine(dir, "transcript.jsonl");
            var generated = Generate(input, megabytes * 1024L * 1024L);
            Console.WriteLine($"generated {generated / 1048576.0:F0} MB in {input}");

            GC.Collect();
            using var self = Process.GetCurrentProcess();
            self.Refresh();
            var workingSetBefore = self.WorkingSet64;
            var session = new StreamJsonSession();
            long maxHeap = 0;
            using var sampler = new Timer(_ => maxHeap = Math.Max(maxHeap, GC.GetTotalMemory(false)), null, 0, 50);
            var stopwatch = Stopwatch.StartNew();
            using (var stream = new FileStream(input, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan))
            using (var transcript = withTranscript ? new FileStream(Path.Combine(dir, "copy.jsonl"), FileMode.Create, FileAccess.Write, FileShare.Read, 1) : null)
            {
                StreamJsonPump.PumpAsync(stream, transcript, session, new NullProgress()).GetAwaiter().GetResult();
            }

            stopwatch.Stop();
            self.Refresh();
            var mbPerSecond = generated / 1048576.0 / stopwatch.Elapsed.TotalSeconds;
            Console.WriteLine($"parsed {session.JsonLines:N0} JSON lines ({session.SkippedLines:N0} skipped) in {stopwatch.Elapsed.TotalSeconds:F2} s{(withTranscript ? " with transcript copy" : "")}");
            Console.WriteLine($"throughput: {mbPerSecond:F0} MB/s (target > 100)");
            Console.WriteLine($"working set: {workingSetBefore / 1048576.0:F0} MB before, peak {self.PeakWorkingSet64 / 1048576.0:F0} MB (process lifetime); managed heap peak ~{maxHeap / 1048576.0:F0} MB");
            Console.WriteLine($"result: outcome tokens in={session.InputTokens} out={session.OutputTokens} cost={session.CostUsd}");
            return mbPerSecond > 100 ? 0 : 1;
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>A realistic mix: the real sample's events repeated with a few non-JSON lines and one result at the end.</summary>
    private static long Generate(string path, long bytes)
    {
        var lines = new[]
        {
            """{"type":"assistant","message":{"id":"msg_01","type":"message","role":"assistant","model":"claude-sonnet-4-6","content":[{"type":"tool_use","id":"toolu_01","name":"Write","input":{"file_path":"/home/dev/project/feature.txt","content":"feature implemented\n"}}],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":29182,"output_tokens":1,"cache_creation_input_tokens":0,"cache_read_input_tokens":0},"context_management":null},"parent_tool_use_id":null,"session_id":"c78a21c9-687e-41b7-9a85-e32505dd6ed4","uuid":"adda728d-e365-42ee-8ba9-59d4fee717ac"}""",
            """{"type":"user","message":{"role":"user","content":[{"tool_use_id":"toolu_01","type":"tool_result","content":"File created successfully at: /home/dev/project/feature.txt (file state is current in your context — no need to Read it back)"}]},"parent_tool_use_id":null,"session_id":"c78a21c9-687e-41b7-9a85-e32505dd6ed4","uuid":"f7efcb06-de33-4479-ab59-7776c4bfb418","timestamp":"2026-11-21T19:32:17.882Z","tool_use_result":{"type":"create","filePath":"/home/dev/project/feature.txt","content":"feature implemented\n","structuredPatch":[],"originalFile":null,"userModified":false}}""",
            """{"type":"assistant","message":{"id":"msg_02","type":"message","role":"assistant","model":"claude-sonnet-4-6","content":[{"type":"text","text":"Now I will run the tests and look at the output carefully before committing."}],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":29411,"output_tokens":1,"cache_creation_input_tokens":0,"cache_read_input_tokens":0},"context_management":null},"parent_tool_use_id":null,"session_id":"c78a21c9-687e-41b7-9a85-e32505dd6ed4","uuid":"d164a7fb-8122-44c7-8fea-d5d234927a8b"}""",
            """{"type":"user","message":{"role":"user","content":[{"tool_use_id":"toolu_02","type":"tool_result","content":"PASS tests/a.test.js\nPASS tests/b.test.js\nTests: 42 passed, 42 total\n","is_error":false}]},"parent_tool_use_id":null,"session_id":"c78a21c9-687e-41b7-9a85-e32505dd6ed4","uuid":"50121e01-aed0-43c7-9559-6ecafcb1f23f"}""",
            "npm WARN deprecated something@1.0.0: not JSON, skipped",
        };
        var init = """{"type":"system","subtype":"init","cwd":"/home/dev/project","session_id":"c78a21c9-687e-41b7-9a85-e32505dd6ed4","model":"claude-sonnet-4-6"}""";
        var result = """{"type":"result","subtype":"success","is_error":false,"api_error_status":null,"num_turns":3,"result":"done","session_id":"c78a21c9-687e-41b7-9a85-e32505dd6ed4","total_cost_usd":0.264561,"usage":{"input_tokens":87912,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":55},"permission_denials":[],"terminal_reason":"completed"}""";
        var block = Encoding.UTF8.GetBytes(string.Join('\n', lines) + "\n");
        using var output = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        output.Write(Encoding.UTF8.GetBytes(init + "\n"));
        while (output.Length < bytes) output.Write(block);
        output.Write(Encoding.UTF8.GetBytes(result + "\n"));
        return output.Length;
    }

    private sealed class NullProgress : IProgress<AgentEvent>
    {
        public void Report(AgentEvent value)
        {
        }
    }
}
