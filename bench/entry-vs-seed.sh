#!/usr/bin/env bash
# bench/entry-vs-seed.sh - wall-clock time of `harness entry --json` against the seed
# bash script (bench/seed/session-entry.sh) on the same fixture, whole process each.
#
# Usage: bash bench/entry-vs-seed.sh [--runs N] [--warmup K] [--fixture DIR] [--no-publish] [--self-contained]
#   --runs N       timed runs of each command (default 20)
#   --warmup K     untimed runs of each command first (default 3)
#   --fixture DIR  use this fixture (default bench/fixtures/entry-c2000-f10000, made if missing)
#   --no-publish   reuse bench/artifacts/harness/harness instead of publishing it again
#   --self-contained  measure the self-contained composite ReadyToRun build (framework and harness
#                  precompiled as one unit: faster start-up, ~90 MB) instead of the framework-dependent one
# Environment:
#   HARNESS_BIN    run this executable instead of the published CLI (no publish step);
#                  it is called as  $HARNESS_BIN entry --json --project FIXTURE
#
# Target: median(harness) <= median(seed) / 5. Prints min / median / mean in ms and the
# ratio, and writes the same to bench/results/entry-vs-seed.txt.
# Exit status: 0 PASS, 2 FAIL (target missed), 1 anything else went wrong.
#
# Timing uses bash's $EPOCHREALTIME (bash >= 5, microseconds, no fork) and falls back to
# `date +%s%N`; the fork of `date` would add about 1 ms to every sample. The two commands
# are run alternately so that drift in machine load hits both alike.
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$SCRIPT_DIR/.." && pwd)
RUNS=20
WARMUP=3
FIXTURE=""
PUBLISH=1
SELF_CONTAINED=0
TARGET_RATIO=0.2

die() { echo "entry-vs-seed: $*" >&2; exit 1; }
# shellcheck source=lib.sh
. "$SCRIPT_DIR/lib.sh"

while [ $# -gt 0 ]; do
    case "$1" in
        --runs) [ $# -ge 2 ] || die "--runs needs a value"; RUNS=$2; shift 2 ;;
        --runs=*) RUNS=${1#*=}; shift ;;
        --warmup) [ $# -ge 2 ] || die "--warmup needs a value"; WARMUP=$2; shift 2 ;;
        --warmup=*) WARMUP=${1#*=}; shift ;;
        --fixture) [ $# -ge 2 ] || die "--fixture needs a value"; FIXTURE=$2; shift 2 ;;
        --fixture=*) FIXTURE=${1#*=}; shift ;;
        --no-publish) PUBLISH=0; shift ;;
        --self-contained) SELF_CONTAINED=1; shift ;;
        -h|--help) sed -n '2,20p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) die "unknown argument: $1 (see --help)" ;;
    esac
done
case "$RUNS" in ''|*[!0-9]*|0) die "--runs must be a positive integer" ;; esac
case "$WARMUP" in ''|*[!0-9]*) die "--warmup must be a non-negative integer" ;; esac

for tool in git jq awk sort; do
    command -v "$tool" >/dev/null 2>&1 || die "$tool is required"
done

# --- fixture ---------------------------------------------------------------
if [ -z "$FIXTURE" ]; then
    FIXTURE="$SCRIPT_DIR/fixtures/entry-c2000-f10000"
    if [ ! -f "$FIXTURE/.git/harness-bench-fixture" ]; then
        # Missing, or left half-made by an interrupted run: (re)make it.
        FORCE=(); [ -e "$FIXTURE" ] && FORCE=(--force)
        bash "$SCRIPT_DIR/make-fixture.sh" "$FIXTURE" --commits 2000 --features 10000 "${FORCE[@]}"
    fi
fi
[ -d "$FIXTURE/.git" ] || die "fixture $FIXTURE is not a git repository"
[ -f "$FIXTURE/.claude/progress/feature-list.json" ] || die "fixture $FIXTURE has no feature list"
FIXTURE=$(cd "$FIXTURE" && pwd -P)

# Everything the commands read is committed in the fixture; only state.json (and the harness's
# backup of it, state.json.bak) may differ
# from HEAD (harness entry rewrites its timestamps). Anything else changed means an
# earlier run or a person altered the work, and timings would not be comparable.
fixture_changes() {
    git -C "$FIXTURE" status --porcelain --untracked-files=all -- . ':(exclude).claude/progress/state.json' ':(exclude).claude/progress/state.json.bak'
}
CHANGES=$(fixture_changes)
if [ -n "$CHANGES" ]; then
    echo "$CHANGES" | head -20 >&2
    die "fixture $FIXTURE differs from its commit (above); remake it: bash bench/make-fixture.sh $FIXTURE --force"
fi
FIXTURE_HEAD=$(git -C "$FIXTURE" rev-parse HEAD)

# --- harness binary --------------------------------------------------------
publish_harness entry-vs-seed "$PUBLISH" "$SELF_CONTAINED"
command -v "$HARNESS" >/dev/null 2>&1 || [ -x "$HARNESS" ] || die "harness executable not found: $HARNESS"

