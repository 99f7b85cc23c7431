using System.Text;
using Harness.Core.Entry;
using Harness.Core.Prompts;
using Harness.Core.State;

namespace Harness.Core.Loop.Parallel;

/// <summary>
/// A worker's prompt: the project's coding prompt, filled for its assigned feature and its
/// worktree, and then what is different about working beside other workers, and why the feature's
/// last attempt was sent back when it was.
/// </summary>
internal static class ParallelPrompt
{
    public static string Build(ParallelContext context, EntryReport entry, WorkerAssignment assignment, string? previousAttempt)
    {
        var report = entry with
        {
            Directory = assignment.Layout.Root,
            NextState = SessionState.IMPLEMENT,
            Features = entry.Features with
            {
                NextFeature = assignment.Feature,
                Path = entry.Features.Path is { } path ? Path.Combine(assignment.Layout.Root, Path.GetRelativePath(context.Project.Layout.Root, path)) : null,
            },
        };
        var prompt = new StringBuilder(PromptBuilder.Build(report, context.Project.Config, assignment.Layout));
        prompt.Append("\n\n## Parallel session\n\n");
        prompt.Append($"You are worker {assignment.Worker} of a parallel run. Other agents work on other features at the same time, each in its own git worktree. ");
        prompt.Append($"Yours is {assignment.Layout.Root}, on branch {assignment.Branch}, started from {context.Main.BranchName} at {assignment.BaseCommit[..Math.Min(12, assignment.BaseCommit.Length)]}. ");
        prompt.Append($"Work only on feature {assignment.Feature.Id} and only in this folder; do not switch branches. When it works, mark only {assignment.Feature.Id} done in the feature list and commit. ");
        prompt.Append("The harness checks health in your worktree, merges your branch into the main line and checks the merged result; changes you make to other features in the list are not merged.\n");
        if (previousAttempt is not null)
        {
            prompt.Append($"\nThe previous attempt at {assignment.Feature.Id} was not merged: {previousAttempt}. ");
            prompt.Append("You start from the main line as it is now, which has the other features' work; do the feature again on top of it, and keep what the main line changed in those files.\n");
        }

        return prompt.ToString();
    }
}
