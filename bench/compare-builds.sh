#!/usr/bin/env bash
# bench/compare-builds.sh A B - two builds of harness on the hot command lines, alternately in one
# run: `harness guard` on a PreToolUse Write that is blocked (the guard-vs-seed input) and
# `harness entry --json` on the entry fixture (bench/fixtures/entry-c2000-f10000, made if missing).
# For a change that claims to make start-up faster or to cost nothing: build both sides (say with
# `dotnet publish src/Harness.Cli -c Release -r linux-x64 -o DIR`) and compare.
#
# Usage: bash bench/compare-builds.sh A B [--runs N] [--warmup K]
#   A, B          the two harness executables
#   --runs N      timed runs of each command line per build (default 40)
#   --warmup K    untimed runs first (default 3)
# Prints min / median / mean in ms per build and command, and the ratio B/A of the medians; writes
# the same to bench/results/compare-builds.txt. Exit status: 0 done, 1 an error.
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$SCRIPT_DIR/.." && pwd)
RUNS=40
WARMUP=3
FIXTURE=""
BUILDS=()

die() { echo "compare-builds: $*" >&2; exit 1; }
# shellcheck source=lib.sh
. "$SCRIPT_DIR/lib.sh"

while [ $# -gt 0 ]; do
    case "$1" in
        --runs) [ $# -ge 2 ] || die "--runs needs a value"; RUNS=$2; shift 2 ;;
        --warmup) [ $# -ge 2 ] || die "--warmup needs a value"; WARMUP=$2; shift 2 ;;
        -h|--help) sed -n '2,13p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
        -*) die "unknown option: $1 (see --help)" ;;
        *) BUILDS+=("$1"); shift ;;
    esac
done
[ ${#BUILDS[@]} -eq 2 ] || die "give two harness executables, A and B (see --help)"
for b in 0 1; do
    [ -x "${BUILDS[$b]}" ] || die "${BUILDS[$b]} is not an executable"
    BUILDS[$b]=$(cd "$(dirname "${BUILDS[$b]}")" && pwd)/$(basename "${BUILDS[$b]}")   # the runs cd
done
case "$RUNS" in ''|*[!0-9]*|0) die "--runs must be a positive integer" ;; esac
case "$WARMUP" in ''|*[!0-9]*) die "--warmup must be a non-negative integer" ;; esac

prepare_entry_fixture
GUARD=$(mktemp -d)
trap 'rm -rf "$GUARD"' EXIT
make_guard_fixture "$GUARD"
cd "$GUARD"
export CLAUDE_PROJECT_DIR="$GUARD"

# once BUILD WHAT: one run, checked (guard blocks with exit 2, entry exits 0).
once() {
    local rc=0
    case "$2" in
        guard) "$1" guard <write.json >/dev/null 2>&1 || rc=$?; [ "$rc" -eq 2 ] || die "$1 guard exited $rc, expected 2" ;;
        entry) "$1" entry --json --project "$FIXTURE" >/dev/null 2>&1 || die "$1 entry --json --project $FIXTURE failed" ;;
    esac
}

declare -A SAMPLES
for ((i = 0; i < WARMUP + RUNS; i++)); do
    for what in guard entry; do
        for b in 0 1; do
            t0=$(now_us)
            once "${BUILDS[$b]}" "$what"
            [ "$i" -lt "$WARMUP" ] || SAMPLES[$what$b]+="$(($(now_us) - t0)) "
        done
    done
done

REPORT=$(
    echo "compare-builds  $(date -u +%Y-%m-%dT%H:%M:%SZ)  repo $(git -C "$REPO_ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')  $(uname -srm), $(nproc) cores"
    echo "A: ${BUILDS[0]}"
    echo "B: ${BUILDS[1]}"
    echo "runs: $RUNS per build and command line after $WARMUP warm-up(s), alternating"
    echo ""
    printf '%-32s %10s %10s %10s\n' "" "min ms" "median ms" "mean ms"
    for what in guard entry; do
        for b in 0 1; do
            # shellcheck disable=SC2086 # the samples are space-separated on purpose
            read -r mn md mean < <(stats ${SAMPLES[$what$b]})
            printf '%-32s %10s %10s %10s\n' "$what $([ "$b" -eq 0 ] && echo A || echo B)" "$mn" "$md" "$mean"
            [ "$b" -eq 0 ] && a_med=$md
        done
        echo "$what: B/A of the medians $(awk -v a="$a_med" -v b="$md" 'BEGIN { printf "%.3f", b / a }')"
    done
)
echo "$REPORT"
mkdir -p "$SCRIPT_DIR/results"
{
    echo "$REPORT"
    echo ""
    for key in guard0 guard1 entry0 entry1; do echo "raw $key us: ${SAMPLES[$key]}"; done
} > "$SCRIPT_DIR/results/compare-builds.txt"
