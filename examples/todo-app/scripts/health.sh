#!/bin/sh
# Health check: the app's script parses and its basic command runs. Quick by design:
# the harness runs it at every session entry.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
sh -n "$here/src/todo.sh"
TODO_FILE=$(mktemp) sh "$here/src/todo.sh" list >/dev/null
