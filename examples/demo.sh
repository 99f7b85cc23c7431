#!/usr/bin/env bash
# The main job on the built-in example: builds the harness CLI, copies examples/todo-app into a
# fresh git repository (so this checkout is never written to), and runs the session entry
# protocol on it, then shows its state and features.
# Usage: bash examples/demo.sh [WORK_DIR]
set -euo pipefail

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
work=${1:-$(mktemp -d "${TMPDIR:-/tmp}/harness-demo.XXXXXX")}

echo "== building the harness CLI"
dotnet publish "$repo_root/src/Harness.Cli/Harness.Cli.csproj" -c Release -f net10.0 --nologo -v quiet -p:PublishReadyToRun=true -r "$(dotnet --info | sed -n 's/^ *RID: *//p' | head -n 1)" --self-contained false -o "$repo_root/artifacts/cli" >/dev/null
harness=("$repo_root/artifacts/cli/harness")

echo "== copying examples/todo-app to $work"
mkdir -p "$work"
cp -R "$repo_root/examples/todo-app/." "$work/"
(
  cd "$work"
  git init -q
  git add -A
  # An identity for this one commit only: the user's git config is never changed.
  git -c user.name="Harness demo" -c user.email="demo@harness.invalid" commit -q -m "todo-app: F001 and F002 done"
)

echo "== harness entry --project $work"
"${harness[@]}" entry --project "$work"
echo
echo "== harness state --project $work"
"${harness[@]}" state --project "$work"
echo
echo "== harness features --status pending --project $work"
"${harness[@]}" features --status pending --project "$work"