SEED=(bash "$SCRIPT_DIR/seed/session-entry.sh" "$FIXTURE")
HARN=("$HARNESS" entry --json --project "$FIXTURE")

ERR=$(mktemp)
OUT=$(mktemp)
trap 'rm -f "$ERR" "$OUT"' EXIT

# run NAME CMD... : run once, stdout to /dev/null; on failure show stderr and stop.
run() {
    local name=$1; shift
    if ! "$@" >/dev/null 2>"$ERR"; then
        echo "entry-vs-seed: $name failed: $*" >&2
        cat "$ERR" >&2
        exit 1
    fi
}


# --- sanity + warm-up ------------------------------------------------------
# The harness must print one JSON document on stdout; check that once.
if ! "${HARN[@]}" >"$OUT" 2>"$ERR"; then
    echo "entry-vs-seed: harness entry failed: ${HARN[*]}" >&2; cat "$ERR" >&2; exit 1
fi
# (jq 1.6 exits 0 on empty input even with -e, hence the -s test.)
[ -s "$OUT" ] && jq -e 'type == "object"' "$OUT" >/dev/null 2>&1 || { echo "entry-vs-seed: harness entry --json did not print a JSON object (is the entry command implemented?):" >&2; head -c 2000 "$OUT" >&2; exit 1; }
run seed "${SEED[@]}"

for ((i = 0; i < WARMUP; i++)); do
    run seed "${SEED[@]}"
    run harness "${HARN[@]}"
done

# --- timed runs (alternating) ----------------------------------------------
SEED_US=()
HARN_US=()
for ((i = 0; i < RUNS; i++)); do
    t0=$(now_us)
    if ! "${SEED[@]}" >/dev/null 2>"$ERR"; then echo "entry-vs-seed: seed failed on run $((i + 1))" >&2; cat "$ERR" >&2; exit 1; fi
    t1=$(now_us)
    if ! "${HARN[@]}" >/dev/null 2>"$ERR"; then echo "entry-vs-seed: harness failed on run $((i + 1))" >&2; cat "$ERR" >&2; exit 1; fi
    t2=$(now_us)
    SEED_US+=($((t1 - t0)))
    HARN_US+=($((t2 - t1)))
done

if [ -n "$(fixture_changes)" ] || [ "$(git -C "$FIXTURE" rev-parse HEAD)" != "$FIXTURE_HEAD" ]; then
    fixture_changes | head -20 >&2
    die "the fixture changed during the runs (beyond state.json); results are not comparable"
fi

# stats LIST... -> "min median mean" in ms with 1 decimal
read -r S_MIN S_MED S_MEAN < <(stats "${SEED_US[@]}")
read -r H_MIN H_MED H_MEAN < <(stats "${HARN_US[@]}")
RATIO=$(awk -v h="$H_MED" -v s="$S_MED" 'BEGIN { printf "%.3f", h / s }')
SPEEDUP=$(awk -v h="$H_MED" -v s="$S_MED" 'BEGIN { printf "%.1f", s / h }')
if awk -v r="$RATIO" -v t="$TARGET_RATIO" 'BEGIN { exit !(r <= t) }'; then VERDICT=PASS; else VERDICT=FAIL; fi

COMMITS=$(git -C "$FIXTURE" rev-list --count HEAD)
FEATURES=$(jq '.features | length' "$FIXTURE/.claude/progress/feature-list.json")
REPORT=$(
    echo "entry-vs-seed  $(date -u +%Y-%m-%dT%H:%M:%SZ)  repo $(git -C "$REPO_ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')  $(uname -srm), $(nproc) cores"
    echo "fixture: $FIXTURE ($COMMITS commits, $FEATURES features, no health check)"
    echo "runs: $RUNS each after $WARMUP warm-up(s), alternating, stdout to /dev/null"
    echo "seed:    ${SEED[*]}"
    echo "harness: ${HARN[*]}"
    echo ""
    printf '%-16s %10s %10s %10s\n' "" "min ms" "median ms" "mean ms"
    printf '%-16s %10s %10s %10s\n' "seed script" "$S_MIN" "$S_MED" "$S_MEAN"
    printf '%-16s %10s %10s %10s\n' "harness entry" "$H_MIN" "$H_MED" "$H_MEAN"
    echo ""
    echo "ratio harness/seed (median): $RATIO  (${SPEEDUP}x faster; target <= $TARGET_RATIO)"
    echo "$VERDICT: harness entry --json median ${H_MED} ms vs seed ${S_MED} ms"
)
echo "$REPORT"

mkdir -p "$SCRIPT_DIR/results"
{
    echo "$REPORT"
    echo ""
    echo "raw seed us:    ${SEED_US[*]}"
    echo "raw harness us: ${HARN_US[*]}"
} > "$SCRIPT_DIR/results/entry-vs-seed.txt"

[ "$VERDICT" = PASS ] || exit 2
