#!/bin/sh
# A tiny to-do list kept in a text file: the example project the harness drives.
# Usage: todo.sh add TEXT | list | done N
set -eu
store="${TODO_FILE:-todo.txt}"
touch "$store"
case "${1:-list}" in
  add)
    shift
    [ $# -gt 0 ] || { echo "usage: todo.sh add TEXT" >&2; exit 2; }
    printf '[ ] %s\n' "$*" >> "$store"
    ;;
  list)
    nl -ba -w1 -s'. ' "$store"
    ;;
  *)
    echo "unknown command: $1 (try add, list)" >&2
    exit 2
    ;;
esac
