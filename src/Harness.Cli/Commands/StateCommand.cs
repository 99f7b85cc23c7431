using System.CommandLine;
using System.Globalization;
using System.Text;
using Harness.Core.Json;
using Harness.Core.Project;
using Harness.Core.State;

namespace Harness.Cli.Commands;

/// <summary><c>harness state</c>: what state.json says, read-only.</summary>
internal static class StateCommand
{
    public static Command Create()
    {
        var project = CommonOptions.Project();
        var json = CommonOptions.Json();
        var history = new Option<int>("--history") { Description = "How many recent transitions to show in text output.", DefaultValueFactory = _ => 5 };
        var command = new Command("state", "Show the harness state of a project (state.json): state, health, dirty flag, history.")
        {
            project, json, history,
        };
        command.SetAction(parse => CommonOptions.Run(() =>
        {
            using var opened = CommonOptions.Open(parse.GetValue(project));
            var layout = opened.Layout;
            var state = opened.ReadState();
            if (parse.GetValue(json))
            {
                Console.Out.WriteLine(state is null ? "null" : StateStore.ToJson(state));
                return ExitCodes.Ok;
            }

            Console.Out.WriteLine(state is null
                ? $"No state yet: {layout.StateFile} does not exist. 'harness entry' creates it."
                : Format(layout, state, parse.GetValue(history)));
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static string Format(ProjectLayout layout, HarnessState state, int historyCount)
    {
        static string At(DateTimeOffset? t) => t is { } time ? Timestamps.Display(time) : "-";
        var s = new StringBuilder();
        s.AppendLine(CultureInfo.InvariantCulture, $"State file:      {layout.StateFile}");
        s.AppendLine(CultureInfo.InvariantCulture, $"State:           {state.State} (since {At(state.EnteredAt)})");
        s.AppendLine(CultureInfo.InvariantCulture, $"Health:          {state.HealthStatus} (checked {At(state.HealthCheckedAt)})");
        s.AppendLine(CultureInfo.InvariantCulture, $"Dirty:           {(state.Dirty ? "yes (a session is running, or the last one crashed)" : "no")}");
        s.AppendLine(CultureInfo.InvariantCulture, $"Iteration:       {state.Iteration}");
        s.AppendLine(CultureInfo.InvariantCulture, $"Session:         {state.SessionId ?? "-"}");
        s.AppendLine(CultureInfo.InvariantCulture, $"Current feature: {state.CurrentFeature ?? "-"}");
        s.AppendLine(CultureInfo.InvariantCulture, $"Last action:     {state.LastAction ?? "-"}");
        s.AppendLine(CultureInfo.InvariantCulture, $"Last entry:      {At(state.LastEntryAt)}");
        s.Append(CultureInfo.InvariantCulture, $"Updated:         {At(state.Timestamp)}");
        if (historyCount > 0 && state.History.Count > 0)
        {
            s.AppendLine();
            s.Append(CultureInfo.InvariantCulture, $"History (last {Math.Min(historyCount, state.History.Count)} of {state.History.Count}):");
            foreach (var t in state.History.TakeLast(historyCount))
            {
                s.AppendLine();
                s.Append(CultureInfo.InvariantCulture, $"  {At(t.At)}  {t.From} -> {t.To}: {t.Reason}");
            }
        }

        return s.ToString();
    }
}
