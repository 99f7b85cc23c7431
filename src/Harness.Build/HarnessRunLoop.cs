using System.Globalization;
using Harness.Core.Entry;
using Harness.Core.Git;
using Harness.Core.Hosting;
using Harness.Core.Loop;
using Harness.Core.Project;
using Microsoft.Build.Framework;

namespace Harness.Build;

/// <summary>
/// Runs the autonomous loop (<c>harness loop</c>, <c>Start-AutonomousLoop</c>): one
/// <see cref="AutonomousLoop.RunAsync"/> call, each session logged as it ends, its result mapped
/// to outputs. Cancelling the build cancels the loop, which kills the agent and hands off first.
/// Limits are strings so that an empty property means "project.json decides".
/// </summary>
public sealed class HarnessRunLoop : HarnessTask
{
    public string? MaxIterations { get; set; }

    public string? MaxCostUsd { get; set; }

    public string? MaxTokens { get; set; }

    /// <summary>Seconds.</summary>
    public string? MaxTime { get; set; }

    /// <summary>Seconds.</summary>
    public string? SessionTimeout { get; set; }

    /// <summary>Seconds.</summary>
    public string? ContinueDelay { get; set; }

    public string? MaxRetries { get; set; }

    public string? StallLimit { get; set; }

    /// <summary>keep (default) or rollback.</summary>
    public string? OnCrash { get; set; }

    public bool RunHealthCheck { get; set; } = true;

    public bool UseGuardHooks { get; set; } = true;

    public string? AgentCommand { get; set; }

    public string? GuardCommand { get; set; }

    /// <summary>Error HARN0300 when the loop stopped before the project was finished.</summary>
    public bool FailWhenStoppedShort { get; set; }

    [Output] public string StopReason { get; private set; } = "";

    [Output] public bool Finished { get; private set; }

    [Output] public int SessionsRun { get; private set; }

    /// <summary>Invariant culture, e.g. <c>1.25</c>.</summary>
    [Output] public string TotalCostUsd { get; private set; } = "0";

    [Output] public int FeaturesDone { get; private set; }

    [Output] public int FeaturesTotal { get; private set; }

    /// <summary>Feature ids, semicolon-separated (an MSBuild list).</summary>
    [Output] public string BlockedFeatures { get; private set; } = "";

    [Output] public string ProjectRoot { get; private set; } = "";

