#!/usr/bin/env bash
# The main job on the built-in example: builds the harness CLI, copies examples/todo-app (2 of 5
# features done) into a fresh git repository (this checkout is never written to), shows the
# session entry report, then runs the autonomous loop with the offline scripted agent until the
# feature list is done, and shows the result.
# Usage: bash examples/demo.sh [WORK_DIR]
set -euo pipefail

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
work=${1:-$(mktemp -d "${TMPDIR:-/tmp}/harness-demo.XXXXXX")}
rid=$(dotnet --info | sed -n 's/^ *RID: *//p' | head -n 1)

# ReadyToRun, not the Native AOT build the tool package installs (build/pack.sh): the same
# behaviour, and it needs no C toolchain, which AOT does (docs/packaging.md).
echo "== building the harness CLI (ReadyToRun, $rid)"
dotnet publish "$repo_root/src/Harness.Cli/Harness.Cli.csproj" -c Release -f net10.0 -r "$rid" --self-contained false \
  -p:PublishAot=false -p:PublishReadyToRun=true --nologo -v quiet -o "$repo_root/artifacts/cli" >/dev/null
export HARNESS_BIN="$repo_root/artifacts/cli/harness"

# An identity for the demo's commits only (the agent's and the harness's): git config is never changed.
export GIT_AUTHOR_NAME="Harness demo" GIT_AUTHOR_EMAIL="demo@harness.invalid"
export GIT_COMMITTER_NAME="Harness demo" GIT_COMMITTER_EMAIL="demo@harness.invalid"

echo "== copying examples/todo-app to $work"
mkdir -p "$work"
cp -R "$repo_root/examples/todo-app/." "$work/"
(cd "$work" && git init -q && git add -A && git commit -q -m "todo-app: F001 and F002 done")

echo "== harness entry --project $work"
"$HARNESS_BIN" entry --project "$work"
echo

echo "== harness loop --project $work (scripted agent, offline)"
status=0
"$HARNESS_BIN" loop --project "$work" --continue-delay 0 \
  --agent-command "bash $repo_root/examples/scripted-agent/agent.sh {prompt_file}" || status=$?
echo

echo "== harness features --project $work"
"$HARNESS_BIN" features --project "$work"
echo
echo "== harness metrics --project $work"
"$HARNESS_BIN" metrics --project "$work"
echo
echo "== git log --oneline (the agent's commits and the harness's checkpoints)"
git -C "$work" log --oneline
exit "$status"
