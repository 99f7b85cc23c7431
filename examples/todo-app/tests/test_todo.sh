#!/bin/sh
# Tests for src/todo.sh: each feature adds its own checks here.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
TODO_FILE=$(mktemp)
export TODO_FILE
trap 'rm -f "$TODO_FILE"' EXIT

sh "$here/src/todo.sh" add "buy milk"
sh "$here/src/todo.sh" list | grep -q "1. \[ \] buy milk"
echo "tests passed"