    protected override void Run(IHarnessHost host, CancellationToken cancellationToken)
    {
        var options = new LoopOptions
        {
            MaxIterations = Parse("HarnessLoopMaxIterations", MaxIterations, s => int.Parse(s, NumberStyles.Integer, CultureInfo.InvariantCulture)),
            MaxCostUsd = Parse("HarnessLoopMaxCostUsd", MaxCostUsd, s => decimal.Parse(s, NumberStyles.Number, CultureInfo.InvariantCulture)),
            MaxTokens = Parse("HarnessLoopMaxTokens", MaxTokens, s => long.Parse(s, NumberStyles.Integer, CultureInfo.InvariantCulture)),
            MaxWallTime = Parse("HarnessLoopMaxTime", MaxTime, Seconds),
            SessionTimeout = Parse("HarnessLoopSessionTimeout", SessionTimeout, Seconds),
            ContinueDelay = Parse("HarnessLoopContinueDelay", ContinueDelay, Seconds),
            MaxRetries = Parse("HarnessLoopMaxRetries", MaxRetries, s => int.Parse(s, NumberStyles.Integer, CultureInfo.InvariantCulture)),
            StallLimit = Parse("HarnessLoopStallLimit", StallLimit, s => int.Parse(s, NumberStyles.Integer, CultureInfo.InvariantCulture)),
            OnCrash = CrashPolicyNames.Parse(OnCrash) ?? Invalid<CrashPolicy>(CrashPolicyNames.Invalid("HarnessLoopOnCrash", OnCrash)),
            RunHealthCheck = RunHealthCheck,
            UseGuardHooks = UseGuardHooks,
            AgentCommand = NullIfEmpty(AgentCommand),
            GuardCommand = NullIfEmpty(GuardCommand),
        };
        if (Log.HasLoggedErrors)
        {
            return;
        }

        using var project = OpenProject(host, cancellationToken);
        var layout = project.Layout;
        ProjectRoot = layout.Root;
        var result = project.RunLoopAsync(options, OnEvent, cancellationToken).GetAwaiter().GetResult();

        StopReason = result.StopReason.ToString();
        Finished = result.Finished;
        SessionsRun = result.Sessions.Count;
        TotalCostUsd = result.TotalCostUsd.ToString("0.00####", CultureInfo.InvariantCulture);
        FeaturesDone = result.FeaturesDone;
        FeaturesTotal = result.FeaturesTotal;
        BlockedFeatures = string.Join(";", result.BlockedFeatures);

        var blocked = result.BlockedFeatures.Count > 0 ? $", blocked: {string.Join(", ", result.BlockedFeatures)}" : "";
        Log.LogMessage(
            MessageImportance.High,
            string.Create(CultureInfo.InvariantCulture, $"Harness: loop stopped: {result.StopReason} ({result.Message}); {result.Sessions.Count} sessions, {result.FeaturesDone} of {result.FeaturesTotal} features done{blocked}, ${result.TotalCostUsd:0.00}, {result.TotalTokens} tokens, {result.Duration.TotalSeconds:0} s [{layout.Root}]"));

        if (!result.Finished && FailWhenStoppedShort && result.StopReason != LoopStopReason.Cancelled)
        {
            Log.LogError(null, HarnessErrorCodes.LoopStoppedShort, null, layout.Root, 0, 0, 0, 0,
                $"The loop stopped before the project was finished: {result.StopReason} ({result.Message}). {result.FeaturesDone} of {result.FeaturesTotal} features done{blocked}.");
        }
    }

    /// <summary>Core calls this from its own threads; MSBuild's task logging takes messages from any thread while the task runs.</summary>
    private void OnEvent(LoopEvent e)
    {
        if (e.Kind == LoopEventKind.SessionEnded && e.Session is { } s)
        {
            Log.LogMessage(
                MessageImportance.Normal,
                string.Create(CultureInfo.InvariantCulture, $"Harness: session {s.Iteration} ({s.State}{(s.FeatureId is null ? "" : " " + s.FeatureId)}) ended: {s.ExitReason}, {s.FeaturesDoneAfter}/{s.FeaturesTotal} features done, ${s.CostUsd:0.00}, {s.InputTokens + s.OutputTokens} tokens, {s.Duration.TotalSeconds:0} s{(s.Retries > 0 ? $", {s.Retries} retries" : "")}{(s.BlockedFeature is null ? "" : $", {s.BlockedFeature} blocked")}"));
        }
        else if (e.Kind == LoopEventKind.SurvivorsKilled)
        {
            Log.LogWarning("Harness: " + e.Message);
        }
        else if (e.Kind is LoopEventKind.FeatureBlocked or LoopEventKind.Retrying or LoopEventKind.Waiting or LoopEventKind.SessionStarting)
        {
            Log.LogMessage(MessageImportance.Low, "Harness: " + e.Message);
        }
    }

    private static TimeSpan Seconds(string value) => TimeSpan.FromSeconds(double.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture));

    private T? Parse<T>(string property, string? value, Func<string, T> parse)
        where T : struct
    {
        if (NullIfEmpty(value) is not { } text)
        {
            return null;
        }

        try
        {
            return parse(text.Trim());
        }
        catch (Exception ex) when (ex is FormatException or OverflowException or ArgumentException)
        {
            return Invalid<T>($"{property} is '{value}'; it must be a number (invariant culture, seconds for times).");
        }
    }

    private T Invalid<T>(string message)
    {
        Log.LogError(null, HarnessErrorCodes.InvalidProperty, null, NullIfEmpty(ProjectDirectory), 0, 0, 0, 0, message);
        return default!;
    }
}
