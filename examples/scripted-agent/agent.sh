#!/usr/bin/env bash
# A scripted stand-in for a coding agent, so `harness loop` runs end to end on the built-in
# example with no model and no network. The harness runs it as its agent command
# ("bash examples/scripted-agent/agent.sh {prompt_file}") in the project folder; it does what the
# harness's IMPLEMENT prompt asks of a real agent, for the todo-app's pending features: take the
# feature named in the prompt, implement it (from steps/<id>/), run the tests, set its status with
# `harness features set`, commit, and end with a short summary.
set -euo pipefail

prompt_file=${1:?usage: agent.sh PROMPT_FILE}
steps="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/steps"
harness=${HARNESS_BIN:-harness}

# The prompt names the feature on a line of its own: "F003: Mark a to-do done".
feature=$(grep -oE '^F[0-9]{3}: ' "$prompt_file" | head -n 1 | tr -d ': ' || true)
if [ -z "$feature" ]; then
  echo "No feature in the prompt: nothing to do in this session."
  exit 0
fi

if [ ! -d "$steps/$feature" ]; then
  echo "The scripted agent does not know how to build $feature." >&2
  exit 1
fi

echo "Taking $feature."
"$harness" features set "$feature" --status in_progress >/dev/null
cp "$steps/$feature/todo.sh" src/todo.sh
cp "$steps/$feature/test_todo.sh" tests/test_todo.sh
sh tests/test_todo.sh
"$harness" features set "$feature" --status tested --notes "Implemented and verified with tests/test_todo.sh by the scripted agent." >/dev/null
git add -A
git commit -q -m "$feature: $(grep -m1 -E "^$feature: " "$prompt_file" | cut -d' ' -f2-)"
echo "Implemented $feature and verified it with tests/test_todo.sh; committed."
