#!/bin/sh
# Tests for src/todo.sh: each feature adds its own checks here.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
TODO_FILE=$(mktemp)
export TODO_FILE
trap 'rm -f "$TODO_FILE"' EXIT
todo() { sh "$here/src/todo.sh" "$@"; }

todo add "buy milk"
todo list | grep -q "1. \[ \] buy milk"

# F003: done N
todo add "walk the dog"
todo done 2
todo list | grep -q "2. \[x\] walk the dog"
if todo done 9 2>/dev/null; then echo "done 9 should fail" >&2; exit 1; fi
# F004: remove N
todo remove 1
todo list | grep -q "1. \[x\] walk the dog"
# F005: clear
todo add "water plants"
todo clear
todo list | grep -q "1. \[ \] water plants"
[ "$(todo list | wc -l)" -eq 1 ]
echo "tests passed"
