#!/bin/sh
# A tiny to-do list kept in a text file: the example project the harness drives.
# Usage: todo.sh add TEXT | list | done N | remove N | clear
set -eu
store="${TODO_FILE:-todo.txt}"
touch "$store"

item_number() {
  case "${1:-}" in
    ''|*[!0-9]*) echo "expected an item number, got '${1:-}'" >&2; exit 2 ;;
  esac
  count=$(wc -l < "$store")
  if [ "$1" -lt 1 ] || [ "$1" -gt "$count" ]; then
    echo "no item $1 (the list has $count)" >&2
    exit 2
  fi
}

case "${1:-list}" in
  add)
    shift
    [ $# -gt 0 ] || { echo "usage: todo.sh add TEXT" >&2; exit 2; }
    printf '[ ] %s\n' "$*" >> "$store"
    ;;
  list)
    nl -ba -w1 -s'. ' "$store"
    ;;
  done)
    item_number "${2:-}"
    sed -i "${2}s/^\[ \]/[x]/" "$store"
    ;;
  remove)
    item_number "${2:-}"
    sed -i "${2}d" "$store"
    ;;
  clear)
    sed -i '/^\[x\]/d' "$store"
    ;;
  *)
    echo "unknown command: $1 (try add, list, done, remove, clear)" >&2
    exit 2
    ;;
esac
