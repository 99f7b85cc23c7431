#!/usr/bin/env bash
# bench/all.sh - every whole-process benchmark on one install of the tool: packs and installs it
# once (build/pack.sh --cli-only, dotnet tool install; bench/lib.sh), then runs entry-vs-seed.sh,
# guard-vs-seed.sh and loop-overhead.sh against that install, and writes their reports to
# bench/results/all.txt.
#
# Usage: bash bench/all.sh [--no-pack]
#   --no-pack   reuse the tool installed in bench/artifacts/tools by an earlier run
# Exit status: 0 every target met, 2 a target missed, 1 an error.
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$SCRIPT_DIR/.." && pwd)
PACK=1

die() { echo "all: $*" >&2; exit 1; }
# shellcheck source=lib.sh
. "$SCRIPT_DIR/lib.sh"

case "${1:-}" in
    "") ;;
    --no-pack) PACK=0 ;;
    -h|--help) sed -n '2,9p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument: $1 (see --help)" ;;
esac
[ -z "${HARNESS_BIN:-}" ] || die "HARNESS_BIN is for the single scripts; bench/all.sh times the installed tool"

install_harness all "$PACK"

status=0
for bench in entry-vs-seed guard-vs-seed loop-overhead; do
    echo "== $bench"
    rc=0
    bash "$SCRIPT_DIR/$bench.sh" --no-pack || rc=$?
    case "$rc" in
        0) ;;
        2) status=2 ;;
        *) die "$bench.sh failed (exit $rc)" ;;
    esac
done

for bench in entry-vs-seed guard-vs-seed loop-overhead; do
    sed '/^raw /,$d' "$SCRIPT_DIR/results/$bench.txt"
    echo ""
done > "$SCRIPT_DIR/results/all.txt"
echo "== written to bench/results/all.txt"
exit "$status"
